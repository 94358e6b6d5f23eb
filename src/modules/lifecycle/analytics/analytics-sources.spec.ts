import { quantile, sourceFor } from './analytics-sources';
import { toCsv } from './csv';

describe('quantile', () => {
  it('matches percentile_disc: the first value whose cumulative count reaches p of the total', () => {
    const histogram = [
      { seconds: 64800, cycles: 1 },
      { seconds: 1200, cycles: 1 },
    ];
    expect([quantile(histogram, 0.5), quantile(histogram, 0.9)]).toEqual([1200, 64800]);
    expect(quantile([{ seconds: 10, cycles: 9 }, { seconds: 99, cycles: 1 }], 0.9)).toBe(10);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe('sourceFor', () => {
  const base = { organizationId: 'o', accountId: null, agent: null, label: null };
  it('reads the daily rollups for whole UTC days, the cycles otherwise', () => {
    expect(sourceFor({ ...base, from: new Date('2030-01-01T00:00:00Z'), to: new Date('2030-01-08T00:00:00Z') }).rows).toContain('analytics_daily');
    expect(sourceFor({ ...base, from: new Date('2030-01-01T00:00:00Z'), to: new Date('2030-01-08T10:00:00Z') }).rows).toContain('analytics_cycle');
  });
});

describe('toCsv', () => {
  it('writes a header, quotes what needs quoting and leaves nulls empty', () => {
    expect(toCsv([{ name: 'Pérez, "Pepe"', n: 1, x: null }])).toBe('name,n,x\r\n"Pérez, ""Pepe""",1,\r\n');
    expect(toCsv([])).toBe('');
  });
});
