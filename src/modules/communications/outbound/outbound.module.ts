import { Module } from '@nestjs/common';

/** The send pipeline API (messages, bulk, jobs). */
@Module({})
export class OutboundModule {}
