import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Contact } from '../../database/entities/contact.entity';
import { Conversation } from '../../database/entities/conversation.entity';
import { MediaAsset } from '../../database/entities/media-asset.entity';
import { Message } from '../../database/entities/message.entity';
import { ParkedStatus } from '../../database/entities/parked-status.entity';
import { WhatsappModule } from '../whatsapp/whatsapp.module';
import { ContactsService } from './contacts/contacts.service';
import { ConversationsService } from './conversations/conversations.service';
import { InboundMessagesService } from './inbound/inbound-messages.service';
import { KnownSenderInbound } from './inbound/known-sender-inbound.service';
import { MediaDownloadsService } from './inbound/media-downloads.service';
import { MediaUploadsService } from './media/media-uploads.service';
import { MessageStatusService } from './messages/message-status.service';
import { DataCopies } from './retention/data-copies';
import { MediaFiles } from './retention/media-files.service';
import { RetentionStore } from './retention/retention-store.service';

/** Contacts, conversations, inbound rows, media and message statuses: the services every role shares (no controllers). */
@Module({
  imports: [TypeOrmModule.forFeature([Contact, Conversation, Message, ParkedStatus, MediaAsset]), WhatsappModule],
  providers: [ContactsService, ConversationsService, MessageStatusService, InboundMessagesService, KnownSenderInbound, MediaDownloadsService, DataCopies, MediaFiles, RetentionStore, MediaUploadsService],
  exports: [ContactsService, ConversationsService, MessageStatusService, InboundMessagesService, KnownSenderInbound, MediaDownloadsService, DataCopies, MediaFiles, RetentionStore, MediaUploadsService],
})
export class CommunicationsModule {}
