import type { Agent, AgentContext, AgentReply } from '../agent.types';
import { AgentName } from '../default-agent-config';
import { configuredText, keywordScore, tappedAgent } from './agent-support';

export class HumanHandoffAgent implements Agent {
  readonly name = AgentName.HumanHandoff;
  readonly priority = 100;

  evaluate(ctx: AgentContext): number {
    return tappedAgent(ctx, this.name) ? 1 : keywordScore(ctx, this.name);
  }

  respond(ctx: AgentContext): AgentReply {
    return {
      messages: [{ type: 'text', text: configuredText(ctx, 'handoff.reply') }],
      // A person takes over: any running flow is abandoned.
      sideEffects: { handoff: { reason: 'customer_request' }, botState: { flow: null } },
    };
  }
}
