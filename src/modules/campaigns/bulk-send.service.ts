import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import type { CountryCode } from '../../common/phone';
import { Campaign } from '../../database/entities/campaign.entity';
import { CampaignStatus } from '../../database/entities/enums';
import { CommunicationsErrorCode } from '../communications/communications.errors';
import type { BulkSendDto } from '../communications/outbound/dto/send-message.dto';
import { MessageComposer, type TemplateCache } from '../communications/outbound/message-composer.service';
import { requestHash } from '../communications/outbound/request-hash';
import { WhatsappAccountsService } from '../whatsapp/accounts/whatsapp-accounts.service';
import { CampaignAudience, type RecipientRow } from './campaign-audience.service';
import { CampaignJobs } from './campaign-jobs.service';
import { CampaignStats } from './campaign-stats.service';

export interface BulkAccepted {
  jobId: string;
  total: number;
}

/**
 * POST /messages/bulk and GET /jobs/:id, kept for compatibility: a bulk send is a campaign created running (or
 * scheduled at `sendAt`) with an explicit recipient list, and its job is the campaign.
 */
@Injectable()
export class BulkSendService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: WhatsappAccountsService,
    private readonly composer: MessageComposer,
    private readonly audience: CampaignAudience,
    private readonly jobs: CampaignJobs,
    private readonly stats: CampaignStats,
  ) {}

  async create(organizationId: string, userId: string | null, dto: BulkSendDto, idempotencyKey?: string): Promise<{ body: BulkAccepted; replayed: boolean }> {
    const hash = idempotencyKey ? requestHash(dto) : null;
    if (idempotencyKey) {
      const replay = await this.findReplay(organizationId, idempotencyKey, hash!);
      if (replay) return { body: replay, replayed: true };
    }
    const account = dto.accountId ? await this.accounts.get(organizationId, dto.accountId) : await this.accounts.getDefault(organizationId);
    const recipients = this.audience.normaliseExplicit(dto.recipients, account.defaultRegion as CountryCode);
    await this.prevalidate(account.id, dto, recipients);
    const { recipients: _omit, ...content } = dto;
    const scheduled = dto.sendAt !== undefined && new Date(dto.sendAt).getTime() > Date.now();
    const campaignId = await this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Campaign)
        .values({
          organizationId,
          whatsappAccountId: account.id,
          name: dto.name ?? null,
          status: scheduled ? CampaignStatus.Scheduled : CampaignStatus.Running,
          content: content as never,
          audience: { explicitRecipients: recipients.length } as never,
          totalRecipients: recipients.length,
          idempotencyKey: idempotencyKey ?? null,
          requestHash: hash,
          createdByUserId: userId,
          sendAt: dto.sendAt ? new Date(dto.sendAt) : null,
          startedAt: scheduled ? null : new Date(),
        })
        .orIgnore()
        .returning(['id'])
        .execute();
      const id = (inserted.raw as Array<{ id: string }>)[0]?.id;
      if (!id) return null;
      await this.audience.materialise(manager, organizationId, id, { recipients: dto.recipients }, account.defaultRegion as CountryCode);
      return id;
    });
    if (!campaignId) {
      const replay = await this.findReplay(organizationId, idempotencyKey!, hash!);
      if (replay) return { body: replay, replayed: true };
      throw new DomainError(CommunicationsErrorCode.IdempotencyKeyConflict, 'Idempotency-Key was used concurrently');
    }
    await this.jobs.ensureRunner(campaignId);
    return { body: { jobId: campaignId, total: recipients.length }, replayed: false };
  }

  async status(organizationId: string, campaignId: string): Promise<Record<string, unknown>> {
    const campaign = await this.dataSource.getRepository(Campaign).findOne({ where: { id: campaignId, organizationId } });
    if (!campaign) throw new NotFoundError(CommunicationsErrorCode.JobNotFound, 'job');
    const { counts } = await this.stats.counts(campaignId);
    return {
      id: campaign.id,
      status: jobStatus(campaign.status, counts.sent + counts.failed + counts.skipped + counts.sending),
      total: counts.total,
      pending: counts.pending,
      queued: counts.sending,
      sent: counts.sent,
      delivered: counts.delivered,
      read: counts.read,
      failed: counts.failed,
      skipped: counts.skipped + counts.expired,
      cancelled: counts.cancelled,
      createdAt: campaign.createdAt,
      sendAt: campaign.sendAt,
    };
  }

  private async findReplay(organizationId: string, key: string, hash: string): Promise<BulkAccepted | null> {
    const existing = await this.dataSource.getRepository(Campaign).findOne({ where: { organizationId, idempotencyKey: key }, select: { id: true, requestHash: true, totalRecipients: true } });
    if (!existing) return null;
    if (existing.requestHash !== hash) throw new DomainError(CommunicationsErrorCode.IdempotencyKeyConflict, 'This Idempotency-Key was already used with a different request body', { jobId: existing.id });
    await this.jobs.ensureRunner(existing.id);
    return { jobId: existing.id, total: existing.totalRecipients };
  }

  /** Shapes, template existence/approval and every recipient's variables, before anything is stored. */
  private async prevalidate(accountId: string, dto: BulkSendDto, recipients: RecipientRow[]): Promise<void> {
    const templates: TemplateCache = new Map();
    for (const [index, r] of recipients.entries()) {
      // Up to 10,000 recipients: yield now and then so a worker in this process keeps its send timing.
      if (index % 50 === 49) await new Promise(setImmediate);
      try {
        await this.composer.compose(accountId, dto, { phoneE164: r.phoneE164, optedOut: false, windowOpen: true }, r.content ?? {}, templates);
      } catch (error) {
        if (error instanceof DomainError) {
          throw new DomainError(error.code, `recipient ${r.phoneE164} (#${index}): ${error.message}`, { ...error.details, recipient: index });
        }
        throw error;
      }
    }
  }
}

/** The bulk API's words: a campaign that has sent nothing yet is `queued`. */
function jobStatus(status: CampaignStatus, touched: number): string {
  if (status === CampaignStatus.Running || status === CampaignStatus.Queued) return touched === 0 ? 'queued' : 'running';
  return status;
}
