import { Inject, Injectable } from '@nestjs/common';
import { randomToken } from '../../common/crypto';
import type { RedisClient } from '../../common/redis/redis-client';
import { REDIS } from '../../common/redis/redis.module';
import { AppConfig } from '../../config/app-config';
import type { Principal } from './principal';

export const STREAM_TICKET_TTL_SECONDS = 30;

/**
 * Short-lived, single-use tickets that open the event stream from a browser's EventSource (which cannot send
 * headers), so no long-lived token ever goes into a URL. Kept in Redis: any api replica redeems them.
 */
@Injectable()
export class StreamTickets {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  async issue(principal: Principal): Promise<{ ticket: string; expiresInSeconds: number }> {
    const ticket = randomToken(24);
    await this.redis.set(this.key(ticket), JSON.stringify(principal), 'EX', STREAM_TICKET_TTL_SECONDS);
    return { ticket, expiresInSeconds: STREAM_TICKET_TTL_SECONDS };
  }

  /** The principal the ticket was issued to, once; null when unknown, expired or already used. */
  async redeem(ticket: string): Promise<Principal | null> {
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(ticket)) return null;
    const stored = await this.redis.getdel(this.key(ticket));
    return stored ? (JSON.parse(stored) as Principal) : null;
  }

  private key(ticket: string): string {
    return `${this.config.QUEUE_PREFIX}:stream-ticket:${ticket}`;
  }
}
