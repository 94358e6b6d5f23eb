import { Module, type OnModuleInit } from '@nestjs/common';
import { withTryAdvisoryLock } from '../../database/advisory-lock';
import { JobName } from '../../queues/job-names';
import { JobHandlers } from '../../queues/worker/job-handlers.service';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LifecycleModule } from './lifecycle.module';
import { AnalyticsRollupService } from './analytics/analytics-rollup.service';
import { RetentionEngine } from './retention/retention-engine.service';

const RETENTION_LOCK = 'conversa:apply-retention';
const ROLLUP_LOCK = 'conversa:rollup-analytics';

/** The scheduled retention pass and analytics rollup (each one at a time across workers, under an advisory lock). */
@Module({ imports: [LifecycleModule] })
export class LifecycleWorkerModule implements OnModuleInit {
  constructor(
    private readonly handlers: JobHandlers,
    private readonly engine: RetentionEngine,
    private readonly rollup: AnalyticsRollupService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.handlers.register(JobName.RollupAnalytics, async () => ({ conversations: (await withTryAdvisoryLock(this.dataSource, ROLLUP_LOCK, () => this.rollup.rollupPending())) ?? 0 }));
    this.handlers.register(JobName.ApplyRetention, async () => ({ organizations: (await withTryAdvisoryLock(this.dataSource, RETENTION_LOCK, () => this.engine.runAll())) ?? 0 }));
  }
}
