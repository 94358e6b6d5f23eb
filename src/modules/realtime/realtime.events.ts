/** Events pushed to dashboards (SSE), per organisation. */
export type RealtimeEvent =
  | { type: 'message.created'; conversationId: string; messageId: string; direction: 'inbound' | 'outbound' }
  | { type: 'message.status'; conversationId: string; messageId: string; status: string }
  | { type: 'conversation.updated'; conversationId: string; reason: string }
  | { type: 'contact.erased'; contactId: string };

export interface RealtimeEnvelope {
  organizationId: string;
  event: RealtimeEvent;
  at: string;
  /** The outbox sequence of an event relayed from the outbox: the SSE `id`, resumable with Last-Event-ID. */
  seq?: string;
}

/** Outbox event types the SSE stream carries, and their dashboard shape. */
export const STREAMED_OUTBOX_TYPES = ['message.received', 'message.created', 'message.status'];

export function realtimeEventOfOutbox(type: string, data: unknown): RealtimeEvent | null {
  const d = data as { message?: { id: string; conversationId: string }; messageId?: string; conversationId?: string; status?: string };
  if ((type === 'message.received' || type === 'message.created') && d.message) {
    return { type: 'message.created', conversationId: d.message.conversationId, messageId: d.message.id, direction: type === 'message.received' ? 'inbound' : 'outbound' };
  }
  if (type === 'message.status' && d.messageId && d.conversationId && d.status) return { type: 'message.status', conversationId: d.conversationId, messageId: d.messageId, status: d.status };
  return null;
}

export const realtimeChannel = (prefix: string) => `${prefix}:realtime`;
