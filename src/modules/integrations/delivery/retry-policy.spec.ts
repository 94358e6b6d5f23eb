import { decideAttempt, parseSchedule, retryAfterMs } from './retry-policy';

const schedule = parseSchedule('0,5000,300000,1800000,7200000,18000000,36000000,50400000,72000000,86400000');

describe('decideAttempt', () => {
  const now = 1_000_000;
  it('follows the schedule after ordinary failures, then gives up after the tenth attempt', () => {
    expect(decideAttempt({ status: 500 }, 1, schedule, now)).toEqual({ kind: 'retry', at: now + 5000 });
    expect(decideAttempt({ status: null }, 2, schedule, now)).toEqual({ kind: 'retry', at: now + 300000 });
    expect(decideAttempt({ status: 500 }, 9, schedule, now)).toEqual({ kind: 'retry', at: now + 86400000 });
    expect(decideAttempt({ status: 500 }, 10, schedule, now)).toEqual({ kind: 'dead' });
  });

  it('delivers on 2xx, stops on 410, honours Retry-After only on 429/502/503/504', () => {
    expect(decideAttempt({ status: 204 }, 1, schedule, now)).toEqual({ kind: 'delivered' });
    expect(decideAttempt({ status: 410 }, 1, schedule, now)).toEqual({ kind: 'gone' });
    expect(decideAttempt({ status: 503, retryAfter: '120' }, 1, schedule, now)).toEqual({ kind: 'retry', at: now + 120000 });
    expect(decideAttempt({ status: 500, retryAfter: '120' }, 1, schedule, now)).toEqual({ kind: 'retry', at: now + 5000 });
    expect(decideAttempt({ status: 301 }, 1, schedule, now)).toEqual({ kind: 'retry', at: now + 5000 });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, caps at a day', () => {
    expect(retryAfterMs('3', 0)).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 0)).toBe(10_000);
    expect(retryAfterMs('999999', 0)).toBe(86_400_000);
    expect(retryAfterMs('soon', 0)).toBeNull();
  });
});
