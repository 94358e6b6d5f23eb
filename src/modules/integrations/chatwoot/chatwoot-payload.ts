/** Reading Chatwoot's webhook payloads (account webhooks and the API-channel callback share the shapes). */

export interface AgentReply {
  remoteMessageId: number;
  remoteConversationId: number;
  conversaConversationId: string | null;
  content: string;
}

type Payload = Record<string, unknown>;

const asRecord = (value: unknown): Payload | null => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Payload) : null);
const asId = (value: unknown): number | null => {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
};

/** `conversa:<id>` is the `source_id` the sync gives every message it writes in Chatwoot. */
export const CONVERSA_SOURCE_PREFIX = 'conversa:';

/** Chatwoot's message id → the send's idempotency key: a reply delivered five times is sent once. */
export const agentReplyKey = (integrationId: string, remoteMessageId: number) => `chatwoot:${integrationId}:${remoteMessageId}`;

/** The Chatwoot message an outbound message was sent for, when its idempotency key is this integration's agent reply key. */
export function agentReplyIdOf(idempotencyKey: string | null, integrationId: string): number | null {
  const prefix = `chatwoot:${integrationId}:`;
  return idempotencyKey?.startsWith(prefix) ? asId(idempotencyKey.slice(prefix.length)) : null;
}

/**
 * A `message_created` that a person wrote for the customer, or why it is not one: private notes, incoming
 * messages, bots' and Conversa's own messages (echoes) are not sent to WhatsApp.
 */
export function agentReplyOf(payload: Payload): AgentReply | { ignored: string } {
  if (payload.private === true) return { ignored: 'private' };
  // Webhooks name the type; some callbacks carry Chatwoot's enum value (1 = outgoing).
  if (payload.message_type !== 'outgoing' && payload.message_type !== 1) return { ignored: 'not_outgoing' };
  if (typeof payload.source_id === 'string' && payload.source_id.startsWith(CONVERSA_SOURCE_PREFIX)) return { ignored: 'echo' };
  const sender = asRecord(payload.sender);
  if (String(sender?.type ?? '').toLowerCase() !== 'user') return { ignored: 'not_from_agent' };
  const remoteMessageId = asId(payload.id);
  const conversation = asRecord(payload.conversation);
  const remoteConversationId = asId(conversation?.id);
  if (!remoteMessageId || !remoteConversationId) return { ignored: 'malformed' };
  const content = typeof payload.content === 'string' ? payload.content.trim() : '';
  if (!content) return { ignored: 'no_text' };
  const attributes = asRecord(conversation?.custom_attributes);
  const conversaConversationId = typeof attributes?.conversa_conversation_id === 'string' ? attributes.conversa_conversation_id : null;
  return { remoteMessageId, remoteConversationId, conversaConversationId, content };
}

export interface ConversationChange {
  remoteConversationId: number;
  conversaConversationId: string | null;
  status: string | null;
  labels: string[] | null;
  assigneeEmail: string | null;
}

/**
 * `conversation_status_changed` / `conversation_updated`: the conversation is the payload itself. A
 * `conversation_updated` whose `changed_attributes` do not name the status (labels, attributes, the assignee) carries
 * no status: its status is only a snapshot, and one delivered late would undo a close or reopen made since.
 */
export function conversationChangeOf(payload: Payload): ConversationChange | null {
  const remoteConversationId = asId(payload.id);
  if (!remoteConversationId) return null;
  const changed = payload.changed_attributes;
  const statusUnchanged = payload.event === 'conversation_updated' && Array.isArray(changed) && !changed.some((c) => asRecord(c)?.status !== undefined);
  const attributes = asRecord(payload.custom_attributes);
  const assignee = asRecord(asRecord(payload.meta)?.assignee);
  return {
    remoteConversationId,
    conversaConversationId: typeof attributes?.conversa_conversation_id === 'string' ? attributes.conversa_conversation_id : null,
    status: typeof payload.status === 'string' && !statusUnchanged ? payload.status : null,
    labels: Array.isArray(payload.labels) ? payload.labels.filter((l): l is string => typeof l === 'string' && l.length > 0 && l.length <= 100) : null,
    assigneeEmail: typeof assignee?.email === 'string' ? assignee.email : null,
  };
}
