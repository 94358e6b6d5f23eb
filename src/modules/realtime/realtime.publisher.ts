import { Inject, Injectable } from '@nestjs/common';
import type { RedisClient } from '../../common/redis/redis-client';
import { REDIS } from '../../common/redis/redis.module';
import { AppConfig } from '../../config/app-config';
import { type RealtimeEnvelope, type RealtimeEvent, realtimeChannel } from './realtime.events';

/**
 * Publishes domain events through Redis pub/sub so every api replica can forward them to its
 * SSE clients. Best effort: a lost event only delays a dashboard refresh, never loses data.
 */
@Injectable()
export class RealtimePublisher {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  async publish(organizationId: string, event: RealtimeEvent, seq?: string): Promise<void> {
    const envelope: RealtimeEnvelope = { organizationId, event, at: new Date().toISOString(), ...(seq ? { seq } : {}) };
    await this.redis.publish(realtimeChannel(this.config.QUEUE_PREFIX), JSON.stringify(envelope)).catch(() => undefined);
  }
}
