import { Module } from '@nestjs/common';

/** The auto-reply job handler. */
@Module({})
export class AgentsWorkerModule {}
