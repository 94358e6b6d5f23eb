import { Module } from '@nestjs/common';
import { LifecycleModule } from './lifecycle.module';
import { RetentionController } from './retention/retention.controller';

/** Lifecycle's admin API: retention settings, holds, runs. */
@Module({
  imports: [LifecycleModule],
  controllers: [RetentionController],
})
export class LifecycleApiModule {}
