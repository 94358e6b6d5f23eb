import { Module, type OnModuleInit } from '@nestjs/common';
import { CommunicationsModule } from '../communications/communications.module';
import { InboundModule } from '../communications/inbound/inbound.module';
import { JobName } from '../../queues/job-names';
import { JobHandlers } from '../../queues/worker/job-handlers.service';
import { WebhookEventProcessor } from './processing/webhook-event.processor';
import { WebhookMaintenanceService } from './processing/webhook-maintenance.service';
import { WebhooksModule } from './webhooks.module';

/** Processing of stored webhook events, sweeps and retention. */
@Module({
  imports: [WebhooksModule, CommunicationsModule, InboundModule],
  providers: [WebhookEventProcessor],
})
export class WebhooksWorkerModule implements OnModuleInit {
  constructor(
    private readonly handlers: JobHandlers,
    private readonly processor: WebhookEventProcessor,
    private readonly maintenance: WebhookMaintenanceService,
  ) {}

  onModuleInit(): void {
    this.handlers.register(JobName.ProcessWebhookEvent, async (job) => {
      const maxAttempts = job.opts.attempts ?? 1;
      return this.processor.process(job.data.webhookEventId, job.attemptsMade + 1 >= maxAttempts);
    });
    this.handlers.register(JobName.SweepWebhookEvents, () => this.maintenance.sweep());
    this.handlers.register(JobName.PurgeWebhookEvents, () => this.maintenance.purge());
  }
}
