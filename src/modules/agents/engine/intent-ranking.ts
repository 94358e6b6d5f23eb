import type { IntentPrediction } from './classifier/intent-classifier';

/** A rule score this high is certain (a strong keyword, a tapped button, an exact rule, a flow trigger). */
export const RULE_CERTAIN = 0.9;
/** Above a strong keyword: an exact rule, a tap, a running flow, a price question. */
const RULE_DECISIVE = 0.95;

export interface RankInput {
  /** Enabled agent names other than the last resorts, with their priorities. */
  agents: Array<{ name: string; priority: number }>;
  ruleScores: Record<string, number>;
  prediction?: IntentPrediction;
  threshold: number;
}

/**
 * The agents to try, best first. Certain rules keep precedence (the classifier only breaks ties
 * among strong keywords); otherwise the classifier decides, and rules below certainty come last.
 * An `unrecognized` (off-topic) prediction is never an agent to try: it leaves the turn unsure.
 */
export function rankAgents(input: RankInput): string[] {
  const probability = (name: string): number => input.prediction?.probabilities[name] ?? 0;
  const score = (name: string): number => input.ruleScores[name] ?? 0;
  const priority = new Map(input.agents.map((agent) => [agent.name, agent.priority]));
  const byPriority = (a: string, b: string): number => (priority.get(b) ?? 0) - (priority.get(a) ?? 0);
  const names = input.agents.map((agent) => agent.name);
  const tier = (name: string): number => (score(name) >= RULE_DECISIVE ? score(name) : RULE_CERTAIN);
  const certain = names.filter((name) => score(name) >= RULE_CERTAIN).sort((a, b) => tier(b) - tier(a) || probability(b) - probability(a) || score(b) - score(a) || byPriority(a, b));
  const offTopic = input.prediction?.intent === 'unrecognized' && input.prediction.confidence >= input.threshold;
  const learned = names.filter((name) => !certain.includes(name) && probability(name) >= input.threshold).sort((a, b) => probability(b) - probability(a));
  const weakRules = offTopic ? [] : names.filter((name) => !certain.includes(name) && !learned.includes(name) && score(name) >= input.threshold).sort((a, b) => score(b) - score(a) || byPriority(a, b));
  return [...certain, ...learned, ...weakRules];
}
