import { Module } from '@nestjs/common';

/** Agents API: configuration, flows, test-response, analytics. */
@Module({})
export class AgentsModule {}
