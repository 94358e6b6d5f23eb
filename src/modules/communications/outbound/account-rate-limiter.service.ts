import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { defineLuaScript, type LuaScript } from '../../../common/redis/lua-script';
import type { RedisClient } from '../../../common/redis/redis-client';
import { REDIS } from '../../../common/redis/redis.module';
import { AppConfig } from '../../../config/app-config';

/**
 * Per-account send pacing in Redis, shared by every worker replica (server clock, one atomic script).
 * GCRA with reservations: each send takes the next slot (`tat`, then `tat += interval`), so sends are
 * evenly spaced. A slot left unused (its send reached the worker late) may still be taken up to CATCH_UP_MS
 * later, at once: a paced stream of sends whose arrival jitters keeps its rate instead of losing every gap for
 * good, while the send window (ADMIT) still holds every second to the limit. A caller gets a slot only when it is at most
 * `maxAhead` ms away (it then sleeps until it); otherwise it is refused and told when to come back,
 * refused callers being spread one interval apart (`retry` cursor) so a backlog returns at the
 * allowed rate instead of stampeding.
 *
 * Times are epoch milliseconds with fractions, written with string.format: Lua's tostring keeps 14 digits,
 * which at today's epoch rounds to 0.1 ms and silently shortened every interval (1.05 ms became 1.0).
 *
 * Bulk may only book BULK_MAX_AHEAD_MS ahead, priority traffic (replies, transactional) up to
 * PRIORITY_MAX_AHEAD_MS: bulk alone uses the whole limit, and a reply arriving during a campaign
 * waits at most BULK_MAX_AHEAD_MS behind the bulk slots already booked.
 */
const ACQUIRE = `
if KEYS[4] and redis.call('EXISTS', KEYS[4]) == 1 then return {3, 0} end
local pair = redis.call('GET', KEYS[3])
if pair then return {2, pair} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local maxAhead = tonumber(ARGV[2])
local slot = math.max(now - tonumber(ARGV[3]), tonumber(redis.call('GET', KEYS[1]) or '0'))
if slot - now <= maxAhead then
  redis.call('SET', KEYS[1], string.format('%.3f', slot + interval), 'PX', math.max(1, math.ceil(slot + interval - now)) + 1000)
  return {1, math.max(0, math.floor(slot - now))}
end
local back = math.max(slot - maxAhead, tonumber(redis.call('GET', KEYS[2]) or '0'))
redis.call('SET', KEYS[2], string.format('%.3f', back + interval), 'PX', math.ceil(back + interval - now) + 1000)
return {0, math.ceil(back - now)}
`;

/** Reserves `n` consecutive pacing slots for a bulk batch; returns the first slot's offset from now (ms). */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local start = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local after = start + tonumber(ARGV[1]) * tonumber(ARGV[2])
redis.call('SET', KEYS[1], string.format('%.3f', after), 'PX', math.ceil(after - now + 60000))
return math.floor(start - now)
`;

/**
 * Sliding-window log of provider calls (member = message id, score = when the call may leave): each caller is given
 * the earliest time, not before the last one given (first come, first served), at which fewer than `limit` calls fall
 * in the `window` ms up to it, and its entry is written at that time. Any `window` ms then hold at most `limit`
 * calls by construction, and every caller sleeps once instead of polling: {time given, ms from now}. A caller asking
 * again (it woke too late to use its time) gives up its earlier entry.
 */
const ADMIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREM', KEYS[1], ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.3f', now - window))
local at = now
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then at = math.max(at, tonumber(last[2])) end
local n = redis.call('ZCARD', KEYS[1])
if n >= limit then
  local nth = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
  at = math.max(at, tonumber(nth[2]) + window)
end
redis.call('ZADD', KEYS[1], string.format('%.3f', at), ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(at - now + window) + 1000)
return {string.format('%.3f', at), string.format('%.3f', at - now)}
`;

/** Moves a call's entry in the window log to a later time (re-adding it if it already left the window). */
const LATE = `
redis.call('ZADD', KEYS[1], 'GT', ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
`;

/** Meta's throughput limit (130429): no send of the account's number before `now + ARGV[1]` (the pace resumes from there). */
const SLOW_DOWN = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local after = now + tonumber(ARGV[1])
if tonumber(redis.call('GET', KEYS[1]) or '0') < after then
  redis.call('SET', KEYS[1], string.format('%.3f', after), 'PX', math.ceil(after - now) + 1000)
end
`;

/** How long a number's every send waits after Meta answered 130429 (throughput reached). */
export const THROUGHPUT_PAUSE_MS = 1000;

/**
 * The send window counts 1,000 + JITTER_MARGIN_MS ms as a second: the time from the last check to Meta
 * receiving the request varies, and this keeps every 1-second window at the provider within the limit (at the
 * cost of 3 % of it) as long as that variation stays under the margin; longer delays are recorded as they
 * happen (LATE_DISPATCH_MS). Pacing is a little slower still (PACE_MARGIN_MS), so that the
 * window only holds back the sends that bunched up, not every send.
 */
export const JITTER_MARGIN_MS = 30;
export const PACE_MARGIN_MS = 30;
/**
 * A call written out later than this after its window check was asked (a slow check, a busy event loop, a
 * garbage collection) has its window entry moved to when it really left, so the calls admitted after it still
 * count it in their second. What stays unaccounted (up to this, plus the spread of network latency to the
 * provider) must fit in JITTER_MARGIN_MS.
 */
export const LATE_DISPATCH_MS = 5;
/**
 * A call that wakes later than this after its time in the send window takes a new time instead (its place has passed):
 * up to here, the late call is counted when it leaves (LATE_DISPATCH_MS) and the rest of JITTER_MARGIN_MS covers it.
 */
export const REWAKE_LATE_MS = 10;
export const BULK_MAX_AHEAD_MS = 100;
/** Bulk jobs reach a worker this much before their pacing slot, which they then book and wait for: a job fetched a little late still finds its slot. */
export const FANOUT_LEAD_MS = 50;
/** How far back an unused pacing slot can still be taken (a burst of at most CATCH_UP_MS × rate sends). */
export const CATCH_UP_MS = 50;
export const PRIORITY_MAX_AHEAD_MS = 1000;

export type TrafficClass = 'bulk' | 'priority';

/** A call's place in the send window: when it is due to leave, on this process's clock (`performance.now()`) and on Redis's (epoch ms). */
export interface Admission {
  askedAt: number;
  admittedAt: number;
}

/**
 * `booked`: a slot is `waitMs` from now (sleep, then send). `refused`: come back in `waitMs`.
 * `pair`: the recipient is paused (131056) until `pairUntil` (epoch ms); no slot was taken.
 */
export type Acquired = { outcome: 'booked' | 'refused'; waitMs: number } | { outcome: 'pair'; pairUntil: number } | { outcome: 'held' };

/** A cancelled campaign's hold outlives its last queued send by far; a paused one's lasts until resume. */
const CANCELLED_HOLD_MS = 24 * 3600_000;

/** Milliseconds between two sends of an account limited to `limitPerSecond`. */
export function paceIntervalMs(limitPerSecond: number): number {
  return (1000 + PACE_MARGIN_MS) / Math.max(1, limitPerSecond);
}

@Injectable()
export class AccountRateLimiter {
  private readonly prefix: string;
  private readonly scripts: Record<'acquire' | 'admit' | 'late' | 'reserve' | 'slowDown', LuaScript>;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    config: AppConfig,
  ) {
    this.prefix = `${config.QUEUE_PREFIX}:outbound`;
    this.scripts = {
      acquire: defineLuaScript(redis, 'conversaPaceAcquire', ACQUIRE),
      admit: defineLuaScript(redis, 'conversaWindowAdmit', ADMIT),
      late: defineLuaScript(redis, 'conversaWindowLate', LATE),
      reserve: defineLuaScript(redis, 'conversaPaceReserve', RESERVE),
      slowDown: defineLuaScript(redis, 'conversaPaceSlowDown', SLOW_DOWN),
    };
  }

  /**
   * One round trip: the campaign's hold (paused or cancelled: `held`, no slot taken), the recipient's pair pause,
   * then the account's pace.
   */
  async acquire(accountId: string, limitPerSecond: number, traffic: TrafficClass, phone: string, campaignId: string | null = null): Promise<Acquired> {
    const maxAhead = traffic === 'bulk' ? BULK_MAX_AHEAD_MS : PRIORITY_MAX_AHEAD_MS;
    const keys = [`${this.prefix}:tat:${accountId}`, `${this.prefix}:retry:${traffic}:${accountId}`, this.pairKey(accountId, phone)];
    if (campaignId) keys.push(this.holdKey(campaignId));
    const [code, value] = (await this.scripts.acquire(keys, [paceIntervalMs(limitPerSecond), maxAhead, CATCH_UP_MS])) as [number, number | string];
    if (code === 3) return { outcome: 'held' };
    if (code === 2) return { outcome: 'pair', pairUntil: Number(value) };
    return { outcome: code === 1 ? 'booked' : 'refused', waitMs: Math.max(0, Number(value)) };
  }

  /**
   * Just before a provider call: when it may leave (at most `limit` calls per 1,000 + JITTER_MARGIN_MS ms). The
   * caller sleeps `waitMs`, then sends; `askedAt` is when it is due to leave (`performance.now()` clock).
   */
  async admit(accountId: string, limitPerSecond: number, messageId: string): Promise<Admission & { waitMs: number }> {
    const askedAt = performance.now();
    const [at, wait] = (await this.scripts.admit([this.windowKey(accountId)], [1000 + JITTER_MARGIN_MS, Math.max(1, limitPerSecond), messageId])) as [string, string];
    const waitMs = Math.max(0, Number(wait));
    return { askedAt: askedAt + waitMs, admittedAt: Number(at), waitMs };
  }

  /**
   * Once the call has been written out: if that was more than LATE_DISPATCH_MS after the check was asked (which
   * includes the check's own round trip, so it over- rather than under-states the delay), the call's window
   * entry moves by that delay. True if it moved.
   */
  async recordDispatch(accountId: string, messageId: string, admission: Admission): Promise<boolean> {
    const lateMs = performance.now() - admission.askedAt;
    if (lateMs <= LATE_DISPATCH_MS) return false;
    await this.scripts.late([this.windowKey(accountId)], [(admission.admittedAt + lateMs).toFixed(3), messageId, 2000 + JITTER_MARGIN_MS]);
    return true;
  }

  /** Bulk fan-out: delays (ms from now) for `n` messages spread at the account's pace. */
  async reserveBulk(accountId: string, limitPerSecond: number, n: number): Promise<number[]> {
    const interval = paceIntervalMs(limitPerSecond);
    const start = Number(await this.scripts.reserve([`${this.prefix}:pace:bulk-fanout:${accountId}`], [n, interval]));
    return Array.from({ length: n }, (_, i) => Math.max(0, Math.floor(start + i * interval - FANOUT_LEAD_MS)));
  }

  /** 130429: the whole number waits THROUGHPUT_PAUSE_MS (replies and transactional sends too), then paces as before. */
  async slowDown(accountId: string, pauseMs = THROUGHPUT_PAUSE_MS): Promise<void> {
    await this.scripts.slowDown([`${this.prefix}:tat:${accountId}`], [pauseMs]);
  }

  /** Meta's pair limit (131056): backs off only this recipient 4^n seconds (n = hits in the last 10 minutes), or the provider's hint if longer. */
  async blockPair(accountId: string, phone: string, retryAfterMs = 0): Promise<number> {
    const hitsKey = `${this.pairKey(accountId, phone)}:hits`;
    const hits = await this.redis.incr(hitsKey);
    await this.redis.pexpire(hitsKey, 600_000);
    const waitMs = Math.min(15 * 60_000, Math.max(retryAfterMs, 4 ** hits * 1000));
    const until = Date.now() + waitMs;
    await this.redis.set(this.pairKey(accountId, phone), String(until), 'PX', waitMs);
    return until;
  }

  /**
   * Pause and cancel hold the campaign's sends at once, before their transaction withdraws the queued messages
   * (which may wait for a claim in progress or a busy database): a send not yet past its budget check waits.
   */
  async holdCampaign(campaignId: string, reason: 'paused' | 'cancelled'): Promise<void> {
    if (reason === 'cancelled') await this.redis.set(this.holdKey(campaignId), reason, 'PX', CANCELLED_HOLD_MS);
    else await this.redis.set(this.holdKey(campaignId), reason);
  }

  async releaseCampaign(campaignId: string): Promise<void> {
    await this.redis.del(this.holdKey(campaignId));
  }

  private holdKey(campaignId: string): string {
    return `${this.prefix}:campaign-hold:${campaignId}`;
  }

  private windowKey(accountId: string): string {
    return `${this.prefix}:window:${accountId}`;
  }

  private pairKey(accountId: string, phone: string): string {
    return `${this.prefix}:pair:${accountId}:${phone}`;
  }
}
