import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { FLOW_RUNTIME } from '../config/agent-flows.service';
import { AgentManager, type RoutingResult } from '../engine/agent-registry';
import type { AgentContext } from '../engine/agent.types';
import { createDefaultAgents } from '../engine/default-agents';
import type { FlowDefinition } from '../flows/flow-definition';
import { FlowAgent } from '../flows/flow.agent';
import { LlmAgent } from '../llm/llm-agent';
import { LlmChatClient } from '../llm/llm-chat.client';
import { RedisLlmBudget } from '../llm/redis-llm-budget';

/** Builds the registry for one organisation's flows and routes a context: the one routing path for the worker, the API and the CLI. */
@Injectable()
export class AgentEngine {
  private readonly llm?: LlmAgent;

  constructor(
    private readonly config: AppConfig,
    budget: RedisLlmBudget,
  ) {
    if (config.llmEnabled) {
      const client = new LlmChatClient({ baseUrl: config.LLM_BASE_URL!, apiKey: config.LLM_API_KEY!, model: config.LLM_MODEL, timeoutMs: config.LLM_TIMEOUT_MS });
      this.llm = new LlmAgent({ client, budget });
    }
  }

  route(ctx: AgentContext, flows: FlowDefinition[]): Promise<RoutingResult> {
    const manager = new AgentManager({
      agents: createDefaultAgents([new FlowAgent({ flows, runtime: FLOW_RUNTIME })]),
      llm: this.llm,
      llmTimeoutMs: Math.min(ctx.config.llm.timeoutMs, this.config.LLM_TIMEOUT_MS),
    });
    return manager.route(ctx);
  }
}
