import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { MaintenanceWorkerModule } from '../modules/maintenance/maintenance.worker.module';
import { ALL_QUEUES } from '../queues/queue-names';
import { createQueueProcessor } from '../queues/worker/queue-processor.factory';
import { JobHandlersModule } from '../queues/worker/job-handlers.module';

/** BullMQ workers for the queues this process consumes (WORKER_QUEUES, default all). */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    const processors = ALL_QUEUES.filter((queue) => config.consumesQueue(queue)).map(createQueueProcessor);
    return {
      module: WorkerModule,
      imports: [JobHandlersModule, MaintenanceWorkerModule],
      providers: processors,
    };
  }
}
