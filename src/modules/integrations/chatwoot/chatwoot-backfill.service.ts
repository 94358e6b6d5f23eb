import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { JobName } from '../../../queues/job-names';
import { JobProducer } from '../../../queues/job-producer.service';
import { IntegrationsErrorCode } from '../integrations.errors';

export interface BackfillStarted {
  runId: string;
  since: string;
  conversations: number;
}

const ENQUEUE_CHUNK = 1000;

/**
 * Pushes an organisation's existing conversations to Chatwoot: one `integrations.backfill-chatwoot` job per
 * conversation, applied by the worker through the same id-mapped, locked creates as the live events, so a
 * repeated backfill creates nothing that is already there.
 */
@Injectable()
export class ChatwootBackfillService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobProducer,
  ) {}

  async start(organizationId: string, since: Date): Promise<BackfillStarted> {
    const [integration] = await this.dataSource.query(`SELECT id FROM chatwoot_integration WHERE organization_id = $1 AND enabled`, [organizationId]);
    if (!integration) throw new DomainError(IntegrationsErrorCode.ChatwootNotConfigured, 'Chatwoot is not configured for this organization');
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM conversation WHERE organization_id = $1 AND COALESCE(last_message_at, created_at) >= $2 ORDER BY COALESCE(last_message_at, created_at)`,
      [organizationId, since],
    );
    // A run id in the job id: a second backfill runs again (and finds everything mapped) rather than being deduplicated.
    const runId = randomUUID();
    for (let i = 0; i < rows.length; i += ENQUEUE_CHUNK) {
      await this.jobs.enqueueBulk(
        rows.slice(i, i + ENQUEUE_CHUNK).map((row) => ({
          name: JobName.BackfillChatwoot,
          data: { integrationId: integration.id, conversationId: row.id },
          key: `${runId}-${row.id}`,
        })),
      );
    }
    return { runId, since: since.toISOString(), conversations: rows.length };
  }
}
