import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../common/logging/logging.module';
import { AppConfig } from '../../config/app-config';
import { JOB_QUEUE, JobName } from '../../queues/job-names';
import { JobProducer } from '../../queues/job-producer.service';
import { optionsFor } from '../../queues/job-options';
import { QueueName } from '../../queues/queue-names';

export interface Schedule {
  name: JobName;
  every?: number;
  pattern?: string;
}

/** Every repeatable job of the product, in one place. */
export function schedulesFor(
  config: Pick<AppConfig, 'MAINTENANCE_SWEEP_INTERVAL_MS' | 'ANALYTICS_ROLLUP_INTERVAL_MS'> & Partial<Pick<AppConfig, 'CHATWOOT_RECONCILE_INTERVAL_MS'>>,
): Schedule[] {
  const sweepEveryMs = config.MAINTENANCE_SWEEP_INTERVAL_MS;
  return [
    { name: JobName.SweepWebhookEvents, every: sweepEveryMs },
    { name: JobName.SweepQueuedMessages, every: sweepEveryMs },
    { name: JobName.SweepUnansweredConversations, every: sweepEveryMs },
    { name: JobName.SweepCampaigns, every: sweepEveryMs },
    { name: JobName.PurgeWebhookEvents, pattern: '17 3 * * *' },
    { name: JobName.SyncAllTemplates, pattern: '41 4 * * *' },
    { name: JobName.ApplyRetention, pattern: '23 2 * * *' },
    { name: JobName.RollupAnalytics, every: config.ANALYTICS_ROLLUP_INTERVAL_MS },
    { name: JobName.ReconcileChatwoot, every: config.CHATWOOT_RECONCILE_INTERVAL_MS ?? 600_000 },
  ];
}

/**
 * Registers the job schedulers at boot and keeps them registered: a Redis that comes back empty (restarted
 * without persistence, flushed) has lost them, so they are checked on every reconnect and at half the
 * shortest interval, and the missing ones re-registered. Upserts deduplicate across scheduler replicas.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly schedules: Schedule[];
  private timer?: NodeJS.Timeout;
  private checking?: Promise<JobName[]>;
  private readonly onReconnect = () => void this.restoreMissing();

  constructor(
    private readonly jobs: JobProducer,
    config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.schedules = schedulesFor(config);
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const schedule of this.schedules) await this.register(schedule);
    this.logger.info({ schedules: this.schedules.map((s) => s.name) }, 'job schedulers registered');
    const shortest = Math.min(...this.schedules.map((s) => s.every ?? Infinity));
    this.timer = setInterval(this.onReconnect, shortest / 2).unref();
    this.maintenanceBackend().on('ready', this.onReconnect);
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
    this.maintenanceBackend().removeListener('ready', this.onReconnect);
  }

  /** Re-registers the schedulers Redis no longer has; returns their names. Never throws (Redis may be down). */
  restoreMissing(): Promise<JobName[]> {
    this.checking ??= this.findAndRestore().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async findAndRestore(): Promise<JobName[]> {
    const restored: JobName[] = [];
    try {
      for (const schedule of this.schedules) {
        if (await this.jobs.queue(JOB_QUEUE[schedule.name]).getJobScheduler(schedule.name)) continue;
        await this.register(schedule);
        restored.push(schedule.name);
      }
    } catch (error) {
      this.logger.warn({ err: { message: (error as Error).message } }, 'job scheduler check failed; retrying at the next check');
    }
    if (restored.length > 0) this.logger.warn({ restored }, 'job schedulers were missing from Redis and are registered again');
    return restored;
  }

  private async register(schedule: Schedule): Promise<void> {
    const queue = this.jobs.queue(JOB_QUEUE[schedule.name]);
    const { removeOnComplete, removeOnFail } = optionsFor(schedule.name);
    await queue.upsertJobScheduler(
      schedule.name,
      schedule.every ? { every: schedule.every } : { pattern: schedule.pattern, tz: 'UTC' },
      { name: schedule.name, data: {}, opts: { removeOnComplete, removeOnFail } },
    );
  }

  /** Emits `ready` on every (re)connection of the queue's Redis client. */
  private maintenanceBackend() {
    return this.jobs.queue(QueueName.Maintenance).backend;
  }
}
