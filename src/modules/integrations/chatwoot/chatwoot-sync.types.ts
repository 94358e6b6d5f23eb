import type { EventType } from '../../../domain/events/event-catalogue';

/** The catalogue's events the Chatwoot sync applies; the outbox fan-out creates a chatwoot_sync_event for each. */
export const CHATWOOT_EVENT_TYPES: EventType[] = ['message.received', 'message.created', 'message.status', 'conversation.updated'];
