import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../../../common/redis/redis.module';
import { AppConfig } from '../../../config/app-config';

/**
 * Per-account send budget in Redis, shared by every worker replica (server clock, one atomic script).
 * A sliding log over WINDOW_MS admits at most `limit` sends, so no 1-second window at the provider
 * exceeds the limit even with some network jitter (the extra 50 ms absorbs it). Bulk traffic may use
 * only BULK_SHARE of the budget, so transactional messages and agent replies always find room.
 * A refused caller gets a reserved future slot (spaced WINDOW_MS/limit apart) rather than the same
 * instant as everyone else, so a backlog comes back at the allowed rate instead of stampeding.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local interval = window / tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3] .. ':' .. now)
  redis.call('PEXPIRE', KEYS[1], window * 2)
  return {1, 0}
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
local slot = math.max(oldest + window, tonumber(redis.call('GET', KEYS[2]) or '0'))
redis.call('SET', KEYS[2], tostring(slot + interval), 'PX', math.ceil(slot + interval - now + window))
return {0, math.ceil(slot - now)}
`;

/** Reserves `n` consecutive slots for a bulk batch; returns the first slot's offset from now (ms). */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local start = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local after = start + tonumber(ARGV[1]) * tonumber(ARGV[2])
redis.call('SET', KEYS[1], tostring(after), 'PX', math.ceil(after - now + 60000))
return math.floor(start - now)
`;

export const WINDOW_MS = 1050;
export const BULK_SHARE = 0.95;

export type TrafficClass = 'bulk' | 'priority';

export interface Acquired {
  ok: boolean;
  waitMs: number;
}

@Injectable()
export class AccountRateLimiter {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: AppConfig,
  ) {
    this.prefix = `${config.QUEUE_PREFIX}:outbound`;
  }

  async acquire(accountId: string, limitPerSecond: number, traffic: TrafficClass, member: string): Promise<Acquired> {
    const limit = traffic === 'bulk' ? Math.max(1, Math.floor(limitPerSecond * BULK_SHARE)) : limitPerSecond;
    const pacing = `${this.prefix}:pace:${traffic}:${accountId}`;
    const [ok, waitMs] = (await this.redis.eval(ACQUIRE, 2, `${this.prefix}:window:${accountId}`, pacing, limit, WINDOW_MS, member, limit)) as [number, number];
    return { ok: ok === 1, waitMs };
  }

  /** Bulk fan-out: delays (ms from now) for `n` messages paced at the account's bulk rate. */
  async reserveBulk(accountId: string, limitPerSecond: number, n: number): Promise<number[]> {
    const limit = Math.max(1, Math.floor(limitPerSecond * BULK_SHARE));
    const interval = WINDOW_MS / limit;
    const start = Number(await this.redis.eval(RESERVE, 1, `${this.prefix}:pace:bulk-fanout:${accountId}`, n, interval));
    return Array.from({ length: n }, (_, i) => Math.max(0, Math.floor(start + i * interval)));
  }

  /** Meta's pair limit (131056): this recipient is paused until the returned time; others are not. */
  async pairBlockedUntil(accountId: string, phone: string): Promise<number> {
    return Number((await this.redis.get(this.pairKey(accountId, phone))) ?? 0);
  }

  /** Backs off this recipient 4^n seconds (n = hits in the last 10 minutes), or the provider's hint if longer. */
  async blockPair(accountId: string, phone: string, retryAfterMs = 0): Promise<number> {
    const hitsKey = `${this.pairKey(accountId, phone)}:hits`;
    const hits = await this.redis.incr(hitsKey);
    await this.redis.pexpire(hitsKey, 600_000);
    const waitMs = Math.min(15 * 60_000, Math.max(retryAfterMs, 4 ** hits * 1000));
    const until = Date.now() + waitMs;
    await this.redis.set(this.pairKey(accountId, phone), String(until), 'PX', waitMs);
    return until;
  }

  private pairKey(accountId: string, phone: string): string {
    return `${this.prefix}:pair:${accountId}:${phone}`;
  }
}
