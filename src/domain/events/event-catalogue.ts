/**
 * The events other systems receive (outbound webhooks, WebSocket forwarding, the SSE stream), one typed
 * definition each. Each is written by its owning module into the outbox in the same transaction as the change.
 * `data` holds ids and the public representation the API answers with.
 */
export interface MessagePublic {
  id: string;
  conversationId: string;
  contactId: string;
  whatsappAccountId: string;
  direction: 'inbound' | 'outbound';
  type: string;
  status: string;
  text: string | null;
  content: unknown;
  providerMessageId: string | null;
  occurredAt: string;
}

/** The public conversation representation carried by `conversation.*` events (a subset of the API's conversation). */
export interface ConversationPublic {
  id: string;
  contactId: string;
  whatsappAccountId: string;
  status: 'open' | 'closed';
  assigneeUserId: string | null;
  labels: string[];
  botPaused: boolean;
  /** The bot flow the conversation is in and its state (e.g. `COTIZACION`), or null. */
  flowId: string | null;
  flowState: string | null;
  updatedAt: string;
}

/** The public contact representation carried by `contact.created` and `contact.updated`. */
export interface ContactPublic {
  id: string;
  phoneE164: string | null;
  waId: string | null;
  name: string | null;
  profileName: string | null;
  labels: string[];
  customAttributes: Record<string, unknown>;
  optedOut: boolean;
  optOutSource: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * Why a `conversation.updated` was emitted. `handoff` is the bot handing over to a person (the bot is paused);
 * `flow_state` a bot flow moving to another state; `auto_closed` a close by the system, not a person.
 */
export type ConversationChange =
  | 'read'
  | 'closed'
  | 'reopened'
  | 'auto_closed'
  | 'assigned'
  | 'unassigned'
  | 'labels'
  | 'bot_paused'
  | 'bot_resumed'
  | 'bot_reset'
  | 'bot_reset_resumed'
  | 'handoff'
  | 'flow_state';

export interface EventData {
  'message.received': { message: MessagePublic };
  'message.created': { message: MessagePublic };
  'message.status': { messageId: string; conversationId: string; status: string; error: { code: string | null; title: string | null; message: string | null } | null };
  'conversation.created': { conversationId: string; conversation: ConversationPublic };
  /** `reason`: on a bot's `handoff`, why it handed over (`customer_request`, `unsure_streak`, `flow_completed:<flowId>`). */
  'conversation.updated': { conversationId: string; change: ConversationChange; conversation: ConversationPublic; reason?: string };
  'contact.created': { contactId: string; contact: ContactPublic };
  'contact.updated': { contactId: string; contact: ContactPublic };
  'contact.opted_out': { contactId: string; source: string };
  'contact.erased': { contactId: string };
  'template.status': { templateId: string; whatsappAccountId: string; name: string; language: string; category: string; status: string; reason: string | null };
  'campaign.progress': { campaignId: string; sent: number; delivered: number; failed: number; total: number };
  'campaign.completed': { campaignId: string; sent: number; delivered: number; failed: number; total: number };
  'webhook_endpoint.disabled': { endpointId: string; url: string; reason: string };
  'test.ping': { endpointId: string };
}

export type EventType = keyof EventData;

export const EVENT_TYPES = [
  'message.received',
  'message.created',
  'message.status',
  'conversation.created',
  'conversation.updated',
  'contact.created',
  'contact.updated',
  'contact.opted_out',
  'contact.erased',
  'template.status',
  'campaign.progress',
  'campaign.completed',
  'webhook_endpoint.disabled',
] as const satisfies readonly EventType[];

/** What a receiver gets; `id` is stable across retries and redeliveries (the `webhook-id`). */
export interface EventEnvelope<T extends EventType = EventType> {
  id: string;
  type: T;
  createdAt: string;
  organizationId: string;
  data: EventData[T];
}

/** One event to write into the outbox. `conversationId` orders per-conversation delivery. */
export interface NewEvent<T extends EventType = EventType> {
  organizationId: string;
  type: T;
  conversationId?: string | null;
  data: EventData[T];
}
