import type { EntityManager } from 'typeorm';
import type { ConversationChange } from '../../domain/events/event-catalogue';

/**
 * SQL builders of the public representations communications writes into the outbox (`ConversationPublic`,
 * `ContactPublic`), so each change writes its event in the statement that makes it: no event for a rolled-back
 * change, and no extra round trip. `c`/`k` are aliases of rows shaped as the `conversation`/`contact` tables.
 */
export function conversationPublicSql(c: string): string {
  return `jsonb_build_object('id', ${c}.id, 'contactId', ${c}.contact_id, 'whatsappAccountId', ${c}.whatsapp_account_id,
    'status', ${c}.status, 'assigneeUserId', ${c}.assignee_user_id, 'labels', to_jsonb(${c}.labels), 'botPaused', ${c}.bot_paused,
    'flowId', ${c}.bot_state -> 'flow' ->> 'flowId', 'flowState', ${c}.bot_state -> 'flow' ->> 'current', 'updatedAt', ${c}.updated_at)`;
}

/**
 * An INSERT of one `conversation.created` (no `change`) or `conversation.updated` per row of `source`.
 * `change` is a SQL expression giving the reason (a quoted literal for a fixed one); `where` filters the rows;
 * `extra` a jsonb expression merged into the event's data.
 */
export function conversationEventsSql(source: string, type: 'conversation.created' | 'conversation.updated', options: { change?: string; where?: string; extra?: string } = {}): string {
  const change = type === 'conversation.updated' ? `'change', ${options.change ?? 'NULL'}, ` : '';
  return `INSERT INTO outbox_event (organization_id, type, conversation_id, data)
    SELECT ${source}.organization_id, '${type}', ${source}.id,
           jsonb_build_object('conversationId', ${source}.id, ${change}'conversation', ${conversationPublicSql(source)})${options.extra ? ` || ${options.extra}` : ''}
      FROM ${source}${options.where ? ` WHERE ${options.where}` : ''}`;
}

/** A conversation change reason as a SQL literal (the reasons are fixed identifiers, never input). */
export function changeLiteral(change: ConversationChange): string {
  return `'${change}'`;
}

export function contactPublicSql(k: string): string {
  return `jsonb_build_object('id', ${k}.id, 'phoneE164', ${k}.phone_e164, 'waId', ${k}.wa_id, 'name', ${k}.name, 'profileName', ${k}.profile_name,
    'labels', to_jsonb(${k}.labels), 'customAttributes', ${k}.custom_attributes, 'optedOut', ${k}.opted_out_at IS NOT NULL,
    'optOutSource', ${k}.opt_out_source, 'createdAt', ${k}.created_at, 'updatedAt', ${k}.updated_at)`;
}

/** An INSERT of one `contact.created`/`contact.updated` per row of `source`. */
export function contactEventsSql(source: string, type: 'contact.created' | 'contact.updated'): string {
  return `INSERT INTO outbox_event (organization_id, type, data)
    SELECT ${source}.organization_id, '${type}', jsonb_build_object('contactId', ${source}.id, 'contact', ${contactPublicSql(source)}) FROM ${source}`;
}

/** Writes `contact.created`/`contact.updated` for contacts as they are now, in the caller's transaction. */
export async function writeContactEvents(manager: EntityManager, type: 'contact.created' | 'contact.updated', contactIds: string[]): Promise<void> {
  if (contactIds.length === 0) return;
  await manager.query(`WITH k AS (SELECT * FROM contact WHERE id = ANY($1::uuid[]) ORDER BY id) ${contactEventsSql('k', type)}`, [contactIds]);
}
