import { Module } from '@nestjs/common';

/** Admin inbox API: conversations, contacts, notes, search, real-time events. */
@Module({})
export class InboxModule {}
