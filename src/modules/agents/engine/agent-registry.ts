import type { Agent, AgentContext, AgentReply, BotState, LlmConsultant, LlmConsultation, LlmOutcome } from './agent.types';
import { AgentName } from './default-agent-config';
import { configuredText } from './agents/agent-support';
import { type IntentClassifier, type IntentPrediction, shippedIntentClassifier } from './classifier/intent-classifier';
import { rankAgents } from './intent-ranking';
import { classifyInterest } from './interest';
import { needsAPerson, outOfHoursNotice, pendingNoticePeriod } from './out-of-hours';
import { burstText, round } from './text';

export interface AgentManagerOptions {
  /** Rule agents, plus the `unrecognized` and `fallback` last resorts (matched by name). */
  agents: Agent[];
  /** Consulted only when the rule agents are unsure and `config.llm.enabled`. */
  llm?: LlmConsultant;
  /** Hard bound on the LLM consultation; defaults to `config.llm.timeoutMs`. */
  llmTimeoutMs?: number;
  /** Decides where no rule is certain; defaults to the committed model (`npm run agents:train`). */
  classifier?: IntentClassifier;
}

export type SkipReason = 'bot_paused' | 'opted_out';

export interface RoutingResult {
  agent: string;
  /** The intent routed to, before an unsure streak turns the answer into a handoff. */
  intent: string;
  /** The learned classifier's verdict on the burst, when it has text. */
  classifier?: { intent: string; confidence: number };
  /** The out-of-hours notice was appended: closed, the answer waits for a person, and not said yet this period. */
  outOfHoursNotice: boolean;
  confidence: number;
  /** Every consulted agent's confidence, by name. */
  scores: Record<string, number>;
  /** `sideEffects.botState`, when present, is the complete next bot state. */
  reply: AgentReply;
  /** No agent was confident: the answer came from `unrecognized` or `fallback`. */
  unsure: boolean;
  /** Consecutive unsure answers including this one; persist it for the next run. */
  unsureStreak: number;
  llm?: LlmOutcome;
  skipped?: SkipReason;
}

interface Choice {
  agent: string;
  confidence: number;
  reply: AgentReply;
}

const ORG_RULE_CERTAINTY = 0.95;
const LAST_RESORTS = new Set<string>([AgentName.Unrecognized, AgentName.Fallback]);

/** Routes one inbound burst to the best agent. Pure: persisting the result is the caller's job. */
export class AgentManager {
  constructor(private readonly options: AgentManagerOptions) {}

  async route(ctx: AgentContext): Promise<RoutingResult> {
    const skipped: SkipReason | undefined = ctx.conversation.botPaused ? 'bot_paused' : ctx.contact.optedOut ? 'opted_out' : undefined;
    if (skipped) return { agent: 'none', intent: 'none', confidence: 0, scores: {}, reply: { messages: [] }, unsure: false, unsureStreak: ctx.conversation.unsureStreak, outOfHoursNotice: false, skipped };
    const prediction = this.classify(ctx);
    const scores = await this.scoreAll(ctx, prediction);
    const ranked = this.rank(ctx, scores, prediction);
    let choice = await this.respondWithBest(ctx, ranked, scores, prediction);
    let llm: LlmOutcome | undefined;
    if (!choice && this.llmEnabled(ctx)) {
      const consulted = await this.consultLlm(ctx, scores);
      llm = consulted.outcome;
      choice = consulted.choice;
    }
    choice ??= await this.lastResort(ctx, scores);
    return this.finish(ctx, choice, scores, llm, prediction);
  }

  private classify(ctx: AgentContext): IntentPrediction | undefined {
    const text = burstText(ctx).trim();
    if (!text) return undefined;
    const prediction = (this.options.classifier ?? shippedIntentClassifier()).classify(text);
    return { ...prediction, confidence: round(prediction.confidence) };
  }

  private enabledAgents(ctx: AgentContext): Agent[] {
    return this.options.agents.filter((agent) => ctx.config.agents[agent.name]?.enabled !== false);
  }

  private priorityOf(ctx: AgentContext, agent: Agent): number {
    return ctx.config.agents[agent.name]?.priority ?? agent.priority;
  }

  private async scoreAll(ctx: AgentContext, prediction: IntentPrediction | undefined): Promise<Record<string, number>> {
    const candidates = this.enabledAgents(ctx).filter((agent) => !LAST_RESORTS.has(agent.name));
    const scores: Record<string, number> = {};
    for (const agent of candidates.filter((candidate) => !candidate.usesIntents)) scores[agent.name] = await safeEvaluate(agent, ctx);
    const withIntents = { ...ctx, intents: intentScores(scores, prediction) };
    for (const agent of candidates.filter((candidate) => candidate.usesIntents)) scores[agent.name] = await safeEvaluate(agent, withIntents);
    return scores;
  }

  /** Certain rules first, then the classifier's intents, then rules below certainty (see `rankAgents`). */
  private rank(ctx: AgentContext, scores: Record<string, number>, prediction: IntentPrediction | undefined): Agent[] {
    const candidates = this.enabledAgents(ctx).filter((agent) => agent.name in scores);
    // The organisation wrote its keyword rules on purpose: any match is certain, whatever its match type.
    const ruleScores = scores[AgentName.KeywordRules] > 0 ? { ...scores, [AgentName.KeywordRules]: Math.max(scores[AgentName.KeywordRules], ORG_RULE_CERTAINTY) } : scores;
    const order = rankAgents({ agents: candidates.map((agent) => ({ name: agent.name, priority: this.priorityOf(ctx, agent) })), ruleScores, prediction, threshold: ctx.config.threshold });
    return order.map((name) => candidates.find((agent) => agent.name === name)!);
  }

  private async respondWithBest(ctx: AgentContext, ranked: Agent[], scores: Record<string, number>, prediction: IntentPrediction | undefined): Promise<Choice | undefined> {
    const intents = intentScores(scores, prediction);
    for (const agent of ranked) {
      const reply = await safeRespond(agent, { ...ctx, intents });
      if (reply) return { agent: agent.name, confidence: intents[agent.name] ?? 0, reply };
    }
    return undefined;
  }

  private llmEnabled(ctx: AgentContext): boolean {
    return Boolean(this.options.llm) && ctx.config.llm.enabled && ctx.config.agents[AgentName.Llm]?.enabled !== false;
  }

  private async consultLlm(ctx: AgentContext, scores: Record<string, number>): Promise<{ outcome: LlmOutcome; choice?: Choice }> {
    const llm = this.options.llm!;
    const intents = this.enabledAgents(ctx).map((agent) => agent.name).filter((name) => !LAST_RESORTS.has(name));
    const timeoutMs = this.options.llmTimeoutMs ?? ctx.config.llm.timeoutMs;
    const consultation = await withTimeout((signal) => llm.consult(ctx, { intents, signal }), timeoutMs);
    scores[llm.name] = consultation.confidence ?? 0;
    if (consultation.outcome !== 'ok') return { outcome: consultation.outcome };
    const delegate = consultation.intent ? this.enabledAgents(ctx).find((agent) => agent.name === consultation.intent) : undefined;
    if (delegate && !LAST_RESORTS.has(delegate.name)) {
      const reply = await safeRespond(delegate, ctx);
      if (reply) return { outcome: 'ok', choice: { agent: delegate.name, confidence: consultation.confidence ?? ctx.config.threshold, reply } };
    }
    if (consultation.reply && consultation.reply.messages.length > 0) {
      return { outcome: 'ok', choice: { agent: llm.name, confidence: consultation.confidence ?? ctx.config.threshold, reply: consultation.reply } };
    }
    return { outcome: 'declined' };
  }

  private async lastResort(ctx: AgentContext, scores: Record<string, number>): Promise<Choice> {
    const enabled = this.enabledAgents(ctx);
    const order = [AgentName.Unrecognized, AgentName.Fallback].map((name) => enabled.find((agent) => agent.name === name));
    for (const agent of order) {
      if (!agent) continue;
      const confidence = await safeEvaluate(agent, ctx);
      scores[agent.name] = confidence;
      if (confidence <= 0) continue;
      const reply = await safeRespond(agent, ctx);
      if (reply) return { agent: agent.name, confidence, reply };
    }
    return { agent: AgentName.Fallback, confidence: 0, reply: { messages: [] } };
  }

  private finish(ctx: AgentContext, choice: Choice, scores: Record<string, number>, llm: LlmOutcome | undefined, prediction: IntentPrediction | undefined): RoutingResult {
    const unsure = LAST_RESORTS.has(choice.agent);
    const unsureStreak = unsure ? ctx.conversation.unsureStreak + 1 : 0;
    let { agent, reply } = choice;
    if (unsure && unsureStreak >= ctx.config.handoffAfterUnsure && !reply.sideEffects?.handoff) {
      agent = AgentName.HumanHandoff;
      reply = { messages: [{ type: 'text', text: configuredText(ctx, 'handoff.unsure') }], sideEffects: { handoff: { reason: 'unsure_streak' }, botState: { flow: null } } };
    }
    const period = reply.messages.length > 0 && needsAPerson(agent, reply) ? pendingNoticePeriod(ctx) : undefined;
    const notice = period ? outOfHoursNotice(ctx, period) : undefined;
    const messages = notice ? [...reply.messages, notice.message] : reply.messages;
    const sideEffects = { ...reply.sideEffects, botState: mergeBotState(ctx.conversation.botState, { ...reply.sideEffects?.botState, ...notice?.botState, unsureStreak }) };
    if (ctx.config.interestAnalysis.enabled) sideEffects.interest = classifyInterest(burstText(ctx));
    const result: RoutingResult = {
      agent,
      intent: choice.agent,
      ...(prediction ? { classifier: { intent: prediction.intent, confidence: prediction.confidence } } : {}),
      outOfHoursNotice: Boolean(notice),
      confidence: round(choice.confidence),
      scores,
      reply: { messages, sideEffects },
      unsure,
      unsureStreak,
    };
    return llm ? { ...result, llm } : result;
  }
}

/** What flows and agents see as `ctx.intents`: the rule score or the classifier's probability, whichever is higher. */
function intentScores(scores: Record<string, number>, prediction: IntentPrediction | undefined): Record<string, number> {
  const merged = { ...scores };
  for (const [name, probability] of Object.entries(prediction?.probabilities ?? {})) {
    if (name in merged) merged[name] = round(Math.max(merged[name], probability));
  }
  return merged;
}

/** Shallow merge; `null` removes a key. */
export function mergeBotState(current: BotState, patch: BotState): BotState {
  const next: BotState = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === undefined) delete next[key];
    else next[key] = value;
  }
  return next;
}

async function safeEvaluate(agent: Agent, ctx: AgentContext): Promise<number> {
  try {
    const value = await agent.evaluate(ctx);
    return Number.isFinite(value) ? round(Math.min(1, Math.max(0, value))) : 0;
  } catch {
    return 0;
  }
}

/** An agent that throws or answers nothing declines. */
async function safeRespond(agent: Agent, ctx: AgentContext): Promise<AgentReply | undefined> {
  try {
    const reply = await agent.respond(ctx);
    return reply && reply.messages.length > 0 ? reply : undefined;
  } catch {
    return undefined;
  }
}

async function withTimeout(call: (signal: AbortSignal) => Promise<LlmConsultation>, timeoutMs: number): Promise<LlmConsultation> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<LlmConsultation>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ outcome: 'timeout' });
    }, timeoutMs);
  });
  try {
    return await Promise.race([call(controller.signal).catch((): LlmConsultation => ({ outcome: 'error' })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
