import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { Campaign } from '../../database/entities/campaign.entity';
import { CampaignStatus } from '../../database/entities/enums';
import { AccountRateLimiter } from '../communications/outbound/account-rate-limiter.service';
import { CampaignMessagesService } from '../communications/outbound/campaign-messages.service';
import type { MessageContentDto } from '../communications/outbound/dto/send-message.dto';
import { MessageComposer } from '../communications/outbound/message-composer.service';
import { type AbTestSpec, CampaignAbTest, DEFAULT_DECIDE_AFTER_MS } from './campaign-ab-test.service';
import { CampaignClock } from './campaign-clock';
import { CampaignJobs } from './campaign-jobs.service';
import { CampaignRecipientsStore } from './campaign-recipients.store';
import { CampaignsErrorCode } from './campaigns.errors';

export interface CampaignState {
  id: string;
  status: CampaignStatus;
}

/**
 * start / pause / resume / cancel. Each is one guarded UPDATE (the database trigger refuses any other move), so a
 * repeated or concurrent call changes nothing twice. Pause and cancel withdraw the messages not yet claimed by a
 * send worker in the same transaction: nothing of the campaign is sent after they answer but the calls already in flight.
 */
/** How long pause and cancel wait for the campaign's provider calls in flight, and how often they look. */
const SETTLE_MAX_MS = 1000;
const SETTLE_POLL_MS = 20;

@Injectable()
export class CampaignLifecycle {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messages: CampaignMessagesService,
    private readonly store: CampaignRecipientsStore,
    private readonly abTest: CampaignAbTest,
    private readonly jobs: CampaignJobs,
    private readonly clock: CampaignClock,
    private readonly composer: MessageComposer,
    private readonly limiter: AccountRateLimiter,
  ) {}

  async start(organizationId: string, id: string): Promise<CampaignState> {
    const campaign = await this.load(organizationId, id);
    if (campaign.status !== CampaignStatus.Draft) throw this.conflict(campaign, 'start');
    if (campaign.totalRecipients === 0) throw new DomainError(CampaignsErrorCode.AudienceEmpty, 'The campaign has no recipients');
    await this.checkTemplates(campaign);
    const now = this.clock.now();
    const scheduled = campaign.sendAt !== null && campaign.sendAt > now;
    const status = scheduled ? CampaignStatus.Scheduled : CampaignStatus.Running;
    await this.dataSource.transaction(async (manager) => {
      const spec = campaign.abTest as AbTestSpec | null;
      if (spec) await this.abTest.assign(manager, campaign, spec);
      const decideAt = spec?.testFraction ? new Date((campaign.sendAt && scheduled ? campaign.sendAt : now).getTime() + (spec.decideAfterMs ?? DEFAULT_DECIDE_AFTER_MS)) : null;
      await this.move(manager, campaign, [CampaignStatus.Draft], status, { started_at: scheduled ? null : now, test_phase_ends_at: decideAt });
    });
    await this.jobs.ensureRunner(id);
    return { id, status };
  }

  async pause(organizationId: string, id: string): Promise<CampaignState> {
    const campaign = await this.load(organizationId, id);
    const from = [CampaignStatus.Running, CampaignStatus.Queued, CampaignStatus.Scheduled];
    if (!from.includes(campaign.status)) throw this.conflict(campaign, CampaignStatus.Paused);
    await this.holding(campaign, 'paused', () =>
      this.dataSource.transaction(async (manager) => {
        await this.move(manager, campaign, from, CampaignStatus.Paused, { paused_at: new Date() });
        const withdrawn = await this.messages.withdrawQueued(manager, organizationId, id);
        await this.store.release(manager, campaign, withdrawn, 'pending');
      }),
    );
    await this.sendsSettled(id);
    return { id, status: CampaignStatus.Paused };
  }

  async resume(organizationId: string, id: string): Promise<CampaignState> {
    const campaign = await this.load(organizationId, id);
    const status = campaign.sendAt && campaign.sendAt > this.clock.now() ? CampaignStatus.Scheduled : CampaignStatus.Running;
    if (campaign.status !== CampaignStatus.Paused) throw this.conflict(campaign, status);
    await this.limiter.releaseCampaign(id);
    await this.dataSource.transaction((manager) => this.move(manager, campaign, [CampaignStatus.Paused], status, { paused_at: null }));
    await this.jobs.ensureRunner(id, true);
    return { id, status };
  }

  async cancel(organizationId: string, id: string): Promise<CampaignState> {
    const campaign = await this.load(organizationId, id);
    const from = [CampaignStatus.Draft, CampaignStatus.Scheduled, CampaignStatus.Queued, CampaignStatus.Running, CampaignStatus.Paused];
    if (!from.includes(campaign.status)) throw this.conflict(campaign, CampaignStatus.Cancelled);
    await this.holding(campaign, 'cancelled', () =>
      this.dataSource.transaction(async (manager) => {
        await this.move(manager, campaign, from, CampaignStatus.Cancelled, { completed_at: new Date() });
        const withdrawn = await this.messages.withdrawQueued(manager, organizationId, id);
        await this.store.release(manager, campaign, withdrawn, 'cancelled');
      }),
    );
    await this.sendsSettled(id);
    return { id, status: CampaignStatus.Cancelled };
  }

  /**
   * Answers pause and cancel once no send of the campaign is still in a provider call (or about to make one), so that
   * "paused" means no message goes out after it: at most SETTLE_MAX_MS, since a killed worker's `sending` row stays so
   * until its job is reconciled.
   */
  private async sendsSettled(id: string): Promise<void> {
    const until = Date.now() + SETTLE_MAX_MS;
    while (Date.now() < until) {
      const [row] = await this.dataSource.query(
        `SELECT EXISTS (SELECT 1 FROM campaign_recipient cr JOIN message m ON m.id = cr.message_id
                         WHERE cr.campaign_id = $1 AND cr.status = 'queued' AND m.status = 'sending') AS busy`,
        [id],
      );
      if (!row.busy) return;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    }
  }

  /**
   * Sends of the campaign are held in Redis first (at once, whatever the database is busy with), then the transaction
   * withdraws its queued messages. If the move is refused, the hold goes unless the campaign is held anyway.
   */
  private async holding(campaign: Campaign, reason: 'paused' | 'cancelled', move: () => Promise<void>): Promise<void> {
    await this.limiter.holdCampaign(campaign.id, reason);
    try {
      await move();
    } catch (error) {
      const now = await this.load(campaign.organizationId, campaign.id);
      if (now.status !== CampaignStatus.Paused && now.status !== CampaignStatus.Cancelled) await this.limiter.releaseCampaign(campaign.id);
      throw error;
    }
  }

  /** A template that does not exist or is not approved refuses the start, instead of skipping every recipient. */
  private async checkTemplates(campaign: Campaign): Promise<void> {
    const variants = ((campaign.abTest as AbTestSpec | null)?.variants ?? []).map((v) => v.content as MessageContentDto | undefined);
    for (const content of [campaign.content as MessageContentDto, ...variants]) {
      for (const ref of [content?.template, content?.fallbackTemplate]) if (ref) await this.composer.loadTemplate(campaign.whatsappAccountId, ref);
    }
  }

  private async move(manager: EntityManager, campaign: Campaign, from: CampaignStatus[], to: CampaignStatus, columns: Record<string, Date | null>): Promise<void> {
    const names = Object.keys(columns);
    const sets = names.map((name, i) => `${name} = $${i + 4}`).join(', ');
    const [, count] = await manager.query(
      `UPDATE campaign SET status = $2, ${sets}${sets ? ', ' : ''}updated_at = now() WHERE id = $1 AND status = ANY($3::campaign_status[])`,
      [campaign.id, to, from, ...names.map((n) => columns[n])],
    );
    if (count !== 1) throw this.conflict(await this.load(campaign.organizationId, campaign.id), to);
  }

  private async load(organizationId: string, id: string): Promise<Campaign> {
    const campaign = await this.dataSource.getRepository(Campaign).findOne({ where: { id, organizationId } });
    if (!campaign) throw new NotFoundError(CampaignsErrorCode.CampaignNotFound, 'campaign');
    return campaign;
  }

  private conflict(campaign: Campaign, action: string): DomainError {
    return new DomainError(CampaignsErrorCode.CampaignStateConflict, `A ${campaign.status} campaign cannot be moved to ${action}`, { status: campaign.status });
  }
}
