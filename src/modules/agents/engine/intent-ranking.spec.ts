import { rankAgents } from './intent-ranking';

const AGENTS = ['human_handoff', 'support', 'sales', 'dte', 'invoices', 'greeting'].map((name, index) => ({ name, priority: 100 - index }));
const prediction = (probabilities: Record<string, number>) => {
  const [intent, confidence] = Object.entries(probabilities).sort((a, b) => b[1] - a[1])[0];
  return { intent, confidence, probabilities };
};

describe('rankAgents', () => {
  it('keeps a certain rule first even when the classifier prefers another intent', () => {
    const order = rankAgents({ agents: AGENTS, ruleScores: { sales: 0.999 }, prediction: prediction({ support: 0.8, sales: 0.2 }), threshold: 0.5 });

    expect(order[0]).toBe('sales');
  });

  it('lets the classifier break a tie between strong keywords', () => {
    const order = rankAgents({ agents: AGENTS, ruleScores: { support: 0.9, dte: 0.9 }, prediction: prediction({ dte: 0.7, support: 0.3 }), threshold: 0.5 });

    expect(order.slice(0, 2)).toEqual(['dte', 'support']);
  });

  it('lets the classifier decide when no rule is certain, weak rules coming after it', () => {
    const order = rankAgents({ agents: AGENTS, ruleScores: { invoices: 0.6 }, prediction: prediction({ dte: 0.8, invoices: 0.2 }), threshold: 0.5 });

    expect(order).toEqual(['dte', 'invoices']);
  });

  it('tries nothing when the classifier is sure the message is off-topic and no rule is certain', () => {
    const order = rankAgents({ agents: AGENTS, ruleScores: { greeting: 0.6 }, prediction: prediction({ unrecognized: 0.9, greeting: 0.1 }), threshold: 0.5 });

    expect(order).toEqual([]);
  });
});
