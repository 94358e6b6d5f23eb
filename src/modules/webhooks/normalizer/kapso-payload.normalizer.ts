import { parseEchoMessage, parseInboundMessage, parseStatus, ignored, itemRecord, type ChangeScope } from './message-item.parser';
import { isMetaShapedPayload, normalizeMetaPayload } from './meta-payload.normalizer';
import type {
  AccountUpdateEvent,
  ConversationLifecycleEvent,
  CustomerIdentity,
  InboundMessageEvent,
  JsonRecord,
  KapsoMessageInfo,
  NormalizedItem,
  OutboundEchoEvent,
  ProviderStatus,
  StatusEvent,
  WorkflowEvent,
} from '../../../domain/normalized-event.types';
import {
  asRecord,
  compact,
  failedItem,
  joinPath,
  parseTimestamp,
  readArray,
  readBoolean,
  readNonEmptyString,
  readNumber,
  readRecord,
  readString,
  requireString,
  safeItem,
  safeItems,
} from './payload-readers';

const OUTBOUND_STATUS_EVENTS: Readonly<Record<string, ProviderStatus>> = {
  'whatsapp.message.sent': 'sent',
  'whatsapp.message.delivered': 'delivered',
  'whatsapp.message.read': 'read',
  'whatsapp.message.failed': 'failed',
};
const LIFECYCLE_EVENTS: Readonly<Record<string, ConversationLifecycleEvent['phase']>> = {
  'whatsapp.conversation.created': 'created',
  'whatsapp.conversation.ended': 'ended',
  'whatsapp.conversation.inactive': 'inactive',
};
const WORKFLOW_EVENTS: Readonly<Record<string, WorkflowEvent['phase']>> = {
  'workflow.execution.handoff': 'handoff',
  'workflow.execution.failed': 'failed',
};
const PROJECT_EVENTS: ReadonlySet<string> = new Set(['whatsapp.phone_number.created', 'whatsapp.phone_number.deleted', 'whatsapp.config.created']);

function eventScope(body: JsonRecord, name: string): ChangeScope {
  const conversation = readRecord(body, 'conversation');
  return {
    provider: 'kapso',
    field: name,
    phoneNumberId: readString(body, 'phone_number_id') ?? readString(conversation, 'phone_number_id'),
    contacts: [],
  };
}

function conversationCustomer(body: JsonRecord): CustomerIdentity {
  const conversation = readRecord(body, 'conversation');
  return compact({
    phone: readNonEmptyString(conversation, 'phone_number'),
    profileName: readNonEmptyString(readRecord(conversation, 'kapso'), 'contact_name'),
  });
}

function kapsoInfo(message: JsonRecord, body: JsonRecord): KapsoMessageInfo | undefined {
  const kapso = readRecord(message, 'kapso');
  if (!kapso) return undefined;
  return compact({
    direction: readString(kapso, 'direction'),
    status: readString(kapso, 'status'),
    processingStatus: readString(kapso, 'processing_status'),
    origin: readString(kapso, 'origin'),
    hasMedia: readBoolean(kapso, 'has_media'),
    content: readString(kapso, 'content'),
    mediaUrl: readString(kapso, 'media_url'),
    transcript: readNonEmptyString(readRecord(kapso, 'transcript'), 'text'),
    providerConversationId: readString(readRecord(body, 'conversation'), 'id'),
    isNewConversation: readBoolean(body, 'is_new_conversation'),
  });
}

/** Kapso's extras fill what the Meta-shaped message leaves out (transcript, media file name and type). */
function withKapsoExtras<T extends InboundMessageEvent | OutboundEchoEvent>(event: T, message: JsonRecord, body: JsonRecord): T {
  const kapso = kapsoInfo(message, body);
  if (!kapso) return event;
  const mediaData = readRecord(readRecord(message, 'kapso'), 'media_data');
  const media = event.media
    ? compact({
        ...event.media,
        mimeType: event.media.mimeType ?? readString(mediaData, 'content_type'),
        filename: event.media.filename ?? readString(mediaData, 'filename'),
      })
    : undefined;
  return compact({ ...event, media, text: event.text ?? kapso.transcript, kapso });
}

function inbound(body: JsonRecord, scope: ChangeScope): InboundMessageEvent {
  const message = itemRecord(body.message);
  return withKapsoExtras(parseInboundMessage(message, scope, conversationCustomer(body)), message, body);
}

function echo(body: JsonRecord, message: JsonRecord, scope: ChangeScope, recipientId?: string): OutboundEchoEvent {
  const known = compact({ ...conversationCustomer(body), waId: recipientId });
  const event: OutboundEchoEvent = { ...parseEchoMessage(message, scope, known), source: 'kapso' };
  return withKapsoExtras(event, message, body);
}

/** Used when Kapso's status history lacks the status the event announces. */
function statusFromEvent(message: JsonRecord, status: ProviderStatus, scope: ChangeScope, body: JsonRecord): StatusEvent {
  const synthetic = compact({
    id: message.id,
    status,
    timestamp: message.timestamp,
    recipient_id: readNonEmptyString(message, 'to'),
    errors: message.errors,
  });
  const event = parseStatus(synthetic, scope);
  if (event.kind !== 'status') throw new Error(`unexpected status ${status}`);
  const phone = conversationCustomer(body).phone;
  return { ...event, recipient: compact({ ...event.recipient, phone }) };
}

/** One outbound message event (upserted by provider id) plus one status per entry of Kapso's history. */
function outbound(body: JsonRecord, status: ProviderStatus, scope: ChangeScope, path: string): NormalizedItem[] {
  const messagePath = joinPath(path, 'message');
  const message = asRecord(body.message);
  if (!message) return [failedItem(messagePath, 'missing message')];
  const history = (readArray(readRecord(message, 'kapso'), 'statuses') ?? []).map((s) => asRecord(s) ?? {});
  const recipientId = history.map((s) => readNonEmptyString(s, 'recipient_id')).find((id) => id !== undefined);
  const items: NormalizedItem[] = [safeItem(messagePath, () => echo(body, message, scope, recipientId))];
  history.forEach((raw, i) => items.push(safeItem(`${messagePath}.kapso.statuses[${i}]`, () => parseStatus(raw, scope))));
  if (!history.some((s) => readString(s, 'status') === status)) {
    items.push(safeItem(messagePath, () => statusFromEvent(message, status, scope, body)));
  }
  return items;
}

function lifecycle(body: JsonRecord, phase: ConversationLifecycleEvent['phase'], scope: ChangeScope): ConversationLifecycleEvent {
  const conversation = readRecord(body, 'conversation') ?? {};
  const phoneNumberId = scope.phoneNumberId;
  if (!phoneNumberId) throw new Error('missing phone_number_id');
  const occurredAt = phase === 'created' ? conversation.created_at : (conversation.updated_at ?? conversation.last_active_at);
  return compact({
    kind: 'conversation_lifecycle',
    provider: 'kapso',
    phase,
    phoneNumberId,
    providerConversationId: requireString(conversation, 'id'),
    customer: conversationCustomer(body),
    occurredAt: parseTimestamp(occurredAt),
    inactivityMinutes: readNumber(readRecord(body, 'inactivity'), 'minutes'),
    sinceProviderMessageId: readString(readRecord(body, 'since_message'), 'whatsapp_message_id'),
  });
}

function workflow(body: JsonRecord, phase: WorkflowEvent['phase']): WorkflowEvent {
  return compact({
    kind: 'workflow',
    provider: 'kapso',
    phase,
    occurredAt: parseTimestamp(body.occurred_at),
    workflowId: readString(body, 'workflow_id'),
    executionId: readString(body, 'workflow_execution_id'),
    providerConversationId: readString(body, 'whatsapp_conversation_id'),
    trackingId: readString(body, 'tracking_id'),
    reason: readString(readRecord(body, 'handoff'), 'reason') ?? readString(readRecord(body, 'error'), 'message'),
    details: body,
  });
}

function projectEvent(body: JsonRecord, name: string, scope: ChangeScope): AccountUpdateEvent {
  return compact({ kind: 'account_update', provider: 'kapso', event: name, phoneNumberId: scope.phoneNumberId, details: body });
}

/** Without `X-Webhook-Event`, a message's own Kapso direction/status still says what happened. */
function inferEventName(body: JsonRecord): string | undefined {
  const kapso = readRecord(readRecord(body, 'message'), 'kapso');
  const direction = readString(kapso, 'direction');
  if (direction === 'inbound') return 'whatsapp.message.received';
  if (direction === 'outbound') return `whatsapp.message.${readString(kapso, 'status') ?? 'sent'}`;
  return undefined;
}

function dispatch(body: JsonRecord, name: string | undefined, path: string): NormalizedItem[] {
  const scope = eventScope(body, name ?? '');
  if (name === 'whatsapp.message.received') return [safeItem(joinPath(path, 'message'), () => inbound(body, scope))];
  if (name && OUTBOUND_STATUS_EVENTS[name]) return outbound(body, OUTBOUND_STATUS_EVENTS[name], scope, path);
  if (name && LIFECYCLE_EVENTS[name]) return [safeItem(path, () => lifecycle(body, LIFECYCLE_EVENTS[name], scope))];
  if (name && WORKFLOW_EVENTS[name]) return [safeItem(path, () => workflow(body, WORKFLOW_EVENTS[name]))];
  if (name && PROJECT_EVENTS.has(name)) return [safeItem(path, () => projectEvent(body, name, scope))];
  return [{ ok: true, event: ignored(scope, `Kapso event "${name ?? '(none)'}" is not handled`) }];
}

function normalizeEvent(raw: unknown, headerName: string | undefined, path: string): NormalizedItem[] {
  const body = asRecord(raw);
  if (!body) return [failedItem(path, 'event is not a JSON object')];
  const name = headerName ?? readNonEmptyString(body, 'event')?.toLowerCase() ?? inferEventName(body);
  return safeItems(path, () => dispatch(body, name, path));
}

/** `message_received`, `message.received` and `whatsapp.message.received` name the same event. */
function canonicalEventName(name: string): string {
  const lower = name.trim().toLowerCase();
  // Only a name without dots is snake_case for dots (`phone_number` inside a dotted name stays as it is).
  const dotted = lower.includes('.') ? lower : lower.replace(/_/g, '.');
  return /^(?:message|conversation)\./.test(dotted) ? `whatsapp.${dotted}` : dotted;
}

/**
 * The enveloped shape `{event_type, conversation_id, message_id, payload}` (older Kapso integrations and the
 * seeds): the payload is a v2 body, or the bare message of one.
 */
function unwrapEnvelope(root: JsonRecord): { body: JsonRecord; name: string } | undefined {
  const eventType = readNonEmptyString(root, 'event_type');
  const payload = readRecord(root, 'payload');
  if (!eventType || !payload) return undefined;
  const body = payload.message || payload.conversation ? payload : { message: payload, phone_number_id: payload.phone_number_id ?? root.phone_number_id };
  const conversation = readRecord(body, 'conversation') ?? (root.conversation_id ? { id: root.conversation_id } : undefined);
  return { body: compact({ ...body, conversation, phone_number_id: body.phone_number_id ?? root.phone_number_id }), name: canonicalEventName(eventType) };
}

/**
 * Kapso v2 payloads; the event name comes from `X-Webhook-Event` (not in the body).
 * Buffered batches `{type, batch:true, data:[…]}`, the `{event_type, payload}` envelope and Meta-format forwards are handled too.
 */
export function normalizeKapsoPayload(payload: unknown, eventName: string | undefined): NormalizedItem[] {
  if (isMetaShapedPayload(payload)) return normalizeMetaPayload(payload, 'kapso');
  const root = asRecord(payload);
  if (!root) return [failedItem('$', 'payload is not a JSON object')];
  const headerName = eventName?.trim() ? canonicalEventName(eventName) : undefined;
  const envelope = unwrapEnvelope(root);
  if (envelope) return normalizeEvent(envelope.body, headerName ?? envelope.name, 'payload');
  const data = readArray(root, 'data');
  if (root.batch === true || (data && !root.message)) {
    const batchName = headerName ?? readNonEmptyString(root, 'type')?.toLowerCase();
    return (data ?? []).flatMap((item, i) => normalizeEvent(item, batchName, `data[${i}]`));
  }
  return normalizeEvent(root, headerName, '');
}

/**
 * Why a Kapso body cannot be understood (answered 422 at ingest, so it is never acknowledged and dropped), or
 * undefined. An event we understand but do not act on is accepted: it is stored and recorded as ignored.
 */
export function kapsoPayloadRefusal(payload: unknown, eventName: string | undefined): string | undefined {
  const items = normalizeKapsoPayload(payload, eventName);
  if (items.length === 0) return 'the body carries no event';
  const failure = items.find((item): item is Extract<NormalizedItem, { ok: false }> => !item.ok);
  if (failure && items.every((item) => !item.ok)) return `${failure.path}: ${failure.error}`;
  const unnamed = items.every((item) => item.ok && item.event.kind === 'ignored' && !item.event.field);
  return unnamed ? 'no event name: send X-Webhook-Event, or a body with event_type, a Kapso message or a Meta payload' : undefined;
}
