import { ignored, type ChangeScope } from './message-item.parser';
import type {
  AccountUpdateEvent,
  BusinessCapabilityEvent,
  JsonRecord,
  NormalizedEvent,
  PhoneQualityEvent,
  SecurityEvent,
  TemplateCategoryEvent,
  TemplateComponentsEvent,
  TemplateQualityEvent,
  TemplateRef,
  TemplateStatusEvent,
} from '../../../domain/normalized-event.types';
import { compact, parseTimestamp, readRecord, readString } from './payload-readers';

function base(scope: ChangeScope) {
  return { provider: scope.provider, wabaId: scope.wabaId, occurredAt: scope.occurredAt };
}

function templateRef(value: JsonRecord): TemplateRef {
  return {
    templateId: readString(value, 'message_template_id'),
    templateName: readString(value, 'message_template_name'),
    language: readString(value, 'message_template_language'),
  };
}

function templateStatus(value: JsonRecord, scope: ChangeScope): TemplateStatusEvent {
  const rejection = readRecord(value, 'rejection_info');
  return compact({
    kind: 'template_status',
    ...base(scope),
    ...templateRef(value),
    event: readString(value, 'event') ?? 'UNKNOWN',
    category: readString(value, 'message_template_category'),
    reason: readString(value, 'reason'),
    rejectionInfo: rejection
      ? compact({ reason: readString(rejection, 'reason'), recommendation: readString(rejection, 'recommendation') })
      : undefined,
  });
}

function templateQuality(value: JsonRecord, scope: ChangeScope): TemplateQualityEvent {
  return compact({
    kind: 'template_quality',
    ...base(scope),
    ...templateRef(value),
    previousQuality: readString(value, 'previous_quality_score'),
    newQuality: readString(value, 'new_quality_score'),
  });
}

function templateCategory(value: JsonRecord, scope: ChangeScope): TemplateCategoryEvent {
  return compact({
    kind: 'template_category',
    ...base(scope),
    ...templateRef(value),
    previousCategory: readString(value, 'previous_category'),
    newCategory: readString(value, 'new_category'),
    correctCategory: readString(value, 'correct_category'),
    effectiveAt: parseTimestamp(value.category_update_timestamp),
  });
}

function templateComponents(value: JsonRecord, scope: ChangeScope): TemplateComponentsEvent {
  return compact({ kind: 'template_components', ...base(scope), ...templateRef(value), details: value });
}

function accountUpdate(value: JsonRecord, scope: ChangeScope): AccountUpdateEvent {
  return compact({ kind: 'account_update', ...base(scope), event: readString(value, 'event') ?? 'UNKNOWN', details: value });
}

function phoneQuality(value: JsonRecord, scope: ChangeScope): PhoneQualityEvent {
  return compact({
    kind: 'phone_quality',
    ...base(scope),
    event: readString(value, 'event'),
    displayPhoneNumber: readString(value, 'display_phone_number'),
    currentLimit: readString(value, 'current_limit'),
    details: value,
  });
}

function businessCapability(value: JsonRecord, scope: ChangeScope): BusinessCapabilityEvent {
  return compact({ kind: 'business_capability', ...base(scope), details: value });
}

function security(value: JsonRecord, scope: ChangeScope): SecurityEvent {
  return compact({
    kind: 'security',
    ...base(scope),
    event: readString(value, 'event'),
    displayPhoneNumber: readString(value, 'display_phone_number'),
    details: value,
  });
}

/** Meta's own docs example sends a quality update under the status field: route on the shape too. */
function isQualityShape(value: JsonRecord): boolean {
  return value.new_quality_score !== undefined && value.event === undefined;
}

/** A change whose value carries no item arrays: one event for the whole change. */
export function parseManagementChange(value: JsonRecord, scope: ChangeScope): NormalizedEvent {
  switch (scope.field) {
    case 'message_template_status_update':
      return isQualityShape(value) ? templateQuality(value, scope) : templateStatus(value, scope);
    case 'message_template_quality_update':
      return templateQuality(value, scope);
    case 'template_category_update':
      return templateCategory(value, scope);
    case 'message_template_components_update':
      return templateComponents(value, scope);
    case 'account_update':
      return accountUpdate(value, scope);
    case 'phone_number_quality_update':
      return phoneQuality(value, scope);
    case 'business_capability_update':
      return businessCapability(value, scope);
    case 'security':
      return security(value, scope);
    case 'messages':
    case 'smb_message_echoes':
    case 'user_preferences':
      return ignored(scope, `${scope.field} change without items`);
    default:
      return ignored(scope, `field "${scope.field || '(none)'}" is not handled`);
  }
}
