import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { LoggingModule } from '../common/logging/logging.module';
import { RedisModule } from '../common/redis/redis.module';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';
import { MetricsModule } from '../modules/metrics/metrics.module';
import { RealtimePublisherModule } from '../modules/realtime/realtime-publisher.module';
import { QueuesModule } from '../queues/queues.module';

@Global()
@Module({})
class ConfigHolderModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ConfigHolderModule, providers: [{ provide: AppConfig, useValue: config }], exports: [AppConfig] };
  }
}

/** What every role needs: config, logging, PostgreSQL, Redis, queue producers, metrics. */
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigHolderModule.forRoot(config),
        LoggingModule.forRoot(logger),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE), migrationsRun: config.DB_MIGRATIONS_RUN, logging: false }),
        RedisModule,
        QueuesModule,
        MetricsModule,
        RealtimePublisherModule,
      ],
    };
  }
}
