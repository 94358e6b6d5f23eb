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
}

export const realtimeChannel = (prefix: string) => `${prefix}:realtime`;
