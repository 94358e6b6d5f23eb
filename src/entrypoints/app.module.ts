import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { ApiModule } from './api.module';
import { CoreModule } from './core.module';
import { SchedulerModule } from './scheduler.module';
import { WorkerModule } from './worker.module';

/** The module graph of one process, chosen by APP_ROLES. */
@Module({})
export class AppModule {
  static forRoles(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, logger),
        ...(config.hasRole('api') ? [ApiModule] : []),
        ...(config.hasRole('worker') ? [WorkerModule.forRoot(config)] : []),
        ...(config.hasRole('scheduler') ? [SchedulerModule] : []),
      ],
    };
  }
}
