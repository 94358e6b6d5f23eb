import { Module, type OnModuleInit } from '@nestjs/common';
import { JobName } from '../../queues/job-names';
import { ChatwootReconcileService } from './chatwoot/chatwoot-reconcile.service';
import { ChatwootSyncService } from './chatwoot/chatwoot-sync.service';
import { JobHandlers } from '../../queues/worker/job-handlers.service';
import { WebhookDeliveryService } from './delivery/webhook-delivery.service';
import { IntegrationsMetrics } from './integrations-metrics.service';
import { OutboxRelay } from './relay/outbox-relay.service';
import { CommunicationsModule } from '../communications/communications.module';
import { IntegrationsDataCopy } from './integrations-data-copy.service';

/** The worker role's side: the outbox relay, the delivery handler and the Chatwoot sync. */
@Module({ imports: [CommunicationsModule], providers: [IntegrationsMetrics, WebhookDeliveryService, OutboxRelay, ChatwootSyncService, ChatwootReconcileService, IntegrationsDataCopy] })
export class IntegrationsWorkerModule implements OnModuleInit {
  constructor(
    private readonly handlers: JobHandlers,
    private readonly delivery: WebhookDeliveryService,
    private readonly chatwoot: ChatwootSyncService,
    private readonly reconcile: ChatwootReconcileService,
  ) {}

  onModuleInit(): void {
    this.handlers.register(JobName.DeliverWebhook, (job, token) => this.delivery.handle(job, token));
    this.handlers.register(JobName.SyncChatwoot, (job) => this.chatwoot.handle(job));
    this.handlers.register(JobName.BackfillChatwoot, (job) => this.chatwoot.handleBackfill(job));
    this.handlers.register(JobName.ReconcileChatwoot, () => this.reconcile.handle());
  }
}
