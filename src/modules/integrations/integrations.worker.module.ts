import { Module, type OnModuleInit } from '@nestjs/common';
import { JobName } from '../../queues/job-names';
import { ChatwootReconcileService } from './chatwoot/chatwoot-reconcile.service';
import { ChatwootSyncService } from './chatwoot/chatwoot-sync.service';
import { ChatwootInboundService } from './chatwoot/chatwoot-inbound.service';
import { ConversationActionsService } from '../communications/conversations/conversation-actions.service';
import { ConversationQueriesService } from '../communications/conversations/conversation-queries.service';
import { OutboundCoreModule } from '../communications/outbound/outbound-core.module';
import { WhatsappModule } from '../whatsapp/whatsapp.module';
import { JobHandlers } from '../../queues/worker/job-handlers.service';
import { WebhookDeliveryService } from './delivery/webhook-delivery.service';
import { IntegrationsMetrics } from './integrations-metrics.service';
import { OutboxRelay } from './relay/outbox-relay.service';
import { CommunicationsModule } from '../communications/communications.module';
import { IntegrationsDataCopy } from './integrations-data-copy.service';
import { ChatwootInboundDataCopy } from './chatwoot/chatwoot-inbound-data-copy.service';
import { WebsocketForwarderService } from './websocket/websocket-forwarder.service';
import { WebsocketMetrics } from './websocket/websocket-metrics.service';

/** The worker role's side: the outbox relay, the delivery handler, the Chatwoot sync and WebSocket forwarding. */
@Module({
  imports: [CommunicationsModule, OutboundCoreModule, WhatsappModule],
  // Chatwoot → Conversa sends through the send pipeline and hands conversations over with the dashboard's actions.
  providers: [
    IntegrationsMetrics,
    WebhookDeliveryService,
    OutboxRelay,
    ChatwootSyncService,
    ChatwootInboundService,
    ChatwootReconcileService,
    ConversationActionsService,
    ConversationQueriesService,
    ChatwootInboundDataCopy,
    IntegrationsDataCopy,
    WebsocketMetrics,
    WebsocketForwarderService,
  ],
})
export class IntegrationsWorkerModule implements OnModuleInit {
  constructor(
    private readonly handlers: JobHandlers,
    private readonly delivery: WebhookDeliveryService,
    private readonly chatwoot: ChatwootSyncService,
    private readonly chatwootInbound: ChatwootInboundService,
    private readonly reconcile: ChatwootReconcileService,
  ) {}

  onModuleInit(): void {
    this.handlers.register(JobName.DeliverWebhook, (job, token) => this.delivery.handle(job, token));
    this.handlers.register(JobName.SyncChatwoot, (job) => this.chatwoot.handle(job));
    this.handlers.register(JobName.ApplyChatwootEvent, (job) => this.chatwootInbound.handle(job));
    this.handlers.register(JobName.BackfillChatwoot, (job) => this.chatwoot.handleBackfill(job));
    this.handlers.register(JobName.ReconcileChatwoot, () => this.reconcile.handle());
  }
}
