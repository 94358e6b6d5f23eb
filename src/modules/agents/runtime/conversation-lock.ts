import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../../../common/redis/redis-client';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * Mutual exclusion per conversation across worker processes, held in Redis so a waiting or running
 * agent job never pins a database connection. The TTL bounds a lock whose holder died.
 */
export class ConversationLock {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlMs = 120_000,
  ) {}

  async withLock<T>(conversationId: string, work: () => Promise<T>, waitMs = 60_000): Promise<T> {
    const key = `${this.prefix}:agents-lock:${conversationId}`;
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    while ((await this.redis.set(key, token, 'PX', this.ttlMs, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new Error(`conversation ${conversationId} stayed locked for ${waitMs} ms`);
      await sleep(50);
    }
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  }
}
