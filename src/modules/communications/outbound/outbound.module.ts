import { Module } from '@nestjs/common';
import { MessagesController } from './messages.controller';
import { OutboundCoreModule } from './outbound-core.module';

/** The send pipeline API (messages; bulk sends and jobs are the campaigns module's). */
@Module({
  imports: [OutboundCoreModule],
  controllers: [MessagesController],
})
export class OutboundModule {}
