import { pickWinner, variantBounds } from './ab-split';

describe('variantBounds', () => {
  it('splits exactly by percentage', () => {
    expect(variantBounds([50, 30, 20], 10000)).toEqual([5000, 8000, 10000]);
    expect(variantBounds([34, 33, 33], 7)).toEqual([2, 5, 7]);
  });

  it('refuses percentages that do not add up to 100', () => {
    expect(() => variantBounds([50, 40], 10)).toThrow(expect.objectContaining({ code: 'CAMPAIGN_AB_TEST_INVALID' }));
  });
});

describe('pickWinner', () => {
  it('chooses the best rate of the metric, not the largest count', () => {
    const stats = [
      { variant: 0, sent: 100, read: 40, replied: 10 },
      { variant: 1, sent: 10, read: 6, replied: 0 },
    ];
    expect(pickWinner(stats, 'read')).toBe(1);
    expect(pickWinner(stats, 'replied')).toBe(0);
  });
});
