import type { AgentContext, AgentReply, OutboundReply } from './agent.types';
import { configuredText } from './agents/agent-support';
import { describeInstant, describeSchedule, openState, type OpenState } from './business-hours';
import { AgentName } from './default-agent-config';
import { contextLanguage } from './text';
import { BotStateKey } from '../../communications/conversations/bot-state';

export const OUT_OF_HOURS_KEY = BotStateKey.OutOfHoursNotifiedFor;

/** Answers that wait for a person; anything the bot answers itself needs no notice. */
const NEEDS_A_PERSON = new Set<string>([AgentName.HumanHandoff, AgentName.Support, AgentName.Unrecognized, AgentName.Fallback]);

export function accountOpenState(ctx: AgentContext): OpenState | undefined {
  const hours = ctx.config.businessHours;
  if (!hours || Object.keys(hours.weekly).length === 0) return undefined;
  return openState(ctx.now, hours, ctx.conversation.accountTimezone);
}

/** The closed period's key when closed and this conversation was not told yet: once per closed period. */
export function pendingNoticePeriod(ctx: AgentContext): string | undefined {
  const state = accountOpenState(ctx);
  if (!state || state.open) return undefined;
  const period = state.closedSince?.toISOString() ?? 'no-schedule';
  return ctx.conversation.botState[OUT_OF_HOURS_KEY] === period ? undefined : period;
}

export function needsAPerson(agent: string, reply: AgentReply): boolean {
  return NEEDS_A_PERSON.has(agent) || Boolean(reply.sideEffects?.handoff);
}

/** The "we are closed, people are back at …" message and the bot-state mark that it was said. */
export function outOfHoursNotice(ctx: AgentContext, period: string): { message: OutboundReply; botState: Record<string, string> } {
  const language = contextLanguage(ctx);
  const state = accountOpenState(ctx);
  const schedule = describeSchedule(ctx.config.businessHours!, language);
  const nextOpen = state?.nextOpen ? describeInstant(state.nextOpen, ctx.conversation.accountTimezone, language) : configuredText(ctx, 'hours.nextOpenUnknown');
  return { message: { type: 'text', text: configuredText(ctx, 'hours.outOfHours', { schedule, nextOpen }) }, botState: { [OUT_OF_HOURS_KEY]: period } };
}
