import { Module, type OnModuleInit } from '@nestjs/common';
import { JobName } from '../../queues/job-names';
import { JobHandlers } from '../../queues/worker/job-handlers.service';
import { WebhookDeliveryService } from './delivery/webhook-delivery.service';
import { IntegrationsMetrics } from './integrations-metrics.service';
import { OutboxRelay } from './relay/outbox-relay.service';

/** The worker role's side: the outbox relay and the delivery handler. */
@Module({ providers: [IntegrationsMetrics, WebhookDeliveryService, OutboxRelay] })
export class IntegrationsWorkerModule implements OnModuleInit {
  constructor(
    private readonly handlers: JobHandlers,
    private readonly delivery: WebhookDeliveryService,
  ) {}

  onModuleInit(): void {
    this.handlers.register(JobName.DeliverWebhook, (job, token) => this.delivery.handle(job, token));
  }
}
