import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, NotFoundError, ValidationFailedError } from '../../../common/errors/domain-error';
import { type CountryCode, normalizePhone } from '../../../common/phone';
import { Campaign } from '../../../database/entities/campaign.entity';
import { CampaignStatus } from '../../../database/entities/enums';
import { JobName } from '../../../queues/job-names';
import { JobProducer } from '../../../queues/job-producer.service';
import { WhatsappAccountsService } from '../../whatsapp/accounts/whatsapp-accounts.service';
import type { BulkSendDto } from './dto/send-message.dto';
import { MessageComposer, type TemplateCache } from './message-composer.service';
import { requestHash } from './request-hash';
import { CommunicationsErrorCode } from '../communications.errors';

export interface BulkAccepted {
  jobId: string;
  total: number;
}

interface UniqueRecipient {
  phoneE164: string;
  variables?: string[] | Record<string, string>;
  content?: Record<string, unknown>;
}

const INSERT_CHUNK = 1000;

/** POST /messages/bulk: validate every recipient up front, record campaign + recipients, enqueue the fan-out. */
@Injectable()
export class BulkSendService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: WhatsappAccountsService,
    private readonly composer: MessageComposer,
    private readonly jobs: JobProducer,
  ) {}

  async create(organizationId: string, userId: string | null, dto: BulkSendDto, idempotencyKey?: string): Promise<{ body: BulkAccepted; replayed: boolean }> {
    const hash = idempotencyKey ? requestHash(dto) : null;
    if (idempotencyKey) {
      const replay = await this.findReplay(organizationId, idempotencyKey, hash!);
      if (replay) return { body: replay, replayed: true };
    }
    const account = dto.accountId ? await this.accounts.get(organizationId, dto.accountId) : await this.accounts.getDefault(organizationId);
    const recipients = normaliseRecipients(dto, account.defaultRegion as CountryCode);
    await this.prevalidate(account.id, dto, recipients);
    const { recipients: _omit, ...content } = dto;
    const campaignId = await this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Campaign)
        .values({
          organizationId,
          whatsappAccountId: account.id,
          name: dto.name ?? null,
          status: CampaignStatus.Queued,
          content: content as never,
          totalRecipients: recipients.length,
          idempotencyKey: idempotencyKey ?? null,
          requestHash: hash,
          createdByUserId: userId,
          sendAt: dto.sendAt ? new Date(dto.sendAt) : null,
        })
        .orIgnore()
        .returning(['id'])
        .execute();
      const id = (inserted.raw as Array<{ id: string }>)[0]?.id;
      if (!id) return null;
      for (let i = 0; i < recipients.length; i += INSERT_CHUNK) {
        const chunk = recipients.slice(i, i + INSERT_CHUNK);
        await manager.query(
          `INSERT INTO campaign_recipient (organization_id, campaign_id, phone_e164, content)
           SELECT $1, $2, r.phone, r.content::jsonb FROM unnest($3::varchar[], $4::text[]) AS r(phone, content)
           ON CONFLICT DO NOTHING`,
          [organizationId, id, chunk.map((r) => r.phoneE164), chunk.map((r) => (r.variables !== undefined || r.content !== undefined ? JSON.stringify({ variables: r.variables, content: r.content }) : null))],
        );
      }
      return id;
    });
    if (!campaignId) {
      const replay = await this.findReplay(organizationId, idempotencyKey!, hash!);
      if (replay) return { body: replay, replayed: true };
      throw new DomainError(CommunicationsErrorCode.IdempotencyKeyConflict, 'Idempotency-Key was used concurrently');
    }
    await this.jobs.enqueue(JobName.FanOutBulkSend, { campaignId }, { key: campaignId });
    return { body: { jobId: campaignId, total: recipients.length }, replayed: false };
  }

  async status(organizationId: string, campaignId: string): Promise<Record<string, unknown>> {
    const campaign = await this.dataSource.getRepository(Campaign).findOne({ where: { id: campaignId, organizationId } });
    if (!campaign) throw new NotFoundError(CommunicationsErrorCode.JobNotFound, 'job');
    const [recipients]: Array<{ total: number; pending: number; skipped: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'skipped')::int AS skipped
         FROM campaign_recipient WHERE campaign_id = $1`,
      [campaignId],
    );
    const rows: Array<{ status: string; count: number }> = await this.dataSource.query(`SELECT status, count(*)::int AS count FROM message WHERE campaign_id = $1 GROUP BY status`, [campaignId]);
    const n = (...statuses: string[]) => rows.filter((r) => statuses.includes(r.status)).reduce((sum, r) => sum + r.count, 0);
    const queued = n('queued', 'sending');
    // Skips are decided by the fan-out, before the send time; only a send attempt means the job has started.
    const started = n('sending', 'sent', 'delivered', 'read', 'played', 'failed') > 0;
    const status = bulkStatus(campaign, { open: queued + recipients.pending, queued, started });
    return {
      id: campaign.id,
      status,
      total: recipients.total,
      pending: recipients.pending,
      queued,
      sent: n('sent', 'delivered', 'read', 'played'),
      delivered: n('delivered', 'read', 'played'),
      read: n('read', 'played'),
      failed: n('failed'),
      skipped: recipients.skipped,
      createdAt: campaign.createdAt,
      sendAt: campaign.sendAt,
    };
  }

  private async findReplay(organizationId: string, key: string, hash: string): Promise<BulkAccepted | null> {
    const existing = await this.dataSource.getRepository(Campaign).findOne({ where: { organizationId, idempotencyKey: key }, select: { id: true, requestHash: true, totalRecipients: true } });
    if (!existing) return null;
    if (existing.requestHash !== hash) throw new DomainError(CommunicationsErrorCode.IdempotencyKeyConflict, 'This Idempotency-Key was already used with a different request body', { jobId: existing.id });
    await this.jobs.enqueue(JobName.FanOutBulkSend, { campaignId: existing.id }, { key: existing.id });
    return { jobId: existing.id, total: existing.totalRecipients };
  }

  /** Shapes, template existence/approval and every recipient's variables, before anything is stored. */
  private async prevalidate(accountId: string, dto: BulkSendDto, recipients: UniqueRecipient[]): Promise<void> {
    const templates: TemplateCache = new Map();
    for (const [index, r] of recipients.entries()) {
      // Up to 10,000 recipients: yield now and then so a worker in this process keeps its send timing.
      if (index % 50 === 49) await new Promise(setImmediate);
      try {
        await this.composer.compose(accountId, dto, { phoneE164: r.phoneE164, optedOut: false, windowOpen: true }, r, templates);
      } catch (error) {
        if (error instanceof DomainError) {
          throw new DomainError(error.code, `recipient ${r.phoneE164} (#${index}): ${error.message}`, { ...error.details, recipient: index });
        }
        throw error;
      }
    }
  }
}

function normaliseRecipients(dto: BulkSendDto, region: CountryCode): UniqueRecipient[] {
  const seen = new Map<string, UniqueRecipient>();
  const invalid: Array<{ field: string; message: string }> = [];
  dto.recipients.forEach((r, i) => {
    try {
      const phoneE164 = normalizePhone(r.to, region);
      // Duplicates collapse: one message per (campaign, phone), the first entry wins.
      if (!seen.has(phoneE164)) seen.set(phoneE164, { phoneE164, variables: r.variables, content: r.content });
    } catch {
      invalid.push({ field: `recipients[${i}].to`, message: 'is not a valid phone number' });
    }
  });
  if (invalid.length > 0) throw new ValidationFailedError(`Invalid recipients: ${invalid.length}`, invalid.slice(0, 100));
  return [...seen.values()];
}

/**
 * `scheduled` until its send time while nothing has gone out (its messages wait queued for `sendAt`),
 * `queued` before the fan-out, `running` once a send is attempted, then `completed` or `cancelled`.
 */
function bulkStatus(campaign: Campaign, counts: { open: number; queued: number; started: boolean }): string {
  if (campaign.status === CampaignStatus.Cancelled) return 'cancelled';
  if (counts.open === 0) return 'completed';
  if (counts.started) return 'running';
  if (campaign.sendAt && campaign.sendAt.getTime() > Date.now()) return 'scheduled';
  return counts.queued === 0 ? 'queued' : 'running';
}
