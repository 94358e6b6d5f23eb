import { Module } from '@nestjs/common';
import { AgentsModule } from '../modules/agents/agents.module';
import { AuthModule } from '../modules/auth/auth.module';
import { CampaignsApiModule } from '../modules/campaigns/campaigns-api.module';
import { OutboundModule } from '../modules/communications/outbound/outbound.module';
import { HealthModule } from '../modules/health/health.module';
import { LifecycleApiModule } from '../modules/lifecycle/lifecycle-api.module';
import { CommunicationsApiModule } from '../modules/communications/communications-api.module';
import { IntegrationsModule } from '../modules/integrations/integrations.module';
import { MetricsController } from '../modules/metrics/metrics.controller';
import { TemplatesModule } from '../modules/templates/templates.module';
import { WebhooksModule } from '../modules/webhooks/webhooks.module';
import { WhatsappApiModule } from '../modules/whatsapp/whatsapp-api.module';
import { WhatsappModule } from '../modules/whatsapp/whatsapp.module';
import { FirstStartService } from './first-start.service';

/** HTTP: admin API, webhook receiver, health, metrics. Never imports a *.worker.module. */
@Module({
  imports: [AuthModule, HealthModule, WhatsappModule, WhatsappApiModule, WebhooksModule, OutboundModule, CommunicationsApiModule, TemplatesModule, AgentsModule, LifecycleApiModule, CampaignsApiModule, IntegrationsModule],
  controllers: [MetricsController],
  // First start composes two owners (auth's organisation and owner, whatsapp's sandbox account), so it lives here.
  providers: [FirstStartService],
})
export class ApiModule {}
