import { Module } from '@nestjs/common';
import { RealtimePublisherModule } from '../realtime/realtime-publisher.module';
import { WhatsappModule } from '../whatsapp/whatsapp.module';
import { AgentFlowsService } from './config/agent-flows.service';
import { AgentSettingsService } from './config/agent-settings.service';
import { RedisLlmBudget } from './llm/redis-llm-budget';
import { AgentEngine } from './runtime/agent-engine.service';
import { AgentPreviewService } from './runtime/agent-preview.service';
import { TurnLoader } from './runtime/turn-loader';

const SERVICES = [AgentSettingsService, AgentFlowsService, RedisLlmBudget, AgentEngine, TurnLoader, AgentPreviewService];

/** Config, flows, LLM budget, the turn loader and the routing engine: shared by the API, the worker and the CLI. */
@Module({ imports: [RealtimePublisherModule, WhatsappModule], providers: SERVICES, exports: [...SERVICES, RealtimePublisherModule] })
export class AgentsCoreModule {}
