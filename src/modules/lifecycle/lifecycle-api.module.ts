import { Module } from '@nestjs/common';
import { LifecycleModule } from './lifecycle.module';
import { AnalyticsController } from './analytics/analytics.controller';
import { RetentionController } from './retention/retention.controller';

/** Lifecycle's admin API: retention settings, holds, runs; analytics reports. */
@Module({
  imports: [LifecycleModule],
  controllers: [RetentionController, AnalyticsController],
})
export class LifecycleApiModule {}
