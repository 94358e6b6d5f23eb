import { Module } from '@nestjs/common';
import { AgentsCoreModule } from './agents-core.module';
import { AgentsController } from './api/agents.controller';
import { AgentAnalyticsService } from './runtime/agent-analytics.service';

/** Agents API: configuration, flows, test-response, bot reset, response analytics. */
@Module({
  imports: [AgentsCoreModule],
  controllers: [AgentsController],
  providers: [AgentAnalyticsService],
})
export class AgentsModule {}
