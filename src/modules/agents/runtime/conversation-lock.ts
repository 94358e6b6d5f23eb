import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../../../common/redis/redis-client';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * Mutual exclusion per conversation across worker processes, held in Redis so a waiting or running
 * agent job never pins a database connection. The TTL is short and renewed while the work runs, so the
 * lock of a killed worker is gone by the time BullMQ hands its stalled job to another worker.
 */
export class ConversationLock {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  async withLock<T>(conversationId: string, work: () => Promise<T>, waitMs = 60_000): Promise<T> {
    const key = `${this.prefix}:agents-lock:${conversationId}`;
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    while ((await this.redis.set(key, token, 'PX', this.ttlMs, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new Error(`conversation ${conversationId} stayed locked for ${waitMs} ms`);
      await sleep(50);
    }
    // Three renewals per TTL: one delayed or failed renewal does not lose the lock of a live run.
    const renewal = setInterval(() => void this.redis.eval(RENEW, 1, key, token, this.ttlMs).catch(() => undefined), this.ttlMs / 3);
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  }
}
