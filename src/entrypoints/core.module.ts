import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { LoggingModule } from '../common/logging/logging.module';
import { RedisModule } from '../common/redis/redis.module';
import { AppConfig } from '../config/app-config';
import { type DatabaseTimeouts, dataSourceOptions } from '../database/data-source-options';
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
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE, databaseTimeouts(config)), migrationsRun: config.DB_MIGRATIONS_RUN, logging: false }),
        RedisModule,
        QueuesModule,
        MetricsModule,
        RealtimePublisherModule,
      ],
    };
  }
}

function databaseTimeouts(config: AppConfig): DatabaseTimeouts {
  return {
    statementMs: config.DB_STATEMENT_TIMEOUT_MS,
    lockMs: config.DB_LOCK_TIMEOUT_MS,
    idleInTransactionMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    connectMs: config.DB_CONNECT_TIMEOUT_MS,
  };
}
