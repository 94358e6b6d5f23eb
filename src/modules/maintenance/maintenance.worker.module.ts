import { Module, type OnModuleInit } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { JobName } from '../../queues/job-names';
import { JobHandlers } from '../../queues/worker/job-handlers.service';
import { REDIS } from '../../common/redis/redis.module';
import { Inject } from '@nestjs/common';
import type { RedisClient } from '../../common/redis/redis-client';

/**
 * Maintenance jobs owned by no feature module. `noop` exists for operations checks and the
 * graceful-shutdown test: it sleeps, then records its marker in Redis.
 */
@Module({})
export class MaintenanceWorkerModule implements OnModuleInit {
  constructor(
    private readonly handlers: JobHandlers,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  onModuleInit(): void {
    this.handlers.register(JobName.Noop, async (job) => {
      await sleep(job.data.sleepMs ?? 0);
      if (job.data.marker) await this.redis.set(job.data.marker, 'done', 'EX', 600);
      return { sleptMs: job.data.sleepMs ?? 0 };
    });
  }
}
