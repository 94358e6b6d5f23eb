import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountRateLimiter } from '../communications/outbound/account-rate-limiter.service';
import { CampaignMessagesService } from '../communications/outbound/campaign-messages.service';
import { OutboundQueue, PRIORITY_BULK } from '../communications/outbound/outbound-queue.service';
import { JobName } from '../../queues/job-names';
import { jobIdFor } from '../../queues/job-options';
import { JobProducer } from '../../queues/job-producer.service';
import { QueueName } from '../../queues/queue-names';

/** Statuses whose campaign needs a live runner job. */
export const LIVE_STATUSES = ['scheduled', 'queued', 'running', 'paused'];

/**
 * One runner job per campaign (job id from the campaign id). A runner that exists but sleeps is woken instead of
 * duplicated; a finished or failed one is replaced. The sweep puts back what Redis lost (a flush, a restart without
 * persistence).
 */
@Injectable()
export class CampaignJobs {
  constructor(
    private readonly jobs: JobProducer,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messages: CampaignMessagesService,
    private readonly queue: OutboundQueue,
    private readonly limiter: AccountRateLimiter,
  ) {}

  /** True when no runner existed (a new one was enqueued). */
  async ensureRunner(campaignId: string, wake = false): Promise<boolean> {
    const queue = this.jobs.queue(QueueName.Campaigns);
    const job = await queue.getJob(jobIdFor(JobName.RunCampaign, campaignId));
    if (job) {
      const state = await job.getState();
      if (state !== 'failed' && state !== 'completed' && state !== 'unknown') {
        if (wake && state === 'delayed') await job.promote().catch(() => undefined);
        return false;
      }
      await job.remove().catch(() => undefined);
    }
    await this.jobs.enqueue(JobName.RunCampaign, { campaignId }, { key: campaignId });
    return !job;
  }

  async sweep(): Promise<{ ensured: number; requeued: number }> {
    const rows: Array<{ id: string; organizationId: string; accountId: string; status: string; rate: number }> = await this.dataSource.query(
      `SELECT c.id, c.organization_id AS "organizationId", c.whatsapp_account_id AS "accountId", c.status, a.rate_limit_per_second AS rate
         FROM campaign c JOIN whatsapp_account a ON a.id = c.whatsapp_account_id WHERE c.status = ANY($1::campaign_status[])`,
      [LIVE_STATUSES],
    );
    let requeued = 0;
    for (const row of rows) {
      // No runner at all means Redis lost the campaign's jobs (a flush, a restart without persistence): its queued
      // sends went with them, so they are enqueued again now rather than by the generic sweep a minute later.
      if ((await this.ensureRunner(row.id)) && row.status !== 'paused') requeued += await this.requeueSends(row.organizationId, row.id, row.accountId, row.rate);
    }
    return { ensured: rows.length, requeued };
  }

  private async requeueSends(organizationId: string, campaignId: string, accountId: string, rate: number): Promise<number> {
    const ids = await this.messages.queuedIds(organizationId, campaignId);
    if (ids.length === 0) return 0;
    await this.queue.clearFinished(ids);
    const delays = await this.limiter.reserveBulk(accountId, rate, ids.length);
    await this.queue.enqueue(ids.map((id, i) => ({ id, priority: PRIORITY_BULK, delayMs: delays[i] })));
    return ids.length;
  }
}
