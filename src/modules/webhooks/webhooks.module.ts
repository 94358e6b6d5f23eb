import { Module } from '@nestjs/common';
import { CommunicationsModule } from '../communications/communications.module';
import { WhatsappModule } from '../whatsapp/whatsapp.module';
import { WebhookEventsController } from './admin/webhook-events.controller';
import { WebhookEventsService } from './admin/webhook-events.service';
import { WebhookIngestService } from './ingest/webhook-ingest.service';
import { WebhookSecrets } from './ingest/webhook-secrets.service';
import { WebhooksController } from './ingest/webhooks.controller';
import { WebhookEventCopy } from './processing/webhook-event-copy.service';
import { WebhookMaintenanceService } from './processing/webhook-maintenance.service';

/** Webhook ingress (verify, store, enqueue, answer) and the operator routes for stored events. */
@Module({
  imports: [WhatsappModule, CommunicationsModule],
  controllers: [WebhooksController, WebhookEventsController],
  providers: [WebhookIngestService, WebhookSecrets, WebhookEventsService, WebhookMaintenanceService, WebhookEventCopy],
  exports: [WebhookMaintenanceService],
})
export class WebhooksModule {}
