import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { redisConnectionOptions } from '../../queues/redis-connection';

export const REDIS = Symbol('REDIS');

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** One shared ioredis client for rate limits, throttling, locks and pub/sub publishing. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      // Commands fail fast while Redis is down instead of queueing forever in memory. Commands issued in the same
      // tick share one write (auto-pipelining): a group-committed batch of send jobs checks its rate limits at once.
      useFactory: (config: AppConfig) => new Redis({ ...redisConnectionOptions(config.REDIS_URL), maxRetriesPerRequest: 1, lazyConnect: false, enableAutoPipelining: true }),
    },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
