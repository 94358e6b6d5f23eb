import { DomainError } from '../../common/errors/domain-error';
import { CampaignsErrorCode } from './campaigns.errors';

/**
 * Upper bounds (exclusive) of each variant's share of `total` rows ranked in a random order: row `rn` (0-based)
 * gets the first variant whose bound exceeds it. Exact to one row, whatever the audience size.
 */
export function variantBounds(percents: number[], total: number): number[] {
  const sum = percents.reduce((a, b) => a + b, 0);
  if (sum !== 100) throw new DomainError(CampaignsErrorCode.AbTestInvalid, `A/B percentages must add up to 100 (they add up to ${sum})`);
  let cumulative = 0;
  return percents.map((p, i) => {
    cumulative += p;
    return i === percents.length - 1 ? total : Math.round((total * cumulative) / 100);
  });
}

export interface VariantStats {
  variant: number;
  sent: number;
  read: number;
  replied: number;
}

/** The variant with the best rate of `metric` among its sent messages (ties: the first). */
export function pickWinner(stats: VariantStats[], metric: 'read' | 'replied'): number {
  const rate = (s: VariantStats) => (s.sent === 0 ? 0 : s[metric] / s.sent);
  return stats.reduce((best, s) => (rate(s) > rate(best) ? s : best), stats[0]).variant;
}
