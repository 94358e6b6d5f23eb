import type { Agent, AgentContext, AgentReply } from '../agent.types';
import { describeInstant, describeSchedule, openState, type OpenState } from '../business-hours';
import { AgentName } from '../default-agent-config';
import { contextLanguage } from '../text';
import { configuredText, keywordScore, textReply } from './agent-support';
import { BotStateKey } from '../../../communications/conversations/bot-state';

const NOTICE_CONFIDENCE = 0.96;
export const OUT_OF_HOURS_KEY = BotStateKey.OutOfHoursNotifiedFor;

export class BusinessHoursAgent implements Agent {
  readonly name = AgentName.BusinessHours;
  readonly priority = 80;

  evaluate(ctx: AgentContext): number {
    const asked = keywordScore(ctx, this.name);
    return this.pendingNotice(ctx) ? Math.max(asked, NOTICE_CONFIDENCE) : asked;
  }

  respond(ctx: AgentContext): AgentReply {
    const hours = ctx.config.businessHours;
    if (!hours || Object.keys(hours.weekly).length === 0) return textReply(configuredText(ctx, 'hours.noSchedule'));
    const state = this.state(ctx)!;
    const language = contextLanguage(ctx);
    const schedule = describeSchedule(hours, language);
    const nextOpen = state.nextOpen ? describeInstant(state.nextOpen, ctx.conversation.accountTimezone, language) : configuredText(ctx, 'hours.nextOpenUnknown');
    const notice = this.pendingNotice(ctx);
    if (notice) return textReply(configuredText(ctx, 'hours.outOfHours', { schedule, nextOpen }), { botState: { [OUT_OF_HOURS_KEY]: notice } });
    const status = configuredText(ctx, state.open ? 'hours.openNow' : 'hours.closedNow', { nextOpen });
    return textReply(configuredText(ctx, 'hours.info', { schedule, status }));
  }

  /** The closed period's key when closed and not yet told about this period; once per closed period. */
  private pendingNotice(ctx: AgentContext): string | undefined {
    const state = this.state(ctx);
    if (!state || state.open) return undefined;
    const period = state.closedSince?.toISOString() ?? 'no-schedule';
    return ctx.conversation.botState[OUT_OF_HOURS_KEY] === period ? undefined : period;
  }

  private state(ctx: AgentContext): OpenState | undefined {
    const hours = ctx.config.businessHours;
    if (!hours || Object.keys(hours.weekly).length === 0) return undefined;
    return openState(ctx.now, hours, ctx.conversation.accountTimezone);
  }
}
