import { Module } from '@nestjs/common';
import { WhatsappModule } from '../whatsapp/whatsapp.module';
import { WebhookEventsController } from './admin/webhook-events.controller';
import { WebhookEventsService } from './admin/webhook-events.service';
import { WebhookIngestService } from './ingest/webhook-ingest.service';
import { WebhookSecrets } from './ingest/webhook-secrets.service';
import { WebhooksController } from './ingest/webhooks.controller';
import { WebhookMaintenanceService } from './processing/webhook-maintenance.service';

/** Webhook ingress (verify, store, enqueue, answer) and the operator routes for stored events. */
@Module({
  imports: [WhatsappModule],
  controllers: [WebhooksController, WebhookEventsController],
  providers: [WebhookIngestService, WebhookSecrets, WebhookEventsService, WebhookMaintenanceService],
  exports: [WebhookMaintenanceService],
})
export class WebhooksModule {}
