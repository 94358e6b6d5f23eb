import { Module } from '@nestjs/common';
import { TemplatesCoreModule } from './templates-core.module';
import { TemplatesController } from './templates.controller';

export { TemplateEventsService } from './template-events.service';
export { toOutboundTemplateMessage } from './template-outbound';
export { TemplatesService } from './templates.service';

/**
 * Templates API: CRUD, preview, submit, sync, default sets. Importers get `TemplatesService`
 * (`resolveForSend` for the send pipeline and agents) and `TemplateEventsService` (`apply` for the
 * inbound entry point) through the re-exported core module.
 */
@Module({
  imports: [TemplatesCoreModule],
  controllers: [TemplatesController],
  exports: [TemplatesCoreModule],
})
export class TemplatesModule {}
