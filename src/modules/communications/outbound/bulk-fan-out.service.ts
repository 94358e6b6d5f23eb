import { messagePublicSql } from '../../../database/outbox';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { Campaign } from '../../../database/entities/campaign.entity';
import { CampaignStatus } from '../../../database/entities/enums';
import { ContactsService } from '../contacts/contacts.service';
import type { BulkSendDto } from './dto/send-message.dto';
import { AccountRateLimiter } from './account-rate-limiter.service';
import { type ComposedMessage, MessageComposer, type TemplateCache } from './message-composer.service';
import { OutboundQueue, PRIORITY_BULK, type SendJobSpec } from './outbound-queue.service';

const CHUNK = 500;
const AHEAD_MS = 5000;
const RESUME_AHEAD_MS = 2000;
const YIELD_EVERY = 50;

interface PendingRecipient {
  id: string;
  phoneE164: string;
  content: { variables?: string[] | Record<string, string>; content?: Record<string, unknown> } | null;
}

interface ResolvedContact {
  id: string;
  optedOut: boolean;
}

interface QueuedRow {
  conversationId: string;
  contactId: string;
  composed: ComposedMessage;
  idempotencyKey: string;
}

interface Target {
  contactId: string;
  conversationId: string;
  optedOut: boolean;
  windowOpen: boolean;
}

/**
 * The FanOutBulkSend job: one message per campaign recipient, idempotent per (campaign, phone) through
 * message.idempotency_key `bulk:<campaign>:<phone>`, so a re-run after a crash inserts nothing twice and
 * re-enqueues under the same job ids. Jobs are paced at the account's bulk rate with BullMQ delays, so a
 * large campaign sits in the delayed set instead of in front of other accounts' messages.
 */
@Injectable()
export class BulkFanOutService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly composer: MessageComposer,
    private readonly queue: OutboundQueue,
    private readonly limiter: AccountRateLimiter,
    private readonly contacts: ContactsService,
  ) {}

  /**
   * Expands pending recipients chunk by chunk. Paced campaigns are expanded just in time: once the last
   * queued message is more than AHEAD_MS away, `pauseUntil` parks the job until it is RESUME_AHEAD_MS away
   * (then it carries on with the recipients still pending), so a 100,000-recipient campaign does not take
   * the database away from the sends for minutes and a cancellation stops what is not yet queued.
   */
  async fanOut(campaignId: string, pauseUntil?: (at: number) => Promise<never>): Promise<{ created: number }> {
    const campaign = await this.dataSource.getRepository(Campaign).findOne({ where: { id: campaignId } });
    if (!campaign || campaign.status === CampaignStatus.Cancelled) return { created: 0 };
    await this.dataSource.getRepository(Campaign).update({ id: campaignId, status: CampaignStatus.Queued }, { status: CampaignStatus.Running });
    const [{ rate }]: Array<{ rate: number }> = await this.dataSource.query(`SELECT rate_limit_per_second AS rate FROM whatsapp_account WHERE id = $1`, [campaign.whatsappAccountId]);
    const templates: TemplateCache = new Map();
    let created = 0;
    for (;;) {
      const batch: PendingRecipient[] = await this.dataSource.query(
        `SELECT id, phone_e164 AS "phoneE164", content FROM campaign_recipient WHERE campaign_id = $1 AND status = 'pending' ORDER BY id LIMIT $2`,
        [campaignId, CHUNK],
      );
      if (batch.length === 0) break;
      const contacts = await this.resolveContacts(campaign.organizationId, batch.map((r) => r.phoneE164));
      const jobs = await this.dataSource.transaction((manager) => this.fanOutChunk(manager, campaign, batch, contacts, templates));
      const delays = campaign.sendAt && campaign.sendAt.getTime() > Date.now() ? null : await this.limiter.reserveBulk(campaign.whatsappAccountId, rate, jobs.length);
      await this.queue.enqueue(jobs.map((job, i) => ({ ...job, ...(delays ? { delayMs: delays[i] } : {}) })));
      created += jobs.length;
      const lastDelay = delays?.at(-1) ?? 0;
      if (pauseUntil && lastDelay > AHEAD_MS) await pauseUntil(Date.now() + lastDelay - RESUME_AHEAD_MS);
    }
    return { created };
  }

  private async fanOutChunk(
    manager: EntityManager,
    campaign: Campaign,
    batch: PendingRecipient[],
    contacts: Map<string, ResolvedContact>,
    templates: TemplateCache,
  ): Promise<SendJobSpec[]> {
    const targets = await this.targets(manager, campaign, contacts);
    const dto = campaign.content as unknown as BulkSendDto;
    const rows: QueuedRow[] = [];
    const skipped: Array<{ id: string; contactId: string | null; code: string; message: string }> = [];
    for (const [i, r] of batch.entries()) {
      // Composing is CPU work: yield now and then so booked send slots in this process fire on time.
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise(setImmediate);
      const target = targets.get(r.phoneE164);
      if (!target) {
        skipped.push({ id: r.id, contactId: null, code: 'CONTACT_NOT_RESOLVED', message: 'No contact row matches this phone number' });
        continue;
      }
      try {
        const composed = await this.composer.compose(campaign.whatsappAccountId, dto, { phoneE164: r.phoneE164, optedOut: target.optedOut, windowOpen: target.windowOpen }, r.content ?? {}, templates);
        rows.push({ conversationId: target.conversationId, contactId: target.contactId, composed, idempotencyKey: `bulk:${campaign.id}:${r.phoneE164}` });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        skipped.push({ id: r.id, contactId: target.contactId, code: error.code, message: error.message });
      }
    }
    if (rows.length > 0) await insertQueued(manager, campaign, dto, rows);
    // Re-read by key: rows inserted by an earlier, interrupted run of this job count too.
    const messages: Array<{ id: string; key: string; status: string; conversationId: string; text: string | null }> = await manager.query(
      `SELECT id, idempotency_key AS key, status, conversation_id AS "conversationId", text FROM message WHERE organization_id = $1 AND idempotency_key = ANY($2::varchar[])`,
      [campaign.organizationId, rows.map((row) => row.idempotencyKey)],
    );
    const byPhone = new Map(messages.map((m) => [m.key.slice(`bulk:${campaign.id}:`.length), m]));
    await manager.query(
      `UPDATE campaign_recipient cr SET status = 'queued', message_id = v.message_id, contact_id = v.contact_id, updated_at = now()
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS v(id, message_id, contact_id) WHERE cr.id = v.id`,
      [batch.filter((r) => byPhone.has(r.phoneE164)).map((r) => r.id), batch.filter((r) => byPhone.has(r.phoneE164)).map((r) => byPhone.get(r.phoneE164)!.id), batch.filter((r) => byPhone.has(r.phoneE164)).map((r) => targets.get(r.phoneE164)!.contactId)],
    );
    if (skipped.length > 0) {
      await manager.query(
        `UPDATE campaign_recipient cr SET status = 'skipped', contact_id = v.contact_id, error_code = v.code, error_message = v.message, updated_at = now()
           FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::text[]) AS v(id, contact_id, code, message) WHERE cr.id = v.id`,
        [skipped.map((s) => s.id), skipped.map((s) => s.contactId), skipped.map((s) => s.code), skipped.map((s) => s.message)],
      );
    }
    await manager.query(
      `UPDATE conversation c SET last_message_at = GREATEST(COALESCE(c.last_message_at, now()), now()), last_message_preview = left(v.preview, 200), updated_at = now()
         FROM unnest($1::uuid[], $2::text[]) AS v(id, preview) WHERE c.id = v.id`,
      [messages.map((m) => m.conversationId), messages.map((m) => m.text)],
    );
    return messages.filter((m) => m.status === 'queued').map((m) => ({ id: m.id, priority: PRIORITY_BULK, sendAt: campaign.sendAt }));
  }

  /** Recipient phone → contact (any WhatsApp spelling of the number); numbers with no contact yet get one. */
  private async resolveContacts(organizationId: string, phones: string[]): Promise<Map<string, ResolvedContact>> {
    const resolved = await this.contacts.findByPhones(organizationId, phones);
    const missing = phones.filter((phone) => !resolved.has(phone));
    for (const [phone, contact] of await this.contacts.createForPhones(organizationId, missing)) resolved.set(phone, contact);
    return resolved;
  }

  /** Set-based conversation upserts for a chunk, keyed by recipient phone. */
  private async targets(manager: EntityManager, campaign: Campaign, contacts: Map<string, ResolvedContact>): Promise<Map<string, Target>> {
    const contactIds = [...new Set([...contacts.values()].map((c) => c.id))];
    await manager.query(
      `INSERT INTO conversation (organization_id, whatsapp_account_id, contact_id) SELECT $1, $2, c FROM unnest($3::uuid[]) AS c
       ON CONFLICT (whatsapp_account_id, contact_id) DO NOTHING`,
      [campaign.organizationId, campaign.whatsappAccountId, contactIds],
    );
    const conversations: Array<{ id: string; contactId: string; open: boolean }> = await manager.query(
      `SELECT id, contact_id AS "contactId", COALESCE(window_expires_at > now(), false) AS open FROM conversation WHERE whatsapp_account_id = $1 AND contact_id = ANY($2::uuid[])`,
      [campaign.whatsappAccountId, contactIds],
    );
    const byContact = new Map(conversations.map((c) => [c.contactId, c]));
    const targets = new Map<string, Target>();
    for (const [phone, contact] of contacts) {
      const conversation = byContact.get(contact.id);
      // No conversation only if the contact vanished meanwhile: fanOutChunk skips that recipient.
      if (conversation) targets.set(phone, { contactId: contact.id, conversationId: conversation.id, optedOut: contact.optedOut, windowOpen: conversation.open });
    }
    return targets;
  }
}

/**
 * One statement for a chunk of queued bulk messages, with the columns `queuedColumns` gives a single send
 * (set-based: building a 500-row ORM insert cost more CPU than sending the messages).
 */
function insertQueued(
  manager: EntityManager,
  campaign: Campaign,
  dto: BulkSendDto,
  rows: QueuedRow[],
): Promise<unknown> {
  const column = <T>(pick: (row: QueuedRow) => T) => rows.map(pick);
  const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
  return manager.query(
    `WITH inserted AS (
     INSERT INTO message (organization_id, whatsapp_account_id, campaign_id, kind, external_ref, metadata, priority, send_at, direction, status, occurred_at,
                          conversation_id, contact_id, type, content, text, template_name, template_language, template_variables, is_fallback, idempotency_key)
     SELECT $1, $2, $3, $4, $5, $6::jsonb, $7, $8::timestamptz, 'outbound', 'queued', now(),
            r.conversation_id, r.contact_id, r.type, r.content::jsonb, r.text, r.template_name, r.template_language, r.template_variables::jsonb, r.is_fallback, r.idempotency_key
       FROM unnest($9::uuid[], $10::uuid[], $11::varchar[], $12::text[], $13::text[], $14::varchar[], $15::varchar[], $16::text[], $17::boolean[], $18::varchar[])
         AS r(conversation_id, contact_id, type, content, text, template_name, template_language, template_variables, is_fallback, idempotency_key)
     ON CONFLICT DO NOTHING
     RETURNING *)
     INSERT INTO outbox_event (organization_id, type, conversation_id, data)
     SELECT organization_id, 'message.created', conversation_id, ${messagePublicSql('inserted')} FROM inserted`,
    [
      campaign.organizationId,
      campaign.whatsappAccountId,
      campaign.id,
      dto.kind ?? null,
      dto.externalRef ?? null,
      json(dto.metadata),
      PRIORITY_BULK,
      campaign.sendAt,
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
