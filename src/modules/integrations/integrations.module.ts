import { Module } from '@nestjs/common';
import { ChatwootConfigController } from './chatwoot/chatwoot-config.controller';
import { ChatwootBackfillService } from './chatwoot/chatwoot-backfill.service';
import { ChatwootConfigService } from './chatwoot/chatwoot-config.service';
import { ChatwootWebhookController } from './chatwoot/chatwoot-webhook.controller';
import { ChatwootWebhookService } from './chatwoot/chatwoot-webhook.service';
import { WebhookDeliveriesService } from './endpoints/webhook-deliveries.service';
import { WebhookEndpointsController } from './endpoints/webhook-endpoints.controller';
import { WebhookEndpointsService } from './endpoints/webhook-endpoints.service';
import { CommunicationsModule } from '../communications/communications.module';
import { IntegrationsDataCopy } from './integrations-data-copy.service';
import { ChatwootInboundDataCopy } from './chatwoot/chatwoot-inbound-data-copy.service';

/** The api role's side: endpoints, their delivery log, test/replay/redeliver. */
@Module({
  imports: [CommunicationsModule],
  controllers: [WebhookEndpointsController, ChatwootConfigController, ChatwootWebhookController],
  providers: [WebhookEndpointsService, WebhookDeliveriesService, ChatwootConfigService, ChatwootWebhookService, ChatwootBackfillService, ChatwootInboundDataCopy, IntegrationsDataCopy],
})
export class IntegrationsModule {}
