import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Contact } from '../../database/entities/contact.entity';
import { Conversation } from '../../database/entities/conversation.entity';
import { Message } from '../../database/entities/message.entity';
import { ParkedStatus } from '../../database/entities/parked-status.entity';
import { ContactsService } from './contacts/contacts.service';
import { ConversationsService } from './conversations/conversations.service';
import { MessageStatusService } from './messages/message-status.service';

/** Contacts, conversations and message statuses: the rows inbound, outbound and the inbox share. */
@Module({
  imports: [TypeOrmModule.forFeature([Contact, Conversation, Message, ParkedStatus])],
  providers: [ContactsService, ConversationsService, MessageStatusService],
  exports: [ContactsService, ConversationsService, MessageStatusService],
})
export class CommunicationsModule {}
