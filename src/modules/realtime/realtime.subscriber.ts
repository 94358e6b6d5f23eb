import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { duplicateRedisClient, type RedisClient } from '../../common/redis/redis-client';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../common/logging/logging.module';
import { REDIS } from '../../common/redis/redis.module';
import { AppConfig } from '../../config/app-config';
import { type RealtimeEnvelope, realtimeChannel } from './realtime.events';

export type RealtimeListener = (envelope: RealtimeEnvelope) => void;

/**
 * One Redis subscriber connection per process (a `duplicate()` of the shared client), fanned out
 * to in-process listeners by organisation: SSE clients never open Redis connections of their own.
 */
@Injectable()
export class RealtimeSubscriber implements OnModuleInit, OnApplicationShutdown {
  private readonly listeners = new Map<string, Set<RealtimeListener>>();
  private readonly logger: Logger;
  private subscriber?: RedisClient;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ module: 'realtime' });
  }

  async onModuleInit(): Promise<void> {
    const channel = realtimeChannel(this.config.QUEUE_PREFIX);
    // A subscriber connection must not fail commands while reconnecting: ioredis re-subscribes on its own.
    this.subscriber = duplicateRedisClient(this.redis, { maxRetriesPerRequest: null, enableAutoPipelining: false });
    this.subscriber.on('message', (received: string, payload: string) => {
      if (received === channel) this.dispatch(payload);
    });
    this.subscriber.on('error', (error: Error) => this.logger.warn({ err: error.message }, 'realtime subscriber error'));
    await this.subscriber.subscribe(channel);
  }

  async onApplicationShutdown(): Promise<void> {
    this.listeners.clear();
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  /** Registers a listener for one organisation's events; call the returned function to stop. */
  listen(organizationId: string, listener: RealtimeListener): () => void {
    let set = this.listeners.get(organizationId);
    if (!set) {
      set = new Set();
      this.listeners.set(organizationId, set);
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(organizationId);
      current?.delete(listener);
      if (current?.size === 0) this.listeners.delete(organizationId);
    };
  }

  listenerCount(organizationId?: string): number {
    if (organizationId) return this.listeners.get(organizationId)?.size ?? 0;
    let total = 0;
    for (const set of this.listeners.values()) total += set.size;
    return total;
  }

  /** A message carries one envelope, or several in order (`RealtimePublisher.publishMany`). */
  private dispatch(payload: string): void {
    let parsed: RealtimeEnvelope | RealtimeEnvelope[];
    try {
      parsed = JSON.parse(payload) as RealtimeEnvelope | RealtimeEnvelope[];
    } catch {
      this.logger.warn('realtime payload is not JSON');
      return;
    }
    for (const envelope of Array.isArray(parsed) ? parsed : [parsed]) this.deliver(envelope);
  }

  private deliver(envelope: RealtimeEnvelope): void {
    const set = this.listeners.get(envelope.organizationId);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(envelope);
      } catch (error) {
        this.logger.warn({ err: (error as Error).message }, 'realtime listener failed');
      }
    }
  }
}
