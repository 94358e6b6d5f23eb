import type { AgentContext, AgentReply, BotState } from '../agent.types';
import { burstTokens, contextLanguage, interpolate, pickText, scoreKeywords } from '../text';

/** A configured text in the conversation's language, with `{{org}}` and `{{name}}` filled in. */
export function configuredText(ctx: AgentContext, key: string, vars: Record<string, string | number | undefined> = {}): string {
  const template = pickText(ctx.config.texts[key], contextLanguage(ctx));
  return interpolate(template, { org: ctx.config.organizationName, name: nameSuffix(ctx), ...vars });
}

/** `, Ana` or empty: greetings read well with and without a known name. */
export function nameSuffix(ctx: AgentContext): string {
  const first = ctx.contact.name?.trim().split(/\s+/)[0];
  return first ? ` ${first}` : '';
}

export function keywordScore(ctx: AgentContext, agentName: string): number {
  return scoreKeywords(burstTokens(ctx), ctx.config.keywords[agentName]);
}

export function textReply(text: string, sideEffects?: AgentReply['sideEffects']): AgentReply {
  return sideEffects ? { messages: [{ type: 'text', text }], sideEffects } : { messages: [{ type: 'text', text }] };
}

export function lastReplyId(ctx: AgentContext): string | undefined {
  return ctx.messages[ctx.messages.length - 1]?.interactiveReplyId;
}

/** Menu buttons carry `agent:<name>`: a tap routes straight to that agent. */
export function tappedAgent(ctx: AgentContext, agentName: string): boolean {
  return lastReplyId(ctx) === `agent:${agentName}`;
}

export function botStateValue<T>(state: BotState, key: string): T | undefined {
  return state[key] as T | undefined;
}
