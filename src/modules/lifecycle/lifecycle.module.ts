import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LegalHold } from '../../database/entities/legal-hold.entity';
import { RetentionPolicy } from '../../database/entities/retention-policy.entity';
import { RetentionRun } from '../../database/entities/retention-run.entity';
import { CommunicationsModule } from '../communications/communications.module';
import { AnalyticsCopy } from './analytics/analytics-copy.service';
import { AnalyticsReportsService } from './analytics/analytics-reports.service';
import { AnalyticsRollupService } from './analytics/analytics-rollup.service';
import { RetentionEngine } from './retention/retention-engine.service';
import { RetentionSettingsService } from './retention/retention-settings.service';

/** Retention policies, legal holds, runs and their engine; analytics cycles and reports (no controllers: see LifecycleApiModule). */
@Module({
  imports: [TypeOrmModule.forFeature([RetentionPolicy, RetentionRun, LegalHold]), CommunicationsModule],
  providers: [RetentionEngine, RetentionSettingsService, AnalyticsRollupService, AnalyticsReportsService, AnalyticsCopy],
  exports: [RetentionEngine, RetentionSettingsService, AnalyticsRollupService, AnalyticsReportsService],
})
export class LifecycleModule {}
