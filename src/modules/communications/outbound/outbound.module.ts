import { Module } from '@nestjs/common';
import { JobsController } from './jobs.controller';
import { MessagesController } from './messages.controller';
import { OutboundCoreModule } from './outbound-core.module';

/** The send pipeline API (messages, bulk, jobs). */
@Module({
  imports: [OutboundCoreModule],
  controllers: [MessagesController, JobsController],
})
export class OutboundModule {}
