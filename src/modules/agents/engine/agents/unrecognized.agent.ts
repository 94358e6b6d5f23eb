import type { Agent, AgentContext, AgentReply } from '../agent.types';
import { AgentName } from '../default-agent-config';
import { burstText, contextLanguage } from '../text';
import { configuredText } from './agent-support';

const MENU: Record<'es' | 'en', Array<{ id: string; title: string }>> = {
  es: [
    { id: `agent:${AgentName.TaxReminders}`, title: 'F29 y declaraciones' },
    { id: `agent:${AgentName.Dte}`, title: 'Facturación (DTE)' },
    { id: `agent:${AgentName.Honorarios}`, title: 'Boletas honorarios' },
    { id: `agent:${AgentName.Sii}`, title: 'Clave y certificado' },
    { id: `agent:${AgentName.Sales}`, title: 'Planes y precios' },
    { id: `agent:${AgentName.HumanHandoff}`, title: 'Hablar con persona' },
  ],
  en: [
    { id: `agent:${AgentName.TaxReminders}`, title: 'Tax returns' },
    { id: `agent:${AgentName.Dte}`, title: 'E-invoicing' },
    { id: `agent:${AgentName.Honorarios}`, title: 'Fee receipts' },
    { id: `agent:${AgentName.Sii}`, title: 'SII access' },
    { id: `agent:${AgentName.Sales}`, title: 'Plans and prices' },
    { id: `agent:${AgentName.HumanHandoff}`, title: 'Talk to a person' },
  ],
};

/** Asks to rephrase and offers the menu; declines messages without text (media), left to the fallback. */
export class UnrecognizedAgent implements Agent {
  readonly name = AgentName.Unrecognized;
  readonly priority = 1;

  evaluate(ctx: AgentContext): number {
    return burstText(ctx).trim().length > 0 ? 0.5 : 0;
  }

  respond(ctx: AgentContext): AgentReply {
    const language = contextLanguage(ctx);
    return {
      messages: [
        {
          type: 'list',
          text: configuredText(ctx, 'unrecognized.reply'),
          button: configuredText(ctx, 'unrecognized.menuButton').slice(0, 20),
          sections: [{ rows: MENU[language] }],
        },
      ],
    };
  }
}

export class FallbackAgent implements Agent {
  readonly name = AgentName.Fallback;
  readonly priority = 0;

  evaluate(): number {
    return 0.1;
  }

  respond(ctx: AgentContext): AgentReply {
    return { messages: [{ type: 'text', text: configuredText(ctx, 'fallback.reply') }] };
  }
}
