import replies from '../../../../test/fixtures/agents/interest-replies.json';
import { classifyInterest } from './interest';

describe('classifyInterest', () => {
  it('classifies the labelled recruiting replies with at least 85% accuracy', () => {
    const misses = (replies as Array<{ text: string; expected: string }>)
      .map((reply) => ({ ...reply, got: classifyInterest(reply.text) }))
      .filter((reply) => reply.got !== reply.expected);
    const accuracy = 1 - misses.length / replies.length;
    console.table([{ total: replies.length, correct: replies.length - misses.length, accuracy: Number(accuracy.toFixed(3)) }]);
    if (misses.length > 0) console.table(misses);

    expect(replies.length).toBeGreaterThanOrEqual(40);
    expect(accuracy).toBeGreaterThanOrEqual(0.85);
  });
});
