import type { Agent, AgentContext, AgentReply, KeywordRule } from '../agent.types';
import { AgentName } from '../default-agent-config';
import { burstText, containsPhrase, normalizeText, tokenize } from '../text';
import { textReply } from './agent-support';

const MATCH_CONFIDENCE: Record<KeywordRule['match'], number> = { exact: 1, regex: 0.9, contains: 0.8 };

export class KeywordRulesAgent implements Agent {
  readonly name = AgentName.KeywordRules;
  readonly priority = 90;

  evaluate(ctx: AgentContext): number {
    return this.bestRule(ctx)?.confidence ?? 0;
  }

  respond(ctx: AgentContext): AgentReply {
    const best = this.bestRule(ctx);
    return best ? textReply(best.rule.reply) : { messages: [] };
  }

  private bestRule(ctx: AgentContext): { rule: KeywordRule; confidence: number } | undefined {
    const text = burstText(ctx);
    let best: { rule: KeywordRule; confidence: number } | undefined;
    for (const rule of ctx.config.rules) {
      if (!ruleMatches(rule, text)) continue;
      const confidence = MATCH_CONFIDENCE[rule.match];
      const better = !best || confidence > best.confidence || (confidence === best.confidence && (rule.priority ?? 0) > (best.rule.priority ?? 0));
      if (better) best = { rule, confidence };
    }
    return best;
  }
}

/** Accent- and case-insensitive; `contains` matches whole words. A broken regex never matches. */
export function ruleMatches(rule: KeywordRule, text: string): boolean {
  const normalized = normalizeText(text);
  if (rule.match === 'exact') return normalized === normalizeText(rule.pattern);
  if (rule.match === 'contains') return containsPhrase(tokenize(text), normalizeText(rule.pattern));
  const regex = compileRule(rule.pattern);
  return regex ? regex.test(normalized) || regex.test(text) : false;
}

export function compileRule(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'i');
  } catch {
    return undefined;
  }
}

/** Problems an admin should see before saving rules. */
export function validateRules(rules: KeywordRule[]): string[] {
  const errors: string[] = [];
  rules.forEach((rule, index) => {
    if (!['exact', 'contains', 'regex'].includes(rule.match)) errors.push(`rules[${index}].match must be exact, contains or regex`);
    if (!rule.pattern?.trim()) errors.push(`rules[${index}].pattern is empty`);
    if (!rule.reply?.trim()) errors.push(`rules[${index}].reply is empty`);
    if (rule.match === 'regex' && !compileRule(rule.pattern)) errors.push(`rules[${index}].pattern is not a valid regular expression`);
  });
  return errors;
}
