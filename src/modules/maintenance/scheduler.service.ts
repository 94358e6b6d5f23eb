import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../common/logging/logging.module';
import { JOB_QUEUE, JobName } from '../../queues/job-names';
import { JobProducer } from '../../queues/job-producer.service';
import { optionsFor } from '../../queues/job-options';

/** Every repeatable job of the product, in one place. */
export const SCHEDULES: Array<{ name: JobName; every?: number; pattern?: string }> = [
  { name: JobName.SweepWebhookEvents, every: 30_000 },
  { name: JobName.SweepQueuedMessages, every: 30_000 },
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
    for (const schedule of SCHEDULES) {
      const queue = this.jobs.queue(JOB_QUEUE[schedule.name]);
      const { removeOnComplete, removeOnFail } = optionsFor(schedule.name);
      await queue.upsertJobScheduler(
        schedule.name,
        schedule.every ? { every: schedule.every } : { pattern: schedule.pattern, tz: 'UTC' },
        { name: schedule.name, data: {}, opts: { removeOnComplete, removeOnFail } },
      );
    }
    this.logger.info({ schedules: SCHEDULES.map((s) => s.name) }, 'job schedulers registered');
  }
}
