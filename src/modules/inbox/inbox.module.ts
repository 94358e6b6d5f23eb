import { Module } from '@nestjs/common';
import { CommunicationsModule } from '../communications/communications.module';
import { RealtimeSseModule } from '../realtime/realtime-sse.module';
import { WhatsappModule } from '../whatsapp/whatsapp.module';
import { ContactErasureService } from './contact-erasure.service';
import { ConversationActionsService } from './conversation-actions.service';
import { InboxContactsController } from './inbox-contacts.controller';
import { InboxContactsService } from './inbox-contacts.service';
import { InboxConversationsController } from './inbox-conversations.controller';
import { InboxConversationsService } from './inbox-conversations.service';
import { MessageSearchController } from './message-search.controller';
import { MessageSearchService } from './message-search.service';

/** Admin inbox API: conversations, contacts, notes, search, real-time events. */
@Module({
  imports: [CommunicationsModule, WhatsappModule, RealtimeSseModule],
  controllers: [InboxConversationsController, InboxContactsController, MessageSearchController],
  providers: [InboxConversationsService, ConversationActionsService, InboxContactsService, ContactErasureService, MessageSearchService],
})
export class InboxModule {}
