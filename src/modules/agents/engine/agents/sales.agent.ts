import type { Agent, AgentContext, AgentReply } from '../agent.types';
import { AgentName } from '../default-agent-config';
import { configuredText, keywordScore, tappedAgent } from './agent-support';

/** Above any topic agent's keyword score: the customer is asking what we charge. */
const PRICE_QUESTION_CONFIDENCE = 0.999;

export class SalesAgent implements Agent {
  readonly name = AgentName.Sales;
  readonly priority = 60;

  evaluate(ctx: AgentContext): number {
    if (tappedAgent(ctx, this.name)) return 1;
    const score = keywordScore(ctx, this.name);
    return keywordScore(ctx, 'sales_price') > 0 ? Math.max(score, PRICE_QUESTION_CONFIDENCE) : score;
  }

  respond(ctx: AgentContext): AgentReply {
    return {
      messages: [
        {
          type: 'buttons',
          text: configuredText(ctx, 'sales.reply'),
          buttons: [
            { id: 'sales:quote', title: configuredText(ctx, 'sales.buttonQuote').slice(0, 20) },
            { id: `agent:${AgentName.HumanHandoff}`, title: configuredText(ctx, 'sales.buttonPerson').slice(0, 20) },
          ],
        },
      ],
      sideEffects: { addLabels: ['ventas'] },
    };
  }
}
