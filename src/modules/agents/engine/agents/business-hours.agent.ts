import type { Agent, AgentContext, AgentReply } from '../agent.types';
import { describeInstant, describeSchedule } from '../business-hours';
import { AgentName } from '../default-agent-config';
import { accountOpenState } from '../out-of-hours';
import { contextLanguage } from '../text';
import { configuredText, keywordScore, textReply } from './agent-support';

/** Answers questions about the opening hours; the out-of-hours notice itself is added by the registry. */
export class BusinessHoursAgent implements Agent {
  readonly name = AgentName.BusinessHours;
  readonly priority = 80;

  evaluate(ctx: AgentContext): number {
    return keywordScore(ctx, this.name);
  }

  respond(ctx: AgentContext): AgentReply {
    const state = accountOpenState(ctx);
    if (!state) return textReply(configuredText(ctx, 'hours.noSchedule'));
    const language = contextLanguage(ctx);
    const schedule = describeSchedule(ctx.config.businessHours!, language);
    const nextOpen = state.nextOpen ? describeInstant(state.nextOpen, ctx.conversation.accountTimezone, language) : configuredText(ctx, 'hours.nextOpenUnknown');
    const status = configuredText(ctx, state.open ? 'hours.openNow' : 'hours.closedNow', { nextOpen });
    return textReply(configuredText(ctx, 'hours.info', { schedule, status }));
  }
}
