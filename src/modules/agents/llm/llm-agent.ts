import type { Agent, AgentContext, AgentReply, LlmConsultant, LlmConsultation } from '../engine/agent.types';
import { AgentName } from '../engine/default-agent-config';
import { burstText, contextLanguage } from '../engine/text';
import type { ChatCompletionClient, ChatMessage } from './llm-chat.client';
import { AgentsErrorCode } from '../agents.errors';

/** Per-organisation token budget, e.g. a Redis counter per month. */
export interface LlmBudget {
  tryConsume(orgId: string, tokens: number): Promise<boolean>;
}

export interface LlmAgentOptions {
  client: ChatCompletionClient;
  budget: LlmBudget;
}

/** Rough token estimate (~4 characters per token) charged before the call, plus the reply allowance. */
const CHARS_PER_TOKEN = 4;
const AI_CONFIDENCE = 0.6;

/**
 * Model-backed agent, consulted only when the rule agents are unsure. The prompt carries
 * the organisation's instructions, its knowledge entries and recent message texts only:
 * never credentials, phone numbers or other tenants' data.
 */
export class LlmAgent implements Agent, LlmConsultant {
  readonly name = AgentName.Llm;
  readonly priority = 5;

  constructor(private readonly options: LlmAgentOptions) {}

  evaluate(ctx: AgentContext): number {
    return ctx.config.llm.enabled ? AI_CONFIDENCE : 0;
  }

  async respond(ctx: AgentContext): Promise<AgentReply> {
    const consultation = await this.consult(ctx, { intents: [] });
    return consultation.reply ?? { messages: [] };
  }

  async consult(ctx: AgentContext, options: { intents: string[]; signal?: AbortSignal }): Promise<LlmConsultation> {
    if (!ctx.config.llm.enabled) return { outcome: 'declined' };
    const messages = buildPrompt(ctx, options.intents);
    const estimate = Math.ceil(messages.reduce((sum, message) => sum + message.content.length, 0) / CHARS_PER_TOKEN) + ctx.config.llm.maxTokens;
    if (!(await this.options.budget.tryConsume(ctx.organizationId, estimate))) return { outcome: 'budget_exhausted' };
    try {
      const result = await this.options.client.complete({ messages, maxTokens: ctx.config.llm.maxTokens, temperature: ctx.config.llm.temperature, signal: options.signal });
      return interpret(result.content, options.intents);
    } catch (error) {
      const code = (error as { code?: string }).code;
      return { outcome: code === AgentsErrorCode.LlmTimeout ? 'timeout' : 'error' };
    }
  }
}

export function buildPrompt(ctx: AgentContext, intents: string[]): ChatMessage[] {
  const { llm, knowledge, organizationName } = ctx.config;
  const language = contextLanguage(ctx) === 'en' ? 'English' : 'Spanish (Chile)';
  const facts = knowledge.map((entry) => `- [${entry.topic}] ${entry.answer}`).join('\n');
  const system = [
    `You are the WhatsApp assistant of ${organizationName}. Reply in ${language}, briefly, in plain text.`,
    llm.instructions.trim(),
    'Only use the facts below; if unsure, say a person from the team will follow up. Never ask for passwords.',
    facts ? `Facts:\n${facts}` : '',
    `Answer with JSON only: {"intent": one of ${JSON.stringify([...intents, 'none'])}, "reply": "<your message>"}.`,
  ]
    .filter(Boolean)
    .join('\n\n');
  const history: ChatMessage[] = ctx.history
    .filter((entry) => entry.text)
    .slice(-llm.historyLimit)
    .map((entry) => ({ role: entry.direction === 'inbound' ? 'user' : 'assistant', content: entry.text! }));
  return [{ role: 'system', content: system }, ...history, { role: 'user', content: burstText(ctx) }];
}

/** Accepts the requested JSON, or plain text as the reply when the model ignores the format. */
export function interpret(content: string, intents: string[]): LlmConsultation {
  let intent: string | undefined;
  let reply = content.trim();
  const json = content.match(/\{[\s\S]*\}/);
  if (json) {
    try {
      const parsed = JSON.parse(json[0]) as { intent?: unknown; reply?: unknown };
      intent = typeof parsed.intent === 'string' && intents.includes(parsed.intent) ? parsed.intent : undefined;
      reply = typeof parsed.reply === 'string' ? parsed.reply.trim() : '';
    } catch {
      // Not JSON after all: keep the raw text as the reply.
    }
  }
  if (!intent && !reply) return { outcome: 'declined' };
  return {
    outcome: 'ok',
    intent,
    confidence: AI_CONFIDENCE,
    reply: reply ? { messages: [{ type: 'text', text: reply, isAi: true }] } : undefined,
  };
}
