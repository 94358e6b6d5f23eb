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
    await this.send(JSON.stringify(envelopeOf({ organizationId, event, seq })));
  }

  /**
   * Many events in one Redis message per PUBLISH_CHUNK (a JSON array, in order): the outbox relay streams hundreds a
   * second, and every subscriber process receives each message.
   */
  async publishMany(items: RealtimeItem[]): Promise<void> {
    for (let i = 0; i < items.length; i += PUBLISH_CHUNK) await this.send(JSON.stringify(items.slice(i, i + PUBLISH_CHUNK).map(envelopeOf)));
  }

  private async send(payload: string): Promise<void> {
    await this.redis.publish(realtimeChannel(this.config.QUEUE_PREFIX), payload).catch(() => undefined);
  }
}

export interface RealtimeItem {
  organizationId: string;
  event: RealtimeEvent;
  seq?: string;
}

const PUBLISH_CHUNK = 500;

function envelopeOf({ organizationId, event, seq }: RealtimeItem): RealtimeEnvelope {
  return { organizationId, event, at: new Date().toISOString(), ...(seq ? { seq } : {}) };
}
