/**
 * One internal model for Meta and Kapso webhook payloads. Everything here is
 * plain data (no classes) so the worker can re-derive it from the stored raw
 * event at any time; `content`/`details` keep the provider's object as received.
 * A contract between `webhooks` (which parses into it) and the modules that apply
 * it (communications, templates, whatsapp), so it imports nothing.
 */
export type Provider = 'meta' | 'kapso';

export type JsonRecord = Record<string, unknown>;

export const MESSAGE_TYPES = [
  'text',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'reaction',
  'order',
  'system',
  'edit',
  'revoke',
  'template',
  'unsupported',
] as const;

/** `unknown` stands for any type Meta adds later; `rawType` keeps the name. */
export type MessageType = (typeof MESSAGE_TYPES)[number] | 'unknown';

/** Statuses Meta reports; `deleted`/`warning` and anything new become `IgnoredEvent`s. */
export type ProviderStatus = 'sent' | 'delivered' | 'read' | 'played' | 'failed';

export interface ProviderItemError {
  code?: number;
  title?: string;
  message?: string;
  details?: string;
  href?: string;
}

/** A customer as identified by the provider; any of the ids may be absent (BSUID-only senders). */
export interface CustomerIdentity {
  waId?: string;
  /** E.164 as given by Kapso (`+1555…`); Meta only gives `waId`. */
  phone?: string;
  /** Business-scoped user id (`user_id`, `from_user_id`, `recipient_user_id`). */
  bsuid?: string;
  parentBsuid?: string;
  username?: string;
  profileName?: string;
}

export interface MediaRef {
  id?: string;
  mimeType?: string;
  sha256?: string;
  caption?: string;
  filename?: string;
  /** Meta lookaside URL: needs the account's bearer token and expires. */
  url?: string;
  voice?: boolean;
  animated?: boolean;
}

export interface ReactionRef {
  targetProviderMessageId: string;
  /** '' when the reaction was removed. */
  emoji: string;
}

export interface EditRef {
  targetProviderMessageId: string;
  newText?: string;
}

export interface RevokeRef {
  targetProviderMessageId: string;
}

export interface SystemChange {
  /** `user_changed_number`, `customer_identity_changed`, … */
  systemType?: string;
  body?: string;
  /** The customer's new wa_id after `user_changed_number`. */
  newWaId?: string;
}

export interface ReferredProduct {
  catalogId?: string;
  productRetailerId?: string;
}

export interface Referral {
  sourceType?: string;
  sourceId?: string;
  sourceUrl?: string;
  headline?: string;
  body?: string;
  ctwaClid?: string;
  raw: JsonRecord;
}

/** What a WhatsApp message says, shared by inbound messages and outbound echoes. */
export interface MessageBody {
  type: MessageType;
  rawType: string;
  /** Searchable text: body, caption, button title/payload, list title + description, … */
  text?: string;
  /** The type's object as received (`{contacts:[…]}` for contacts). */
  content: JsonRecord;
  media?: MediaRef;
  reaction?: ReactionRef;
  edit?: EditRef;
  revoke?: RevokeRef;
  system?: SystemChange;
}

export interface MessageContext {
  contextProviderMessageId?: string;
  contextFrom?: string;
  forwarded?: boolean;
  frequentlyForwarded?: boolean;
  referredProduct?: ReferredProduct;
}

export interface KapsoMessageInfo {
  direction?: string;
  status?: string;
  processingStatus?: string;
  origin?: string;
  hasMedia?: boolean;
  content?: string;
  /** Kapso-hosted copy of the media (Kapso auth, not Meta's). */
  mediaUrl?: string;
  transcript?: string;
  providerConversationId?: string;
  isNewConversation?: boolean;
}

interface EventBase {
  provider: Provider;
  wabaId?: string;
}

interface PhoneChannel extends EventBase {
  phoneNumberId: string;
  displayPhoneNumber?: string;
}

export interface InboundMessageEvent extends PhoneChannel, MessageBody, MessageContext {
  kind: 'inbound_message';
  providerMessageId: string;
  timestamp: Date;
  from: CustomerIdentity;
  referral?: Referral;
  errors?: ProviderItemError[];
  kapso?: KapsoMessageInfo;
}

/** A message the business sent outside this API (WhatsApp Business app, Kapso dashboard/workflows). */
export interface OutboundEchoEvent extends PhoneChannel, MessageBody, MessageContext {
  kind: 'outbound_echo';
  source: 'business_app' | 'kapso';
  providerMessageId: string;
  timestamp: Date;
  to: CustomerIdentity;
  errors?: ProviderItemError[];
  kapso?: KapsoMessageInfo;
}

export interface StatusRecipient {
  waId?: string;
  /** Kapso only, from its conversation, when the status names no recipient. */
  phone?: string;
  bsuid?: string;
  parentBsuid?: string;
  /** `group` for group messages; then `waId` is the group id. */
  recipientType?: string;
  participantWaId?: string;
  participantBsuid?: string;
}

export interface StatusPricing {
  billable?: boolean;
  pricingModel?: string;
  category?: string;
  type?: string;
}

export interface StatusConversation {
  id?: string;
  originType?: string;
  expiresAt?: Date;
}

export interface StatusEvent extends PhoneChannel {
  kind: 'status';
  providerMessageId: string;
  status: ProviderStatus;
  timestamp: Date;
  recipient: StatusRecipient;
  errors?: ProviderItemError[];
  pricing?: StatusPricing;
  conversation?: StatusConversation;
  bizOpaqueCallbackData?: string;
}

export interface TemplateRef {
  templateId?: string;
  templateName?: string;
  language?: string;
}

export interface TemplateStatusEvent extends EventBase, TemplateRef {
  kind: 'template_status';
  occurredAt?: Date;
  /** APPROVED, REJECTED, PAUSED, DISABLED, … */
  event: string;
  category?: string;
  reason?: string;
  rejectionInfo?: { reason?: string; recommendation?: string };
}

export interface TemplateQualityEvent extends EventBase, TemplateRef {
  kind: 'template_quality';
  occurredAt?: Date;
  previousQuality?: string;
  newQuality?: string;
}

export interface TemplateCategoryEvent extends EventBase, TemplateRef {
  kind: 'template_category';
  occurredAt?: Date;
  previousCategory?: string;
  newCategory?: string;
  /** Pending recategorisation: the category Meta will apply at `effectiveAt`. */
  correctCategory?: string;
  effectiveAt?: Date;
}

export interface TemplateComponentsEvent extends EventBase, TemplateRef {
  kind: 'template_components';
  occurredAt?: Date;
  details: JsonRecord;
}

export interface UserPreferenceEvent extends EventBase {
  kind: 'user_preference';
  phoneNumberId?: string;
  displayPhoneNumber?: string;
  user: CustomerIdentity;
  category?: string;
  /** `stop`, `resume`, `signup`, … as received. */
  value: string;
  /** `stop` → opt_out; `resume`/`signup` → opt_in; anything else → null. */
  marketingOpt: 'opt_out' | 'opt_in' | null;
  detail?: string;
  timestamp?: Date;
}

export interface AccountUpdateEvent extends EventBase {
  kind: 'account_update';
  occurredAt?: Date;
  event: string;
  phoneNumberId?: string;
  details: JsonRecord;
}

export interface PhoneQualityEvent extends EventBase {
  kind: 'phone_quality';
  occurredAt?: Date;
  event?: string;
  displayPhoneNumber?: string;
  currentLimit?: string;
  details: JsonRecord;
}

export interface BusinessCapabilityEvent extends EventBase {
  kind: 'business_capability';
  occurredAt?: Date;
  details: JsonRecord;
}

export interface SecurityEvent extends EventBase {
  kind: 'security';
  occurredAt?: Date;
  event?: string;
  displayPhoneNumber?: string;
  details: JsonRecord;
}

/** `value.errors[]`: an error about the channel rather than one message or status. */
export interface ChangeErrorEvent extends EventBase {
  kind: 'change_error';
  field: string;
  phoneNumberId?: string;
  displayPhoneNumber?: string;
  error: ProviderItemError;
}

export interface ConversationLifecycleEvent extends EventBase {
  kind: 'conversation_lifecycle';
  phase: 'created' | 'ended' | 'inactive';
  phoneNumberId: string;
  providerConversationId: string;
  customer: CustomerIdentity;
  occurredAt?: Date;
  inactivityMinutes?: number;
  sinceProviderMessageId?: string;
}

export interface WorkflowEvent extends EventBase {
  kind: 'workflow';
  phase: 'handoff' | 'failed';
  occurredAt?: Date;
  workflowId?: string;
  executionId?: string;
  providerConversationId?: string;
  trackingId?: string;
  reason?: string;
  details: JsonRecord;
}

export interface IgnoredEvent extends EventBase {
  kind: 'ignored';
  reason: string;
  field?: string;
  phoneNumberId?: string;
}

export type NormalizedEvent =
  | InboundMessageEvent
  | OutboundEchoEvent
  | StatusEvent
  | TemplateStatusEvent
  | TemplateQualityEvent
  | TemplateCategoryEvent
  | TemplateComponentsEvent
  | UserPreferenceEvent
  | AccountUpdateEvent
  | PhoneQualityEvent
  | BusinessCapabilityEvent
  | SecurityEvent
  | ChangeErrorEvent
  | ConversationLifecycleEvent
  | WorkflowEvent
  | IgnoredEvent;

export type NormalizedEventKind = NormalizedEvent['kind'];

/** One item per message/status/error/change: a malformed item never hides its neighbours. */
export type NormalizedItem = { ok: true; event: NormalizedEvent } | { ok: false; error: string; path: string };
