import type { EntityManager } from 'typeorm';
import type { NewEvent } from '../domain/events/event-catalogue';
import { PreparedStatement } from './prepared-statement';

const WRITE_EVENTS = new PreparedStatement(
  'outbox-write-events',
  `INSERT INTO outbox_event (organization_id, type, conversation_id, data)
   SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::uuid[], $4::jsonb[]) RETURNING id`,
);

/**
 * Writes events into the transactional outbox in one statement. Call it with the manager of the transaction that
 * makes the change: a rolled-back change leaves no event, a committed one never loses it.
 */
export async function writeEvents(manager: EntityManager, events: NewEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const rows = await WRITE_EVENTS.run<{ id: string }>(manager, [
    events.map((e) => e.organizationId),
    events.map((e) => e.type),
    events.map((e) => e.conversationId ?? null),
    events.map((e) => JSON.stringify(e.data)),
  ]);
  return rows.map((row) => row.id);
}

/** The public message representation (`MessagePublic`) built in SQL from a `message` row alias, for outbox CTEs. */
export function messagePublicSql(m: string): string {
  return `jsonb_build_object('message', jsonb_build_object(
    'id', ${m}.id, 'conversationId', ${m}.conversation_id, 'contactId', ${m}.contact_id, 'whatsappAccountId', ${m}.whatsapp_account_id,
    'direction', ${m}.direction, 'type', ${m}.type, 'status', ${m}.status, 'text', ${m}.text, 'content', ${m}.content,
    'providerMessageId', ${m}.provider_message_id, 'occurredAt', ${m}.occurred_at))`;
}
