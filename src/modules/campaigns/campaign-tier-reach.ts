import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RedisClient } from '../../common/redis/redis-client';
import { REDIS } from '../../common/redis/redis.module';
import { AppConfig } from '../../config/app-config';
import { CampaignRecipientsStore } from './campaign-recipients.store';

/**
 * How long a count is trusted, plus what was claimed since, while the account is more than a batch from its cap. The
 * kept figure only errs high (a phone claimed twice, a claim given back, one older than 24 h still counted), and an
 * error high matters only near the cap, where it is counted again anyway; so far from the cap it is trusted long: the
 * exact count reads every recipient of the last 24 hours (0.2 s at 100,000) under the tier lock every claim waits for.
 */
const RECOUNT_MS = 5 * 60_000;

/**
 * Unique recipients an account's campaigns reached in the last 24 hours (Meta's messaging tier). The exact count reads
 * every recipient reached, so it is kept in Redis with the claims made since it was taken (by any runner: every claim
 * of the account holds its tier lock), an upper bound that is safe to check the cap against. Near the cap, when stale,
 * or after Redis lost it, the count is taken again. Call under the account's tier lock.
 */
@Injectable()
export class CampaignTierReach {
  private readonly prefix: string;

  constructor(
    private readonly store: CampaignRecipientsStore,
    @Inject(REDIS) private readonly redis: RedisClient,
    config: AppConfig,
  ) {
    this.prefix = `${config.QUEUE_PREFIX}:campaign-tier`;
  }

  async reached(manager: EntityManager, accountId: string, now: Date, cap: number, batch: number): Promise<number> {
    const [reached, countedAt] = await this.redis.hmget(this.key(accountId), 'reached', 'countedAt');
    if (reached !== null && countedAt !== null && Date.now() - Number(countedAt) < RECOUNT_MS && Number(reached) + batch < cap) return Number(reached);
    const exact = await this.store.reachedIn24h(manager, accountId, now);
    await this.redis.multi().hset(this.key(accountId), { reached: exact, countedAt: Date.now() }).pexpire(this.key(accountId), RECOUNT_MS).exec();
    return exact;
  }

  /** After a claim: `claimed` more recipients (some may have been reached already; counting them errs on the safe side). */
  async add(accountId: string, claimed: number): Promise<void> {
    if (claimed > 0) await this.redis.hincrby(this.key(accountId), 'reached', claimed);
  }

  private key(accountId: string): string {
    return `${this.prefix}:${accountId}`;
  }
}
