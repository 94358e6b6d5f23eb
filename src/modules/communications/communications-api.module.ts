import { Module } from '@nestjs/common';
import { CommunicationsModule } from './communications.module';
import { RealtimeSseModule } from '../realtime/realtime-sse.module';
import { WhatsappModule } from '../whatsapp/whatsapp.module';
import { ContactErasureService } from './contacts/contact-erasure.service';
import { ContactSummaryService } from './contacts/contact-summary.service';
import { MediaController } from './inbound/media.controller';
import { ConversationActionsService } from './conversations/conversation-actions.service';
import { ContactsController } from './contacts/contacts.controller';
import { ContactDirectoryService } from './contacts/contact-directory.service';
import { ConversationsController } from './conversations/conversations.controller';
import { ConversationQueriesService } from './conversations/conversation-queries.service';
import { MessageSearchController } from './messages/message-search.controller';
import { MessageSearchService } from './messages/message-search.service';
import { QuickRepliesController } from './quick-replies/quick-replies.controller';
import { QuickRepliesService } from './quick-replies/quick-replies.service';

/** Communications' admin API: conversations, contacts, notes, search, media (the send API is OutboundModule). */
@Module({
  imports: [CommunicationsModule, WhatsappModule, RealtimeSseModule],
  controllers: [ConversationsController, ContactsController, MessageSearchController, MediaController, QuickRepliesController],
  providers: [ConversationQueriesService, ConversationActionsService, ContactDirectoryService, ContactSummaryService, ContactErasureService, MessageSearchService, QuickRepliesService],
})
export class CommunicationsApiModule {}
