import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { withTryAdvisoryLock } from '../../../database/advisory-lock';
import { AppConfig } from '../../../config/app-config';
import { JobName } from '../../../queues/job-names';
import { JobProducer } from '../../../queues/job-producer.service';

const SWEEP_LOCK = 'conversa:sweep-webhook-events';
const STUCK_AFTER_MS = 30_000;

/** Scheduler-driven: re-enqueue events left `received` (Redis was down, a job was lost) and purge old raw events. */
@Injectable()
export class WebhookMaintenanceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobProducer,
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** Runs under an advisory lock so two sweeps never overlap; the deterministic jobId makes re-enqueueing harmless. */
  async sweep(olderThanMs = STUCK_AFTER_MS): Promise<number> {
    const count = await withTryAdvisoryLock(this.dataSource, SWEEP_LOCK, async () => {
      const rows: Array<{ id: string }> = await this.dataSource.query(
        `SELECT id FROM webhook_event WHERE status IN ('received', 'processing') AND received_at < now() - ($1 || ' milliseconds')::interval
         ORDER BY received_at LIMIT 5000`,
        [String(olderThanMs)],
      );
      if (rows.length === 0) return 0;
      await this.jobs.enqueueBulk(rows.map((r) => ({ name: JobName.ProcessWebhookEvent, data: { webhookEventId: r.id }, key: r.id })));
      this.logger.info({ count: rows.length }, 'webhook events re-enqueued by sweep');
      return rows.length;
    });
    return count ?? 0;
  }

  async purge(): Promise<number> {
    const result: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM webhook_event WHERE status = 'processed' AND processed_at < now() - ($1 || ' days')::interval`,
      [String(this.config.WEBHOOK_EVENT_RETENTION_DAYS)],
    );
    const count = Array.isArray(result) ? Number(result[1] ?? 0) : 0;
    this.logger.info({ count, retentionDays: this.config.WEBHOOK_EVENT_RETENTION_DAYS }, 'processed webhook events purged');
    return count;
  }

}
