import { Module } from '@nestjs/common';
import { WebhookDeliveriesService } from './endpoints/webhook-deliveries.service';
import { WebhookEndpointsController } from './endpoints/webhook-endpoints.controller';
import { WebhookEndpointsService } from './endpoints/webhook-endpoints.service';

/** The api role's side: endpoints, their delivery log, test/replay/redeliver. */
@Module({ controllers: [WebhookEndpointsController], providers: [WebhookEndpointsService, WebhookDeliveriesService] })
export class IntegrationsModule {}
