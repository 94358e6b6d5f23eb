import type { Agent, AgentContext, AgentReply } from '../agent.types';
import { AgentName } from '../default-agent-config';
import { configuredText, keywordScore, tappedAgent, textReply } from './agent-support';

export class SupportAgent implements Agent {
  readonly name = AgentName.Support;
  readonly priority = 70;

  evaluate(ctx: AgentContext): number {
    return tappedAgent(ctx, this.name) ? 1 : keywordScore(ctx, this.name);
  }

  respond(ctx: AgentContext): AgentReply {
    return textReply(configuredText(ctx, 'support.reply'), { addLabels: ['soporte'] });
  }
}
