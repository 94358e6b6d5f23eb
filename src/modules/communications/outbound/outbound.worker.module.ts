import { Module } from '@nestjs/common';

/** Send, fan-out and queued-message sweep handlers. */
@Module({})
export class OutboundWorkerModule {}
