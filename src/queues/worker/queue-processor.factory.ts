import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Inject, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import { DelayedError, type Job, UnrecoverableError, WaitingChildrenError } from 'bullmq';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../common/logging/logging.module';
import { AppConfig } from '../../config/app-config';
import { isDataError } from '../../database/sql-errors';
import { MetricsService } from '../../modules/metrics/metrics.service';
import { QueueName } from '../queue-names';
import { JobHandlers } from './job-handlers.service';

/** Builds the BullMQ processor of one queue: dispatch by job name, one log line and metric per outcome. */
export function createQueueProcessor(queue: QueueName, settings: Pick<AppConfig, 'WORKER_STALLED_INTERVAL_MS'>): Type<WorkerHost> {
  const stalledMs = settings.WORKER_STALLED_INTERVAL_MS;
  // A job whose worker died is handed to another one once its lock expires and a stalled check runs.
  @Processor(queue, { autorun: false, lockDuration: stalledMs, stalledInterval: stalledMs })
  class QueueProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
    constructor(
      private readonly handlers: JobHandlers,
      private readonly metrics: MetricsService,
      private readonly config: AppConfig,
      @Inject(ROOT_LOGGER) private readonly rootLogger: Logger,
    ) {
      super();
    }

    onApplicationBootstrap(): void {
      this.handlers.assertComplete(queue);
      this.worker.concurrency = concurrencyOf(queue, this.config);
      // Without a listener BullMQ prints its own errors (a lost Redis, a job key flushed away) to the console, past our logs.
      this.worker.on('error', (error) => this.rootLogger.warn({ queue, err: { message: error.message, name: error.name } }, 'worker error'));
      void this.worker.run();
    }

    /** Before Redis and PostgreSQL close: stop taking jobs and let running ones finish. */
    async beforeApplicationShutdown(): Promise<void> {
      await this.worker.close();
    }

    async process(job: Job, token?: string): Promise<unknown> {
      const handler = this.handlers.get(job.name);
      if (!handler) throw new UnrecoverableError(`Unknown job ${job.name} on queue ${queue}`);
      const started = Date.now();
      // Built only when a line is written: at a thousand sends a second, a child logger per job is measurable.
      const context = () => ({ queue, job: job.name, jobId: job.id, attempt: job.attemptsMade + 1, ms: Date.now() - started });
      try {
        const result = await handler(job, token);
        this.metrics.jobOutcomes.inc({ queue, job: job.name, outcome: 'completed' });
        if (this.rootLogger.isLevelEnabled('info')) this.rootLogger.info({ ...context(), outcome: 'completed' }, 'job completed');
        return result;
      } catch (error) {
        if (error instanceof DelayedError || error instanceof WaitingChildrenError) {
          this.metrics.jobOutcomes.inc({ queue, job: job.name, outcome: 'delayed' });
          throw error;
        }
        // A value PostgreSQL rejects (SQLSTATE 22xxx) is rejected again on every retry: fail at once with the reason.
        const unrecoverable = error instanceof UnrecoverableError || isDataError(error);
        const outcome = unrecoverable ? 'failed' : 'retrying';
        this.metrics.jobOutcomes.inc({ queue, job: job.name, outcome });
        this.rootLogger.warn({ ...context(), outcome, err: { message: (error as Error).message, code: (error as { code?: string }).code } }, 'job failed');
        throw unrecoverable && !(error instanceof UnrecoverableError) ? new UnrecoverableError((error as Error).message) : error;
      }
    }
  }
  Object.defineProperty(QueueProcessor, 'name', { value: `${queue[0].toUpperCase()}${queue.slice(1)}QueueProcessor` });
  return QueueProcessor;
}

function concurrencyOf(queue: QueueName, config: AppConfig): number {
  if (queue === QueueName.Outbound) return config.OUTBOUND_CONCURRENCY;
  if (queue === QueueName.Inbound) return config.INBOUND_CONCURRENCY;
  if (queue === QueueName.Integrations) return config.WEBHOOK_DELIVERY_CONCURRENCY;
  return config.WORKER_CONCURRENCY;
}
