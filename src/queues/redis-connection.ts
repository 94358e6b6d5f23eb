import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import { Cluster } from 'ioredis';
import { createRedisClient, singleNodeOptions } from '../common/redis/redis-client';
import { parseRedisUrl } from '../common/redis/redis-url';
import { AppConfig } from '../config/app-config';

export const QUEUE_CONNECTION = Symbol('QUEUE_CONNECTION');

/**
 * BullMQ needs `maxRetriesPerRequest: null` on worker connections; producers fail fast instead.
 * On one Redis, BullMQ gets options and opens (and closes) a connection per queue and worker. A cluster client
 * must be handed over built: the queues share it, workers duplicate it, and nobody but us closes it.
 */
export function queueConnection(url: string): ConnectionOptions {
  const target = parseRedisUrl(url);
  const options = { maxRetriesPerRequest: null, enableOfflineQueue: true };
  return target.cluster ? createRedisClient(url, options) : (singleNodeOptions(target, options) as ConnectionOptions);
}

@Injectable()
class QueueConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(QUEUE_CONNECTION) private readonly connection: ConnectionOptions) {}

  /** Workers have finished by now (they close before application shutdown); queues only release a shared client. */
  async onApplicationShutdown(): Promise<void> {
    const client = this.connection;
    if (client instanceof Cluster) await client.quit().catch(() => client.disconnect());
  }
}

@Module({
  providers: [{ provide: QUEUE_CONNECTION, inject: [AppConfig], useFactory: (config: AppConfig) => queueConnection(config.REDIS_URL) }, QueueConnectionCloser],
  exports: [QUEUE_CONNECTION],
})
export class QueueConnectionModule {}
