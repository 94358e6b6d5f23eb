import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { AgentsWorkerModule } from '../modules/agents/agents.worker.module';
import { CampaignsWorkerModule } from '../modules/campaigns/campaigns.worker.module';
import { CommunicationsWorkerModule } from '../modules/communications/communications.worker.module';
import { OutboundWorkerModule } from '../modules/communications/outbound/outbound.worker.module';
import { LifecycleWorkerModule } from '../modules/lifecycle/lifecycle.worker.module';
import { IntegrationsWorkerModule } from '../modules/integrations/integrations.worker.module';
import { MaintenanceWorkerModule } from '../modules/maintenance/maintenance.worker.module';
import { TemplatesWorkerModule } from '../modules/templates/templates.worker.module';
import { WebhooksWorkerModule } from '../modules/webhooks/webhooks.worker.module';
import { ALL_QUEUES } from '../queues/queue-names';
import { createQueueProcessor } from '../queues/worker/queue-processor.factory';
import { JobHandlersModule } from '../queues/worker/job-handlers.module';

/** BullMQ workers for the queues this process consumes (WORKER_QUEUES, default all). */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    const processors = ALL_QUEUES.filter((queue) => config.consumesQueue(queue)).map((queue) => createQueueProcessor(queue, config));
    return {
      module: WorkerModule,
      imports: [JobHandlersModule, MaintenanceWorkerModule, WebhooksWorkerModule, CommunicationsWorkerModule, OutboundWorkerModule, TemplatesWorkerModule, AgentsWorkerModule, LifecycleWorkerModule, CampaignsWorkerModule, IntegrationsWorkerModule],
      providers: processors,
    };
  }
}
