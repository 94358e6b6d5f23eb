import { shouldApplyStatus } from './status-rank';

describe('shouldApplyStatus', () => {
  it.each([
    [undefined, 'sent', true],
    [null, 'read', true],
    ['queued', 'sent', true],
    ['sending', 'sent', true],
    ['sent', 'delivered', true],
    ['sent', 'read', true],
    ['delivered', 'read', true],
    ['read', 'played', true],
    ['queued', 'read', true],
  ])('applies %s → %s when it moves forward', (current, incoming, expected) => {
    expect(shouldApplyStatus(current, incoming)).toBe(expected);
  });

  it.each([
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'delivered'],
    ['read', 'sent'],
    ['delivered', 'sent'],
    ['played', 'read'],
    ['sent', 'queued'],
  ])('ignores %s → %s when it is a duplicate or a regression', (current, incoming) => {
    expect(shouldApplyStatus(current, incoming)).toBe(false);
  });

  it.each([['queued'], ['sending'], ['sent'], [undefined]])('applies failed when the message is only %s', (current) => {
    expect(shouldApplyStatus(current, 'failed')).toBe(true);
  });

  it.each([['delivered'], ['read'], ['played']])('ignores failed when the message was already %s', (current) => {
    expect(shouldApplyStatus(current, 'failed')).toBe(false);
  });

  it.each([['sent'], ['delivered'], ['read'], ['played'], ['failed']])('keeps failed terminal when %s arrives later', (incoming) => {
    expect(shouldApplyStatus('failed', incoming)).toBe(false);
  });

  it('ignores statuses it does not know when the provider sends something new', () => {
    expect(shouldApplyStatus('sent', 'warning')).toBe(false);
    expect(shouldApplyStatus('received', 'read')).toBe(false);
  });
});
