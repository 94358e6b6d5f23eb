import { AgentsErrorCode } from '../../modules/agents/agents.errors';
import { AuthErrorCode } from '../../modules/auth/auth.errors';
import { CampaignsErrorCode } from '../../modules/campaigns/campaigns.errors';
import { CommunicationsErrorCode } from '../../modules/communications/communications.errors';
import { LifecycleErrorCode } from '../../modules/lifecycle/lifecycle.errors';
import { IntegrationsErrorCode } from '../../modules/integrations/integrations.errors';
import { TemplatesErrorCode } from '../../modules/templates/templates.errors';
import { WebhooksErrorCode } from '../../modules/webhooks/webhooks.errors';
import { ProviderErrorCode, WhatsappErrorCode } from '../../modules/whatsapp/whatsapp.errors';
import { CommonErrorCode } from './common.errors';

/** Every stable error code; each module declares its own in `<module>.errors.ts` (enum-only files). */
export type ErrorCode = CommonErrorCode | AuthErrorCode | CommunicationsErrorCode | TemplatesErrorCode | AgentsErrorCode | WhatsappErrorCode | ProviderErrorCode | WebhooksErrorCode | LifecycleErrorCode | CampaignsErrorCode | IntegrationsErrorCode;

export const ERROR_CODE_ENUMS = { CommonErrorCode, AuthErrorCode, CommunicationsErrorCode, TemplatesErrorCode, AgentsErrorCode, WhatsappErrorCode, ProviderErrorCode, WebhooksErrorCode, LifecycleErrorCode, CampaignsErrorCode, IntegrationsErrorCode };

/** The one code → HTTP status table: errors never choose their status where they are thrown. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  [CommonErrorCode.ValidationFailed]: 400,
  [CommonErrorCode.InvalidCursor]: 400,
  [CommonErrorCode.InvalidCharacters]: 400,
  [CommonErrorCode.InvalidPhoneNumber]: 400,
  [CommonErrorCode.MalformedJson]: 400,
  [CommonErrorCode.BadRequest]: 400,
  [CommonErrorCode.NotFound]: 404,
  [CommonErrorCode.MethodNotAllowed]: 405,
  [CommonErrorCode.Conflict]: 409,
  [CommonErrorCode.PayloadTooLarge]: 413,
  [CommonErrorCode.UnsupportedMediaType]: 415,
  [CommonErrorCode.UnprocessableEntity]: 422,
  [CommonErrorCode.RateLimited]: 429,
  [CommonErrorCode.ServiceUnavailable]: 503,
  [CommonErrorCode.InternalError]: 500,

  [AuthErrorCode.Unauthorized]: 401,
  [AuthErrorCode.InvalidCredentials]: 401,
  [AuthErrorCode.Forbidden]: 403,
  [AuthErrorCode.RoleNotDeclared]: 403,
  [AuthErrorCode.EmailConflict]: 409,
  [AuthErrorCode.UserNotFound]: 404,
  [AuthErrorCode.ApiKeyNotFound]: 404,
  [AuthErrorCode.OrganizationNotFound]: 404,
  [AuthErrorCode.CsrfHeaderMissing]: 403,

  [CommunicationsErrorCode.ContactNotFound]: 404,
  [CommunicationsErrorCode.ContactConflict]: 409,
  [CommunicationsErrorCode.ContactHasNoPhone]: 422,
  [CommunicationsErrorCode.ContactOptedOut]: 422,
  [CommunicationsErrorCode.ConversationNotFound]: 404,
  [CommunicationsErrorCode.MessageNotFound]: 404,
  [CommunicationsErrorCode.MessageNotFailed]: 409,
  [CommunicationsErrorCode.MediaNotFound]: 404,
  [CommunicationsErrorCode.MediaTooLarge]: 413,
  [CommunicationsErrorCode.MediaTypeNotAllowed]: 415,
  [CommunicationsErrorCode.MediaFileMissing]: 400,
  [CommunicationsErrorCode.JobNotFound]: 404,
  [CommunicationsErrorCode.WindowClosed]: 422,
  [CommunicationsErrorCode.ReplyTargetNotSent]: 422,
  [CommunicationsErrorCode.ReactionTargetNotSent]: 422,
  [CommunicationsErrorCode.IdempotencyKeyConflict]: 409,
  [CommunicationsErrorCode.QuickReplyNotFound]: 404,
  [CommunicationsErrorCode.QuickReplyConflict]: 409,

  [TemplatesErrorCode.TemplateNotFound]: 404,
  [TemplatesErrorCode.TemplateNotApproved]: 422,
  [TemplatesErrorCode.TemplateInvalid]: 400,
  [TemplatesErrorCode.TemplateDefinitionInvalid]: 422,
  [TemplatesErrorCode.TemplateVariablesInvalid]: 422,
  [TemplatesErrorCode.TemplateNotEditable]: 409,
  [TemplatesErrorCode.TemplateAlreadySubmitted]: 409,
  [TemplatesErrorCode.TemplateAlreadyExists]: 409,
  [TemplatesErrorCode.TemplateSetNotFound]: 404,

  [CampaignsErrorCode.CampaignNotFound]: 404,
  [CampaignsErrorCode.CampaignNotEditable]: 409,
  [CampaignsErrorCode.CampaignStateConflict]: 409,
  [CampaignsErrorCode.AudienceEmpty]: 422,
  [CampaignsErrorCode.AudienceTooLarge]: 413,
  [CampaignsErrorCode.CsvInvalid]: 400,
  [CampaignsErrorCode.AbTestInvalid]: 400,

  [AgentsErrorCode.FlowNotFound]: 404,
  [AgentsErrorCode.FlowConflict]: 409,
  [AgentsErrorCode.FlowIsShipped]: 422,
  [AgentsErrorCode.LlmTimeout]: 504,
  [AgentsErrorCode.LlmRequestFailed]: 502,
  [AgentsErrorCode.LlmBadResponse]: 502,

  [LifecycleErrorCode.LegalHoldNotFound]: 404,
  [LifecycleErrorCode.LegalHoldTargetInvalid]: 400,
  [LifecycleErrorCode.InvalidDateRange]: 400,

  [WhatsappErrorCode.AccountNotFound]: 404,
  [WhatsappErrorCode.AccountInUse]: 409,
  [WhatsappErrorCode.AccountConflict]: 409,
  [WhatsappErrorCode.SandboxDisabled]: 404,
  [WhatsappErrorCode.SandboxAccountNotFound]: 404,
  [WhatsappErrorCode.SandboxNotConfigured]: 409,

  [ProviderErrorCode.AuthenticationFailed]: 502,
  [ProviderErrorCode.PermissionDenied]: 502,
  [ProviderErrorCode.RateLimited]: 502,
  [ProviderErrorCode.PairRateLimited]: 502,
  [ProviderErrorCode.WindowClosed]: 502,
  [ProviderErrorCode.Undeliverable]: 502,
  [ProviderErrorCode.TemplateError]: 502,
  [ProviderErrorCode.PolicyBlocked]: 502,
  [ProviderErrorCode.InvalidParameter]: 502,
  [ProviderErrorCode.TemporaryError]: 502,
  [ProviderErrorCode.Timeout]: 502,
  [ProviderErrorCode.NetworkError]: 502,
  [ProviderErrorCode.ConflictInFlight]: 502,
  [ProviderErrorCode.ValidationFailed]: 400,
  [ProviderErrorCode.UnknownError]: 502,

  [WebhooksErrorCode.InvalidSignature]: 401,
  [WebhooksErrorCode.VerificationFailed]: 403,
  [WebhooksErrorCode.EmptyBody]: 400,
  [WebhooksErrorCode.StorageUnavailable]: 503,
  [WebhooksErrorCode.StoreTimeout]: 503,
  [WebhooksErrorCode.EventNotFound]: 404,
  [WebhooksErrorCode.UnsupportedPayload]: 422,

  [IntegrationsErrorCode.EndpointNotFound]: 404,
  [IntegrationsErrorCode.DeliveryNotFound]: 404,
  [IntegrationsErrorCode.UrlNotAllowed]: 422,
  [IntegrationsErrorCode.UnknownEventType]: 400,
  [IntegrationsErrorCode.InvalidSecret]: 400,
  [IntegrationsErrorCode.InvalidTimeRange]: 400,
  [IntegrationsErrorCode.HttpOnlyOperation]: 409,
  [IntegrationsErrorCode.ChatwootNotConfigured]: 404,
};

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_STATUS[code] ?? 500;
}
