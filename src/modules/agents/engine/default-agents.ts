import type { Agent } from './agent.types';
import { BusinessHoursAgent } from './agents/business-hours.agent';
import { GreetingAgent } from './agents/greeting.agent';
import { HumanHandoffAgent } from './agents/human-handoff.agent';
import { KeywordRulesAgent } from './agents/keyword-rules.agent';
import { KNOWLEDGE_TOPICS, KnowledgeAgent } from './agents/knowledge.agent';
import { SalesAgent } from './agents/sales.agent';
import { SupportAgent } from './agents/support.agent';
import { FallbackAgent, UnrecognizedAgent } from './agents/unrecognized.agent';

/** The built-in agents, stateless: every organisation's behaviour comes from `ctx.config`. */
export function createDefaultAgents(extra: Agent[] = []): Agent[] {
  return [
    new HumanHandoffAgent(),
    new KeywordRulesAgent(),
    new BusinessHoursAgent(),
    new SupportAgent(),
    new SalesAgent(),
    ...KNOWLEDGE_TOPICS.map((topic) => new KnowledgeAgent(topic)),
    new GreetingAgent(),
    ...extra,
    new UnrecognizedAgent(),
    new FallbackAgent(),
  ];
}
