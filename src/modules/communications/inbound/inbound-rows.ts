import type { EntityManager } from 'typeorm';
import { waIdToE164OrNull } from '../../../common/phone';
import { PreparedStatement } from '../../../database/prepared-statement';
import type { WhatsappAccount } from '../../../database/entities/whatsapp-account.entity';
import type { CustomerIdentity, InboundMessageEvent } from '../../../domain/normalized-event.types';
import type { ContactIdentity } from '../contacts/contacts.service';
import { SERVICE_WINDOW_MS } from '../conversations/conversations.service';
import { changeLiteral, conversationEventsSql } from '../communications-events';

/** One inbound message ready to be written into an existing conversation. */
export interface InboundRow {
  organizationId: string;
  whatsappAccountId: string;
  conversationId: string;
  contactId: string;
  type: string;
  content: unknown;
  text: string | null;
  occurredAt: Date;
  providerMessageId: string;
  contextProviderMessageId: string | null;
  errors: unknown[] | null;
  metadata: Record<string, unknown> | null;
  /** The inbox line: the text, else `[type]`. */
  preview: string;
}

/** Per row, in order: the new message id, `null` for a duplicate (the provider id is known), `undefined` when its conversation does not exist. */
export type InboundRowOutcome = string | null | undefined;

/**
 * Writes inbound messages in one statement, however many conversations they belong to: locks their conversations
 * (in id order, so concurrent writers never deadlock on each other), inserts the rows (unique per account and
 * provider id; a reply is linked to the quoted message, else to the latest outbound one), then, for the rows that
 * are new, updates each conversation once (unread count, newest preview and times, the 24-hour window extended,
 * reopened), each contact's last inbound time, and stamps the messages replied to.
 *
 * Runs as its own transaction when given the default manager, or inside the caller's. Rows must have distinct
 * (account, provider id) pairs. A quoted message written by this same statement is not seen as the reply target.
 */
export async function writeInboundRows(manager: EntityManager, rows: InboundRow[]): Promise<InboundRowOutcome[]> {
  if (rows.length === 0) return [];
  const column = <K extends keyof InboundRow>(key: K) => rows.map((row) => row[key]);
  const written = await WRITE_INBOUND.run<{ i: number; id: string | null }>(manager, [
    column('organizationId'),
    column('whatsappAccountId'),
    column('conversationId'),
    column('contactId'),
    column('type'),
    rows.map((row) => JSON.stringify(row.content ?? {})),
    column('text'),
    column('occurredAt'),
    column('providerMessageId'),
    column('contextProviderMessageId'),
    rows.map((row) => (row.errors?.length ? JSON.stringify(row.errors) : null)),
    rows.map((row) => (row.metadata ? JSON.stringify(row.metadata) : null)),
    rows.map((row) => row.preview.slice(0, 200)),
    rows.map((row) => new Date(row.occurredAt.getTime() + SERVICE_WINDOW_MS)),
  ]);
  const outcomes: InboundRowOutcome[] = rows.map(() => undefined);
  for (const { i, id } of written) outcomes[i - 1] = id;
  return outcomes;
}

export function inboundRow(account: Pick<WhatsappAccount, 'id' | 'organizationId'>, event: InboundMessageEvent, conversationId: string, contactId: string): InboundRow {
  return {
    organizationId: account.organizationId,
    whatsappAccountId: account.id,
    conversationId,
    contactId,
    type: event.type,
    content: event.content,
    text: event.text ?? null,
    occurredAt: event.timestamp,
    providerMessageId: event.providerMessageId,
    contextProviderMessageId: event.contextProviderMessageId ?? null,
    errors: event.errors ?? null,
    metadata: metadataOf(event),
    preview: event.text?.trim() || `[${event.type}]`,
  };
}

/** Who wrote (or, for an echo, was written to), as contact identities. */
export function senderIdentity(customer: CustomerIdentity): ContactIdentity {
  return {
    phoneE164: waIdToE164OrNull(customer.waId ?? customer.phone),
    waId: customer.waId ?? null,
    bsuid: customer.bsuid ?? null,
    username: customer.username ?? null,
    profileName: customer.profileName ?? null,
  };
}

function metadataOf(event: InboundMessageEvent): Record<string, unknown> | null {
  const meta: Record<string, unknown> = {};
  if (event.referral) meta.referral = event.referral.raw;
  if (event.forwarded) meta.forwarded = true;
  if (event.frequentlyForwarded) meta.frequentlyForwarded = true;
  if (event.reaction) meta.reaction = event.reaction;
  if (event.kapso?.transcript) meta.transcript = event.kapso.transcript;
  return Object.keys(meta).length > 0 ? meta : null;
}

const WRITE_INBOUND = new PreparedStatement(
  'inbound-write-rows',
  `
WITH input AS MATERIALIZED (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::varchar[], $6::jsonb[], $7::text[], $8::timestamptz[],
                       $9::varchar[], $10::varchar[], $11::jsonb[], $12::jsonb[], $13::text[], $14::timestamptz[])
    WITH ORDINALITY AS t(organization_id, account_id, conversation_id, contact_id, type, content, text, at,
                         provider_id, context_id, errors, metadata, preview, window_end, ord)),
locked AS MATERIALIZED (
  SELECT id, status AS old_status FROM conversation WHERE id IN (SELECT conversation_id FROM input) ORDER BY id FOR UPDATE),
inserted AS (
  INSERT INTO message (organization_id, whatsapp_account_id, conversation_id, contact_id, direction, type, status,
    content, text, occurred_at, provider_message_id, context_provider_message_id, reply_to_message_id, errors, metadata)
  SELECT r.organization_id, r.account_id, r.conversation_id, r.contact_id, 'inbound'::message_direction, r.type, 'received'::message_status,
         r.content, r.text, r.at, r.provider_id, r.context_id,
         COALESCE(
           (SELECT q.id FROM message q WHERE q.whatsapp_account_id = r.account_id AND q.provider_message_id = r.context_id),
           -- A free-text reply answers the latest outbound the customer could have seen: sent before it, within 24 hours.
           (SELECT o.id FROM message o WHERE o.conversation_id = r.conversation_id AND o.direction = 'outbound'
               AND o.status IN ('sending', 'sent', 'delivered', 'read', 'played')
               AND o.occurred_at <= r.at AND o.occurred_at > r.at - interval '24 hours'
             ORDER BY o.occurred_at DESC, o.id DESC LIMIT 1)),
         r.errors, r.metadata
    FROM input r JOIN locked l ON l.id = r.conversation_id
  ON CONFLICT (whatsapp_account_id, provider_message_id) DO NOTHING
  RETURNING id, whatsapp_account_id, provider_message_id, reply_to_message_id),
new_rows AS (
  SELECT r.*, ins.id AS message_id, ins.reply_to_message_id FROM input r
    JOIN inserted ins ON ins.whatsapp_account_id = r.account_id AND ins.provider_message_id = r.provider_id),
per_conversation AS (
  SELECT conversation_id, count(*) AS n, max(at) AS at, max(window_end) AS window_end,
         (array_agg(preview ORDER BY at DESC, ord DESC))[1] AS preview
    FROM new_rows GROUP BY conversation_id),
conversation_update AS (
  UPDATE conversation c SET
         unread_count = c.unread_count + p.n,
         last_message_preview = CASE WHEN c.last_message_at IS NULL OR p.at >= c.last_message_at THEN p.preview ELSE c.last_message_preview END,
         last_message_at = GREATEST(COALESCE(c.last_message_at, p.at), p.at),
         last_inbound_at = GREATEST(COALESCE(c.last_inbound_at, p.at), p.at),
         window_expires_at = GREATEST(COALESCE(c.window_expires_at, p.window_end), p.window_end),
         status = 'open'::conversation_status, closed_at = NULL, updated_at = now()
    FROM per_conversation p WHERE c.id = p.conversation_id
  RETURNING c.*),
-- A closed conversation the customer writes to again reopens: conversation.updated, in this same statement.
reopened AS (
  SELECT u.* FROM conversation_update u JOIN locked l ON l.id = u.id WHERE l.old_status = 'closed'),
reopened_event AS (
  ${conversationEventsSql('reopened', 'conversation.updated', { change: changeLiteral('reopened') })}),
contact_update AS (
  -- Locked in id order, as the send path does: concurrent writers of the same contacts never deadlock.
  UPDATE contact k SET last_inbound_at = GREATEST(COALESCE(k.last_inbound_at, p.at), p.at)
    FROM (SELECT contact_id, max(at) AS at FROM new_rows GROUP BY contact_id) p,
         (SELECT id FROM contact WHERE id IN (SELECT contact_id FROM new_rows) ORDER BY id FOR UPDATE) locked
   WHERE k.id = p.contact_id AND k.id = locked.id),
-- The transactional outbox: one message.received per new row, in this same statement (no extra round trip).
outbox AS (
  INSERT INTO outbox_event (organization_id, type, conversation_id, data)
  SELECT organization_id, 'message.received', conversation_id, jsonb_build_object('message', jsonb_build_object(
           'id', message_id, 'conversationId', conversation_id, 'contactId', contact_id, 'whatsappAccountId', account_id,
           'direction', 'inbound', 'type', type, 'status', 'received', 'text', text, 'content', content,
           'providerMessageId', provider_id, 'occurredAt', at))
    FROM new_rows ORDER BY ord),
reply_stamp AS (
  UPDATE message m SET reply_received_at = p.at
    FROM (SELECT reply_to_message_id, min(at) AS at FROM new_rows WHERE reply_to_message_id IS NOT NULL GROUP BY reply_to_message_id) p
   WHERE m.id = p.reply_to_message_id AND m.reply_received_at IS NULL)
SELECT r.ord::int AS i, n.message_id AS id FROM input r JOIN locked l ON l.id = r.conversation_id LEFT JOIN new_rows n ON n.ord = r.ord`,
);
