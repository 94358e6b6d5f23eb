import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { UNSENT_OUTBOUND } from '../../../database/entities/message.entity';
import { messagePublicSql } from '../../../database/outbox';
import { conversationEventsSql } from '../communications-events';
import { ContactsService } from '../contacts/contacts.service';
import type { MessageContentDto } from './dto/send-message.dto';
import { type ComposedMessage, MessageComposer, type TemplateCache } from './message-composer.service';
import { PRIORITY_BULK, type SendJobSpec } from './outbound-queue.service';

const YIELD_EVERY = 50;

/** What a campaign asks of the send pipeline for one batch (ids, never the campaign row itself). */
export interface CampaignBatch {
  campaignId: string;
  organizationId: string;
  whatsappAccountId: string;
  /** Extra request fields stored on each message (kind, externalRef, metadata), as for a single send. */
  extras?: { kind?: string; externalRef?: string; metadata?: Record<string, unknown> };
  priority?: number;
}

export interface CampaignRecipientInput {
  id: string;
  phoneE164: string;
  /** The content this recipient gets (the campaign's, or its A/B variant's). */
  dto: MessageContentDto;
  overrides: { variables?: string[] | Record<string, string>; content?: Record<string, unknown> } | null;
  /** `bulk:<campaign>:<phone>` on the first attempt: a message with this key is never created twice. */
  idempotencyKey: string;
}

export interface ResolvedContact {
  id: string;
  optedOut: boolean;
}

export interface BatchOutcome {
  queued: Array<{ recipientId: string; messageId: string; contactId: string }>;
  skipped: Array<{ recipientId: string; contactId: string | null; code: string; message: string }>;
  jobs: SendJobSpec[];
}

interface ExistingConversation {
  id: string;
  open: boolean;
}

interface ComposedRow {
  contactId: string;
  composed: ComposedMessage;
  idempotencyKey: string;
}

interface QueuedRow extends ComposedRow {
  conversationId: string;
}

/**
 * Campaign recipients become messages through the normal send rules (window, opt-out, template approval), with
 * message.idempotency_key as the exactly-once guard: a batch re-run after a crash finds the messages its first
 * run created (re-read by key) instead of creating them again. Campaigns own their recipient rows; this owns the
 * message, contact and conversation rows.
 */
@Injectable()
export class CampaignMessagesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly composer: MessageComposer,
    private readonly contacts: ContactsService,
  ) {}

  /** Recipient phone → contact (any WhatsApp spelling of the number); numbers with no contact yet get one. Outside the batch transaction. */
  async resolveContacts(organizationId: string, phones: string[]): Promise<Map<string, ResolvedContact>> {
    const resolved = await this.contacts.findByPhones(organizationId, phones);
    const missing = phones.filter((phone) => !resolved.has(phone));
    for (const [phone, contact] of await this.contacts.createForPhones(organizationId, missing)) resolved.set(phone, contact);
    return resolved;
  }

  /** Existing contacts only (inside the caller's transaction). */
  findContacts(organizationId: string, phones: string[], manager: EntityManager): Promise<Map<string, ResolvedContact>> {
    return phones.length === 0 ? Promise.resolve(new Map()) : this.contacts.findByPhones(organizationId, phones, manager);
  }

  /** Inside the caller's transaction: composes, inserts the queued messages (once per key), returns what to enqueue. */
  async createBatch(manager: EntityManager, batch: CampaignBatch, recipients: CampaignRecipientInput[], contacts: Map<string, ResolvedContact>, templates: TemplateCache): Promise<BatchOutcome> {
    const conversations = await this.existingConversations(manager, batch, contacts);
    const composed: ComposedRow[] = [];
    const skipped: BatchOutcome['skipped'] = [];
    for (const [i, r] of recipients.entries()) {
      // Composing is CPU work: yield now and then so booked send slots in this process fire on time.
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise(setImmediate);
      const contact = contacts.get(r.phoneE164);
      if (!contact) {
        skipped.push({ recipientId: r.id, contactId: null, code: 'CONTACT_NOT_RESOLVED', message: 'No contact row matches this phone number' });
        continue;
      }
      const conversation = conversations.get(contact.id);
      try {
        const message = await this.composer.compose(batch.whatsappAccountId, r.dto, { phoneE164: r.phoneE164, optedOut: contact.optedOut, windowOpen: conversation?.open ?? false }, r.overrides ?? {}, templates);
        composed.push({ contactId: contact.id, composed: message, idempotencyKey: r.idempotencyKey });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        skipped.push({ recipientId: r.id, contactId: contact.id, code: error.code, message: error.message });
      }
    }
    const opened = await this.openConversations(manager, batch, composed.filter((row) => !conversations.has(row.contactId)));
    const rows = composed.flatMap((row) => {
      const conversationId = conversations.get(row.contactId)?.id ?? opened.get(row.contactId)?.id;
      return conversationId ? [{ ...row, conversationId }] : [];
    });
    const inserted = rows.length > 0 ? await insertQueued(manager, batch, rows) : [];
    // Keys that already had a message (a batch claimed again after a crash) are looked up; usually there are none.
    const insertedKeys = new Set(inserted.map((m) => m.key));
    const existingKeys = rows.map((row) => row.idempotencyKey).filter((key) => !insertedKeys.has(key));
    const existing: BatchMessage[] =
      existingKeys.length === 0
        ? []
        : await manager.query(
            `SELECT m.id, m.idempotency_key AS key, m.status, m.conversation_id AS "conversationId", m.contact_id AS "contactId", m.text
               FROM unnest($2::varchar[]) AS k(key) JOIN message m ON m.organization_id = $1 AND m.idempotency_key = k.key`,
            [batch.organizationId, existingKeys],
          );
    const messages = [...inserted, ...existing];
    // Conversations opened by this batch already carry their message; the others are brought up to date.
    const openedIds = new Set([...opened.values()].filter((c) => c.opened).map((c) => c.id));
    await touchConversations(manager, inserted.filter((m) => !openedIds.has(m.conversationId)));
    const byKey = new Map(messages.map((m) => [m.key, m]));
    const queued = recipients.flatMap((r) => {
      const m = byKey.get(r.idempotencyKey);
      return m ? [{ recipientId: r.id, messageId: m.id, contactId: m.contactId }] : [];
    });
    const jobs = messages.filter((m) => m.status === 'queued').map((m) => ({ id: m.id, priority: batch.priority ?? PRIORITY_BULK }));
    return { queued, skipped, jobs };
  }

  /**
   * Pause and cancel: messages of the campaign still `queued` and never tried are deleted, so none of them goes out; a
   * worker that claims first keeps its row (`sending`), which is then sent. A queued row with an attempt behind it is
   * kept: that attempt may have reached Meta unanswered, and only its retry can adopt the provider id instead of
   * sending again (withdrawn, its recipient would get a second message on resume). Returns the withdrawn ids.
   */
  async withdrawQueued(manager: EntityManager, organizationId: string, campaignId: string): Promise<string[]> {
    const [rows]: [Array<{ id: string }>, number] = await manager.query(
      // The unsent-message predicate lets the partial index idx_message_unsent find them: with current statistics the
      // planner otherwise read the whole (large, during a campaign) message table while the pause waited.
      `DELETE FROM message WHERE organization_id = $1 AND campaign_id = $2 AND status = 'queued' AND attempts = 0 AND ${UNSENT_OUTBOUND} RETURNING id`,
      [organizationId, campaignId],
    );
    return rows.map((r) => r.id);
  }

  /** How many of the campaign's messages wait for their first send attempt, counted up to `upTo`. */
  async untriedCount(organizationId: string, campaignId: string, upTo: number): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM message WHERE organization_id = $1 AND campaign_id = $2 AND status = 'queued' AND attempts = 0 AND ${UNSENT_OUTBOUND} LIMIT $3) AS waiting`,
      [organizationId, campaignId, upTo],
    );
    return row.n;
  }

  /** The campaign's messages waiting for a send worker (their jobs may have been lost with Redis). */
  async queuedIds(organizationId: string, campaignId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM message WHERE status = 'queued' AND organization_id = $1 AND campaign_id = $2 AND ${UNSENT_OUTBOUND} ORDER BY created_at, id`,
      [organizationId, campaignId],
    );
    return rows.map((r) => r.id);
  }

  /** The batch's contacts' conversations on this account that exist already, by contact, with whether their window is open. */
  private async existingConversations(manager: EntityManager, batch: CampaignBatch, contacts: Map<string, ResolvedContact>): Promise<Map<string, ExistingConversation>> {
    const contactIds = [...new Set([...contacts.values()].map((c) => c.id))];
    if (contactIds.length === 0) return new Map();
    const rows: Array<ExistingConversation & { contactId: string }> = await manager.query(
      `SELECT id, contact_id AS "contactId", COALESCE(window_expires_at > now(), false) AS open FROM conversation WHERE whatsapp_account_id = $1 AND contact_id = ANY($2::uuid[])`,
      [batch.whatsappAccountId, contactIds],
    );
    return new Map(rows.map((c) => [c.contactId, { id: c.id, open: c.open }]));
  }

  /**
   * Conversations for contacts that have none yet, created with the message they are about to get as their last one
   * (one write, not an insert and then an update of the same row), with their conversation.created events. A contact
   * whose conversation another process created meanwhile gets that one (its window counted closed).
   */
  private async openConversations(manager: EntityManager, batch: CampaignBatch, rows: ComposedRow[]): Promise<Map<string, { id: string; opened: boolean }>> {
    if (rows.length === 0) return new Map();
    const preview = new Map(rows.map((row) => [row.contactId, row.composed.text]));
    const created: Array<{ id: string; contactId: string }> = await manager.query(
      `WITH created AS (
         INSERT INTO conversation (organization_id, whatsapp_account_id, contact_id, last_message_at, last_message_preview)
         SELECT $1, $2, v.contact_id, now(), left(v.preview, 200) FROM unnest($3::uuid[], $4::text[]) AS v(contact_id, preview)
         ON CONFLICT (whatsapp_account_id, contact_id) DO NOTHING RETURNING *),
       events AS (${conversationEventsSql('created', 'conversation.created')})
       SELECT id, contact_id AS "contactId" FROM created`,
      [batch.organizationId, batch.whatsappAccountId, [...preview.keys()], [...preview.values()]],
    );
    const opened = new Map(created.map((c) => [c.contactId, { id: c.id, opened: true }]));
    const raced = [...preview.keys()].filter((contactId) => !opened.has(contactId));
    if (raced.length === 0) return opened;
    const others: Array<{ id: string; contactId: string }> = await manager.query(
      `SELECT id, contact_id AS "contactId" FROM conversation WHERE whatsapp_account_id = $1 AND contact_id = ANY($2::uuid[])`,
      [batch.whatsappAccountId, raced],
    );
    for (const c of others) opened.set(c.contactId, { id: c.id, opened: false });
    return opened;
  }
}

async function touchConversations(manager: EntityManager, messages: Array<{ conversationId: string; text: string | null }>): Promise<void> {
  if (messages.length === 0) return;
  await manager.query(
    `UPDATE conversation c SET last_message_at = GREATEST(COALESCE(c.last_message_at, now()), now()), last_message_preview = left(v.preview, 200), updated_at = now()
       FROM unnest($1::uuid[], $2::text[]) AS v(id, preview) WHERE c.id = v.id`,
    [messages.map((m) => m.conversationId), messages.map((m) => m.text)],
  );
}

/**
 * One statement for a batch of queued campaign messages, with the columns `queuedColumns` gives a single send
 * (set-based: building a 500-row ORM insert cost more CPU than sending the messages).
 */
interface BatchMessage {
  id: string;
  key: string;
  status: string;
  conversationId: string;
  contactId: string;
  text: string | null;
}

/** The messages inserted (a key that already had one is left out). */
function insertQueued(manager: EntityManager, batch: CampaignBatch, rows: QueuedRow[]): Promise<BatchMessage[]> {
  const column = <T>(pick: (row: QueuedRow) => T) => rows.map(pick);
  const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
  return manager.query(
    // The message.created events are written by the same statement (transactional outbox).
    `WITH inserted AS (
     INSERT INTO message (organization_id, whatsapp_account_id, campaign_id, kind, external_ref, metadata, priority, direction, status, occurred_at,
                          conversation_id, contact_id, type, content, text, template_name, template_language, template_variables, is_fallback, idempotency_key)
     SELECT $1, $2, $3, $4, $5, $6::jsonb, $7, 'outbound', 'queued', now(),
            r.conversation_id, r.contact_id, r.type, r.content::jsonb, r.text, r.template_name, r.template_language, r.template_variables::jsonb, r.is_fallback, r.idempotency_key
       FROM unnest($8::uuid[], $9::uuid[], $10::varchar[], $11::text[], $12::text[], $13::varchar[], $14::varchar[], $15::text[], $16::boolean[], $17::varchar[])
         AS r(conversation_id, contact_id, type, content, text, template_name, template_language, template_variables, is_fallback, idempotency_key)
     ON CONFLICT DO NOTHING
     RETURNING *),
   events AS (
     INSERT INTO outbox_event (organization_id, type, conversation_id, data)
     SELECT organization_id, 'message.created', conversation_id, ${messagePublicSql('inserted')} FROM inserted)
   SELECT id, idempotency_key AS key, status, conversation_id AS "conversationId", contact_id AS "contactId", text FROM inserted`,
    [
      batch.organizationId,
      batch.whatsappAccountId,
      batch.campaignId,
      batch.extras?.kind ?? null,
      batch.extras?.externalRef ?? null,
      json(batch.extras?.metadata),
      batch.priority ?? PRIORITY_BULK,
      column((r) => r.conversationId),
      column((r) => r.contactId),
      column((r) => r.composed.type),
      column((r) => json(r.composed.content)),
      column((r) => r.composed.text),
      column((r) => r.composed.templateName),
      column((r) => r.composed.templateLanguage),
      column((r) => json(r.composed.templateVariables)),
      column((r) => r.composed.isFallback),
      column((r) => r.idempotencyKey),
    ],
  );
}
