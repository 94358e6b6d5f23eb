import { parseMessageBody, parseMessageContext, parseProviderError, parseProviderErrors, parseReferral } from './message-body.parser';
import type {
  ChangeErrorEvent,
  CustomerIdentity,
  IgnoredEvent,
  InboundMessageEvent,
  JsonRecord,
  OutboundEchoEvent,
  Provider,
  ProviderStatus,
  StatusEvent,
  UserPreferenceEvent,
} from '../../../domain/normalized-event.types';
import {
  asRecord,
  compact,
  parseTimestamp,
  PayloadShapeError,
  readBoolean,
  readNonEmptyString,
  readRecord,
  readString,
  requireString,
  requireTimestamp,
} from './payload-readers';

/** What one `changes[]` element (or one Kapso event) says about every item inside it. */
export interface ChangeScope {
  provider: Provider;
  field: string;
  wabaId?: string;
  phoneNumberId?: string;
  displayPhoneNumber?: string;
  occurredAt?: Date;
  /** `value.contacts[]`: profile name, username and BSUIDs of the customers in this change. */
  contacts: JsonRecord[];
}

const PROVIDER_STATUSES: ReadonlySet<string> = new Set(['sent', 'delivered', 'read', 'played', 'failed']);

function requirePhoneNumberId(scope: ChangeScope): string {
  if (!scope.phoneNumberId) throw new PayloadShapeError('missing metadata.phone_number_id');
  return scope.phoneNumberId;
}

function channel(scope: ChangeScope) {
  return {
    provider: scope.provider,
    wabaId: scope.wabaId,
    phoneNumberId: requirePhoneNumberId(scope),
    displayPhoneNumber: scope.displayPhoneNumber,
  };
}

/**
 * Contacts are matched on wa_id or BSUID; the lone contact is used only when the
 * message names nobody (BSUID-only payloads), so a stray contact never lends its ids.
 */
function findContact(contacts: JsonRecord[], waId?: string, bsuid?: string): JsonRecord | undefined {
  const match = contacts.find(
    (c) => (waId !== undefined && readString(c, 'wa_id') === waId) || (bsuid !== undefined && readString(c, 'user_id') === bsuid),
  );
  if (match) return match;
  return waId === undefined && bsuid === undefined && contacts.length === 1 ? contacts[0] : undefined;
}

export function resolveCustomer(contacts: JsonRecord[], waId?: string, bsuid?: string, parentBsuid?: string): CustomerIdentity {
  const contact = findContact(contacts, waId, bsuid);
  const profile = readRecord(contact, 'profile');
  return compact({
    waId: waId ?? readNonEmptyString(contact, 'wa_id'),
    bsuid: bsuid ?? readNonEmptyString(contact, 'user_id'),
    parentBsuid: parentBsuid ?? readNonEmptyString(contact, 'parent_user_id'),
    username: readNonEmptyString(profile, 'username'),
    profileName: readNonEmptyString(profile, 'name'),
  });
}

function hasIdentity(who: CustomerIdentity): boolean {
  return !!(who.waId || who.bsuid || who.phone);
}

/** `known`: what the envelope says about the customer (Kapso's conversation) when the message does not. */
export function parseInboundMessage(message: JsonRecord, scope: ChangeScope, known: CustomerIdentity = {}): InboundMessageEvent {
  const from = {
    ...known,
    ...resolveCustomer(
      scope.contacts,
      readNonEmptyString(message, 'from'),
      readNonEmptyString(message, 'from_user_id'),
      readNonEmptyString(message, 'from_parent_user_id'),
    ),
  };
  if (!hasIdentity(from)) throw new PayloadShapeError('message has no sender (from, from_user_id or contact)');
  return compact({
    kind: 'inbound_message',
    ...channel(scope),
    providerMessageId: requireString(message, 'id'),
    timestamp: requireTimestamp(message, 'timestamp'),
    from,
    ...parseMessageBody(message),
    ...parseMessageContext(message),
    referral: parseReferral(message),
    errors: parseProviderErrors(message.errors),
  });
}

function digits(value: string | undefined): string | undefined {
  return value?.replace(/\D/g, '') || undefined;
}

/**
 * Echo `to` is the customer. Some captured echoes (edit/revoke) carry the business
 * number in `to` and the customer in `from`; then the customer is `from`.
 */
function echoCustomerWaId(message: JsonRecord, scope: ChangeScope): string | undefined {
  const to = readNonEmptyString(message, 'to');
  const from = readNonEmptyString(message, 'from');
  const business = digits(scope.displayPhoneNumber);
  if (business && digits(to) === business && from && digits(from) !== business) return from;
  return to;
}

export function parseEchoMessage(message: JsonRecord, scope: ChangeScope, known: CustomerIdentity = {}): OutboundEchoEvent {
  const to = {
    ...known,
    ...resolveCustomer(
      scope.contacts,
      echoCustomerWaId(message, scope),
      readNonEmptyString(message, 'to_user_id'),
      readNonEmptyString(message, 'to_parent_user_id'),
    ),
  };
  if (!hasIdentity(to)) throw new PayloadShapeError('echo has no recipient (to, to_user_id or contact)');
  return compact({
    kind: 'outbound_echo',
    source: 'business_app',
    ...channel(scope),
    providerMessageId: requireString(message, 'id'),
    timestamp: requireTimestamp(message, 'timestamp'),
    to,
    ...parseMessageBody(message),
    ...parseMessageContext(message),
    errors: parseProviderErrors(message.errors),
  });
}

function parseRecipient(status: JsonRecord) {
  return compact({
    waId: readNonEmptyString(status, 'recipient_id'),
    bsuid: readNonEmptyString(status, 'recipient_user_id'),
    parentBsuid: readNonEmptyString(status, 'parent_recipient_user_id'),
    recipientType: readNonEmptyString(status, 'recipient_type'),
    participantWaId: readNonEmptyString(status, 'recipient_participant_id'),
    participantBsuid: readNonEmptyString(status, 'recipient_participant_user_id'),
  });
}

function parseConversation(status: JsonRecord) {
  const conversation = readRecord(status, 'conversation');
  if (!conversation) return undefined;
  return compact({
    id: readString(conversation, 'id'),
    originType: readString(readRecord(conversation, 'origin'), 'type'),
    expiresAt: parseTimestamp(conversation.expiration_timestamp),
  });
}

function parsePricing(status: JsonRecord) {
  const pricing = readRecord(status, 'pricing');
  if (!pricing) return undefined;
  return compact({
    billable: readBoolean(pricing, 'billable'),
    pricingModel: readString(pricing, 'pricing_model'),
    category: readString(pricing, 'category'),
    type: readString(pricing, 'type'),
  });
}

export function parseStatus(status: JsonRecord, scope: ChangeScope): StatusEvent | IgnoredEvent {
  const providerMessageId = requireString(status, 'id');
  const name = requireString(status, 'status');
  if (!PROVIDER_STATUSES.has(name)) {
    return ignored(scope, `status "${name}" is not tracked (message ${providerMessageId})`);
  }
  return compact({
    kind: 'status',
    ...channel(scope),
    providerMessageId,
    status: name as ProviderStatus,
    timestamp: requireTimestamp(status, 'timestamp'),
    recipient: parseRecipient(status),
    errors: parseProviderErrors(status.errors),
    pricing: parsePricing(status),
    conversation: parseConversation(status),
    bizOpaqueCallbackData: readString(status, 'biz_opaque_callback_data'),
  });
}

export function parseChangeError(error: JsonRecord, scope: ChangeScope): ChangeErrorEvent {
  return compact({
    kind: 'change_error',
    provider: scope.provider,
    wabaId: scope.wabaId,
    field: scope.field,
    phoneNumberId: scope.phoneNumberId,
    displayPhoneNumber: scope.displayPhoneNumber,
    error: parseProviderError(error),
  });
}

const MARKETING_OPT: Readonly<Record<string, 'opt_out' | 'opt_in'>> = { stop: 'opt_out', resume: 'opt_in', signup: 'opt_in' };

export function parseUserPreference(preference: JsonRecord, scope: ChangeScope): UserPreferenceEvent {
  const value = requireString(preference, 'value');
  const user = resolveCustomer(scope.contacts, readNonEmptyString(preference, 'wa_id'), readNonEmptyString(preference, 'user_id'));
  if (!hasIdentity(user)) throw new PayloadShapeError('user preference has no wa_id or user_id');
  return compact({
    kind: 'user_preference',
    provider: scope.provider,
    wabaId: scope.wabaId,
    phoneNumberId: scope.phoneNumberId,
    displayPhoneNumber: scope.displayPhoneNumber,
    user,
    category: readString(preference, 'category'),
    value,
    marketingOpt: MARKETING_OPT[value.toLowerCase()] ?? null,
    detail: readString(preference, 'detail'),
    timestamp: parseTimestamp(preference.timestamp),
  });
}

export function ignored(scope: ChangeScope, reason: string): IgnoredEvent {
  return compact({
    kind: 'ignored',
    provider: scope.provider,
    wabaId: scope.wabaId,
    field: scope.field || undefined,
    phoneNumberId: scope.phoneNumberId,
    reason,
  });
}

export function parseCall(call: JsonRecord, scope: ChangeScope): IgnoredEvent {
  const id = readString(call, 'wacid') ?? readString(call, 'id') ?? '?';
  return ignored(scope, `call ${readString(call, 'event') ?? 'event'} ${id} (calling is not supported)`);
}

export function itemRecord(raw: unknown): JsonRecord {
  const record = asRecord(raw);
  if (!record) throw new PayloadShapeError('item is not an object');
  return record;
}
