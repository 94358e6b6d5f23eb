import type { Agent, AgentContext, AgentReply, KnowledgeEntry } from '../agent.types';
import { AgentName } from '../default-agent-config';
import { burstTokens, containsPhrase, contextLanguage } from '../text';
import { configuredText, keywordScore, tappedAgent, textReply } from './agent-support';

/** More than all the words an entry lists: "cuándo vence el F3323" is about the F3323 even if the F29 entry knows "cuándo" and "vence". */
const FORM_NUMBER_WEIGHT = 20;

export const KNOWLEDGE_TOPICS = [AgentName.TaxReminders, AgentName.Dte, AgentName.Honorarios, AgentName.Sii, AgentName.Invoices] as const;

/** Answers one topic of the tax-accounting pack from the organisation's editable knowledge entries. */
export class KnowledgeAgent implements Agent {
  readonly priority = 50;

  constructor(readonly name: string) {}

  evaluate(ctx: AgentContext): number {
    if (tappedAgent(ctx, this.name)) return 1;
    if (this.entries(ctx).length === 0) return 0;
    return keywordScore(ctx, this.name);
  }

  respond(ctx: AgentContext): AgentReply {
    const entry = this.bestEntry(ctx);
    if (!entry) return { messages: [] };
    const answer = contextLanguage(ctx) === 'en' && entry.answerEn ? entry.answerEn : entry.answer;
    const footer = configuredText(ctx, 'knowledge.footer');
    return textReply(footer ? `${answer}\n\n${footer}` : answer, { addLabels: [this.name] });
  }

  /** The entry with most keyword hits, a form number ("f3323", "formulario 29") outweighing any number of words; the topic's first entry is its general answer. */
  bestEntry(ctx: AgentContext): KnowledgeEntry | undefined {
    const tokens = burstTokens(ctx);
    let best: { entry: KnowledgeEntry; hits: number } | undefined;
    for (const entry of this.entries(ctx)) {
      const hits = entry.keywords.filter((keyword) => containsPhrase(tokens, keyword)).reduce((sum, keyword) => sum + (/\d/.test(keyword) ? FORM_NUMBER_WEIGHT : 1), 0);
      if (!best || hits > best.hits) best = { entry, hits };
    }
    return best?.entry;
  }

  private entries(ctx: AgentContext): KnowledgeEntry[] {
    return ctx.config.knowledge.filter((entry) => entry.topic === this.name);
  }
}
