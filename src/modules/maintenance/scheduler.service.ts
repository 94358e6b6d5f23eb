import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../common/logging/logging.module';
import { JOB_QUEUE, JobName } from '../../queues/job-names';
import { JobProducer } from '../../queues/job-producer.service';
import { optionsFor } from '../../queues/job-options';
import type { QueueName } from '../../queues/queue-names';

/** Every repeatable job of the product, in one place. */
export const SCHEDULES: Array<{ name: JobName; every?: number; pattern?: string }> = [
  { name: JobName.SweepWebhookEvents, every: 30_000 },
  { name: JobName.SweepQueuedMessages, every: 30_000 },
  { name: JobName.SweepUnansweredConversations, every: 30_000 },
  { name: JobName.PurgeWebhookEvents, pattern: '17 3 * * *' },
  { name: JobName.SyncAllTemplates, pattern: '41 4 * * *' },
];

@Injectable()
export class SchedulerService implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: JobProducer,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const queues = new Set(SCHEDULES.map((schedule) => JOB_QUEUE[schedule.name]));
    for (const queue of queues) {
      await this.register(queue);
      // The schedulers live in Redis: one that restarts empty (no persistence, a failover) would lose them, and
      // with them the sweeps that recover everything else. Upserting is idempotent, so do it on every reconnect.
      const client = await this.jobs.queue(queue).getBackend().client;
      client.on('ready', () => {
        this.register(queue).catch((error: Error) => this.logger.error({ queue, err: { message: error.message } }, 'job schedulers not registered again after a Redis reconnect'));
      });
    }
  }

  private async register(queueName: QueueName): Promise<void> {
    const schedules = SCHEDULES.filter((schedule) => JOB_QUEUE[schedule.name] === queueName);
    const queue = this.jobs.queue(queueName);
    for (const schedule of schedules) {
      const { removeOnComplete, removeOnFail } = optionsFor(schedule.name);
      await queue.upsertJobScheduler(
        schedule.name,
        schedule.every ? { every: schedule.every } : { pattern: schedule.pattern, tz: 'UTC' },
        { name: schedule.name, data: {}, opts: { removeOnComplete, removeOnFail } },
      );
    }
    this.logger.info({ queue: queueName, schedules: schedules.map((s) => s.name) }, 'job schedulers registered');
  }
}
