import type { Agent, AgentContext, AgentReply, AgentSideEffects } from '../engine/agent.types';
import { lastReplyId } from '../engine/agents/agent-support';
import { AgentName } from '../engine/default-agent-config';
import { burstText } from '../engine/text';
import type { FlowDefinition, FlowRuntime } from './flow-definition';
import { advance, type FlowInput, type FlowState, isFlowExpired, matchesAny } from './flow-engine';
import { BotStateKey } from '../../communications/conversations/bot-state';

export const FLOW_STATE_KEY = BotStateKey.Flow;
const FLOW_LABELS_KEY = BotStateKey.FlowLabels;

export interface FlowAgentOptions {
  flows: FlowDefinition[];
  /** Calculators referenced by the flows' `compute` states. */
  runtime?: FlowRuntime;
  priority?: number;
}

/** Runs data-defined flows: owns the conversation while a flow is active, or when a trigger starts one. */
export class FlowAgent implements Agent {
  readonly name = AgentName.Flow;
  readonly priority: number;
  readonly usesIntents = true;

  constructor(private readonly options: FlowAgentOptions) {
    this.priority = options.priority ?? 95;
  }

  evaluate(ctx: AgentContext): number {
    if (this.activeFlow(ctx)) {
      // Asking for a person beats finishing the questionnaire.
      const handoff = ctx.intents?.[AgentName.HumanHandoff] ?? 0;
      return handoff >= ctx.config.threshold ? 0 : 1;
    }
    return this.triggeredFlow(ctx) ? 1 : 0;
  }

  respond(ctx: AgentContext): AgentReply {
    const active = this.activeFlow(ctx);
    const def = active?.def ?? this.triggeredFlow(ctx);
    if (!def) return { messages: [] };
    const step = advance(def, active?.state ?? this.storedState(ctx), this.input(ctx), ctx.now, this.options.runtime);
    const sideEffects: AgentSideEffects = { botState: { [FLOW_STATE_KEY]: step.completed ? null : step.state } };
    const finalState = step.completed && step.state ? def.states[step.state.current] : undefined;
    if (finalState?.addLabels) {
      sideEffects.addLabels = finalState.addLabels;
      // Remembered so an operator's reset removes exactly the labels flows added.
      sideEffects.botState![FLOW_LABELS_KEY] = [...new Set([...this.flowLabels(ctx), ...finalState.addLabels])];
    }
    if (finalState?.handoff) sideEffects.handoff = { reason: `flow_completed:${def.id}` };
    return { messages: step.replies, sideEffects };
  }

  private flowLabels(ctx: AgentContext): string[] {
    const labels = ctx.conversation.botState[FLOW_LABELS_KEY];
    return Array.isArray(labels) ? labels.filter((label): label is string => typeof label === 'string') : [];
  }

  private storedState(ctx: AgentContext): FlowState | undefined {
    const state = ctx.conversation.botState[FLOW_STATE_KEY] as FlowState | undefined;
    return state && typeof state === 'object' && typeof state.flowId === 'string' ? state : undefined;
  }

  private activeFlow(ctx: AgentContext): { def: FlowDefinition; state: FlowState } | undefined {
    const state = this.storedState(ctx);
    const def = state && this.options.flows.find((flow) => flow.id === state.flowId);
    if (!state || !def || !def.states[state.current] || def.states[state.current].terminal) return undefined;
    return isFlowExpired(def, state, ctx.now) ? undefined : { def, state };
  }

  private triggeredFlow(ctx: AgentContext): FlowDefinition | undefined {
    const text = burstText(ctx);
    const intent = this.topIntent(ctx);
    return this.options.flows.find((flow) => matchesAny(text, flow.triggers?.keywords) || (intent !== undefined && (flow.triggers?.intents ?? []).includes(intent)));
  }

  private topIntent(ctx: AgentContext): string | undefined {
    const ranked = Object.entries(ctx.intents ?? {})
      .filter(([name, score]) => name !== this.name && score >= ctx.config.threshold)
      .sort((a, b) => b[1] - a[1]);
    return ranked[0]?.[0];
  }

  private input(ctx: AgentContext): FlowInput {
    return { text: burstText(ctx) || undefined, replyId: lastReplyId(ctx), intent: this.topIntent(ctx) };
  }
}
