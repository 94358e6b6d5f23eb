import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Message } from '../../../database/entities/message.entity';
import { MessageTemplate } from '../../../database/entities/message-template.entity';
import { TemplatesCoreModule } from '../../templates/templates-core.module';
import { WhatsappModule } from '../../whatsapp/whatsapp.module';
import { CommunicationsModule } from '../communications.module';
import { AccountRateLimiter } from './account-rate-limiter.service';
import { CampaignMessagesService } from './campaign-messages.service';
import { MessageComposer } from './message-composer.service';
import { MessageSender } from './message-sender.service';
import { MessagesQueryService } from './messages-query.service';
import { OutboundMetrics } from './outbound-metrics.service';
import { OUTBOUND_SEQUENCE, OutboundQueue } from './outbound-queue.service';
import { QueuedSweeper } from './queued-sweeper.service';
import { SendMessageService } from './send-message.service';
import { SendOutcomeStore } from './send-outcome.store';

const SERVICES = [
  AccountRateLimiter,
  CampaignMessagesService,
  MessageComposer,
  MessageSender,
  MessagesQueryService,
  OutboundMetrics,
  OutboundQueue,
  QueuedSweeper,
  SendMessageService,
  SendOutcomeStore,
];

/** The send pipeline's services, shared by the API module and the worker module (no controllers, no handlers). */
@Module({
  imports: [TypeOrmModule.forFeature([Message, MessageTemplate]), CommunicationsModule, WhatsappModule, TemplatesCoreModule, BullModule.registerFlowProducer({ name: OUTBOUND_SEQUENCE })],
  providers: SERVICES,
  exports: SERVICES,
})
export class OutboundCoreModule {}
