import { Module, type OnModuleInit } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { JobName } from '../../queues/job-names';
import { JobHandlers } from '../../queues/worker/job-handlers.service';
import { WhatsappProviderError } from '../whatsapp/provider/provider-errors';
import { DomainError } from '../../common/errors/domain-error';
import { TemplatesCoreModule } from './templates-core.module';
import { TemplateSyncService } from './template-sync.service';

/**
 * Template sync handlers: `maintenance.sync-all-templates` (daily, from the scheduler) fans out one
 * `templates.sync {whatsappAccountId}` per account with a WABA (job key `<accountId>-<YYYY-MM-DD>`),
 * and `templates.sync` pulls that account's templates. Retryable provider errors are retried by
 * BullMQ; permanent ones (bad token, permission, unknown account) fail the job at once.
 */
@Module({ imports: [TemplatesCoreModule] })
export class TemplatesWorkerModule implements OnModuleInit {
  constructor(
    private readonly handlers: JobHandlers,
    private readonly sync: TemplateSyncService,
  ) {}

  onModuleInit(): void {
    this.handlers.register(JobName.SyncAllTemplates, async () => ({ enqueued: await this.sync.enqueueAll() }));
    this.handlers.register(JobName.SyncTemplates, async (job) => {
      try {
        return await this.sync.syncAccount(job.data.whatsappAccountId);
      } catch (error) {
        const permanent = error instanceof WhatsappProviderError ? !error.retryable : error instanceof DomainError;
        if (permanent) throw new UnrecoverableError(`${(error as DomainError).code}: ${(error as Error).message}`);
        throw error;
      }
    });
  }
}
