/** Statuses whose `Retry-After` is honoured. */
const RETRY_AFTER_STATUSES = new Set([429, 502, 503, 504]);
const MAX_RETRY_AFTER_MS = 24 * 3600_000;

export type AttemptOutcome = { kind: 'delivered' } | { kind: 'gone' } | { kind: 'retry'; at: number } | { kind: 'dead' };

export interface AttemptResult {
  status: number | null;
  retryAfter?: string | null;
}

/** `schedule[n]` is the wait before attempt n+1 (attempt 1 at schedule[0]); after the last attempt the delivery is dead. */
export function parseSchedule(value: string): number[] {
  return value.split(',').map(Number);
}

export function decideAttempt(result: AttemptResult, attemptsMade: number, schedule: number[], now = Date.now()): AttemptOutcome {
  const { status } = result;
  if (status !== null && status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 410) return { kind: 'gone' };
  if (attemptsMade >= schedule.length) return { kind: 'dead' };
  const retryAfter = status !== null && RETRY_AFTER_STATUSES.has(status) ? retryAfterMs(result.retryAfter, now) : null;
  return { kind: 'retry', at: now + (retryAfter ?? schedule[attemptsMade]) };
}

/** Seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header.trim()) * 1000 : Date.parse(header) - now;
  return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), MAX_RETRY_AFTER_MS) : null;
}
