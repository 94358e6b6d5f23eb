import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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
  ) {}

  async ensureRunner(campaignId: string, wake = false): Promise<void> {
    const queue = this.jobs.queue(QueueName.Campaigns);
    const job = await queue.getJob(jobIdFor(JobName.RunCampaign, campaignId));
    if (job) {
      const state = await job.getState();
      if (state !== 'failed' && state !== 'completed' && state !== 'unknown') {
        if (wake && state === 'delayed') await job.promote().catch(() => undefined);
        return;
      }
      await job.remove().catch(() => undefined);
    }
    await this.jobs.enqueue(JobName.RunCampaign, { campaignId }, { key: campaignId });
  }

  async sweep(): Promise<{ ensured: number }> {
    const rows: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM campaign WHERE status = ANY($1::campaign_status[])`, [LIVE_STATUSES]);
    for (const row of rows) await this.ensureRunner(row.id);
    return { ensured: rows.length };
  }
}
