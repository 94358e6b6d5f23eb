import { Module } from '@nestjs/common';
import { TemplatesCoreModule } from '../../templates/templates-core.module';
import { WhatsappModule } from '../../whatsapp/whatsapp.module';
import { CommunicationsModule } from '../communications.module';
import { InboundService } from './inbound.service';

/** The entry point for normalised webhook items; only the webhook worker imports it. */
@Module({
  imports: [CommunicationsModule, TemplatesCoreModule, WhatsappModule],
  providers: [InboundService],
  exports: [InboundService],
})
export class InboundModule {}
