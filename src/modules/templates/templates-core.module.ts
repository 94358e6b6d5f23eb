import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessageTemplate } from '../../database/entities/message-template.entity';
import { WhatsappAccount } from '../../database/entities/whatsapp-account.entity';
import { WhatsappModule } from '../whatsapp/whatsapp.module';
import { TemplateEventsService } from './template-events.service';
import { TemplateInstallService } from './template-install.service';
import { TemplateSyncService } from './template-sync.service';
import { TemplatesService } from './templates.service';

/** Template services without HTTP: shared by the API module, the worker module and the CLI. */
@Module({
  imports: [TypeOrmModule.forFeature([MessageTemplate, WhatsappAccount]), WhatsappModule],
  providers: [TemplatesService, TemplateSyncService, TemplateInstallService, TemplateEventsService],
  exports: [TemplatesService, TemplateSyncService, TemplateInstallService, TemplateEventsService],
})
export class TemplatesCoreModule {}
