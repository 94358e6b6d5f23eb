import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { PreparedStatement } from '../../../database/prepared-statement';
import { DomainError } from '../../../common/errors/domain-error';
import { GroupCommit } from '../../../common/batching/group-commit';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { AppConfig } from '../../../config/app-config';
import { WebhookProvider } from '../../../database/entities/enums';
import { JobName } from '../../../queues/job-names';
import { JobProducer } from '../../../queues/job-producer.service';
import { MetricsService } from '../../metrics/metrics.service';
import { WebhooksErrorCode } from '../webhooks.errors';

export interface IncomingWebhook {
  provider: WebhookProvider;
  idempotencyKey: string;
  whatsappAccountId: string | null;
  eventName: string | null;
  /** The raw body text: stored as received (jsonb), never re-serialised. */
  rawBody: string;
}

const MAX_BATCH = 500;
const MAX_IN_FLIGHT = 8;
const ENQUEUE_TIMEOUT_MS = 2000;
const ENQUEUE_LINGER_MS = 5;
const MAX_ENQUEUE_BACKLOG = 20_000;

/** One statement text for any batch size, so it is planned once per connection. */
const INSERT_EVENTS = new PreparedStatement(
  'webhook-events-insert',
  `INSERT INTO webhook_event (provider, idempotency_key, whatsapp_account_id, event_name, payload)
   SELECT * FROM unnest($1::webhook_provider[], $2::varchar[], $3::uuid[], $4::varchar[], $5::jsonb[])
   ON CONFLICT (idempotency_key) DO NOTHING
   RETURNING id, idempotency_key`,
);

interface StoredEvent {
  id: string;
  idempotency_key: string;
}

/**
 * Store-then-acknowledge with group commit: concurrent requests within a few milliseconds share
 * one multi-row `INSERT … ON CONFLICT DO NOTHING` and one pipelined `addBulk`. Each request is
 * answered only after the transaction holding its row has committed. Enqueueing is best effort:
 * if Redis is down the row stays `received` and the scheduler's sweep enqueues it later.
 */
@Injectable()
export class WebhookIngestService implements OnModuleDestroy {
  private readonly receivedTotal;
  private readonly batchSize;
  private readonly committer: GroupCommit<IncomingWebhook, boolean>;
  /** Enqueueing is off the request's path (answered at commit), so it lingers a little to share one addBulk. */
  private readonly enqueuer = new GroupCommit((rows: StoredEvent[]) => this.enqueue(rows), { maxBatch: MAX_BATCH, maxInFlight: 1, lingerMs: () => ENQUEUE_LINGER_MS });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobProducer,
    private readonly config: AppConfig,
    metrics: MetricsService,
    @Inject(ROOT_LOGGER) private readonly rootLogger: Logger,
  ) {
    this.receivedTotal = metrics.counter('conversa_webhook_events_received_total', 'Webhook POSTs stored, by provider and outcome', ['provider', 'outcome']);
    this.batchSize = metrics.histogram('conversa_webhook_ingest_batch_size', 'Rows per group-commit insert', [], [1, 2, 5, 10, 20, 50, 100, 200, 500]);
    // WEBHOOK_INGEST_BATCH_MS > 0 additionally waits that long to grow batches.
    this.committer = new GroupCommit((batch) => this.storeBatch(batch), { maxBatch: MAX_BATCH, maxInFlight: MAX_IN_FLIGHT, lingerMs: () => config.WEBHOOK_INGEST_BATCH_MS });
  }

  /**
   * Resolves true when the event is new (stored now), false for a duplicate; rejects when storage failed or took
   * longer than WEBHOOK_STORE_TIMEOUT_MS (a stalled database): the provider retries, and a late commit is harmless
   * because the retry is a duplicate.
   */
  async store(webhook: IncomingWebhook): Promise<boolean> {
    const signal = AbortSignal.timeout(this.config.WEBHOOK_STORE_TIMEOUT_MS);
    try {
      return await this.committer.submit(webhook, signal);
    } catch (error) {
      if (error !== signal.reason) throw error;
      this.receivedTotal.inc({ provider: webhook.provider, outcome: 'timeout' });
      throw new DomainError(WebhooksErrorCode.StoreTimeout, 'The event could not be stored in time; retry later');
    }
  }

  private async storeBatch(batch: IncomingWebhook[]): Promise<boolean[]> {
    this.batchSize.observe(batch.length);
    let inserted: StoredEvent[];
    try {
      inserted = await this.insertBatch(batch);
    } catch (error) {
      this.rootLogger.error({ err: { message: (error as Error).message }, rows: batch.length }, 'webhook storage failed');
      throw new DomainError(WebhooksErrorCode.StorageUnavailable, 'The event could not be stored; retry later');
    }
    // While Redis is away the backlog is not kept in memory: the rows are durable and the sweep enqueues them.
    if (this.enqueuer.waiting < MAX_ENQUEUE_BACKLOG) for (const row of inserted) void this.enqueuer.submit(row);
    const newKeys = new Set(inserted.map((r) => r.idempotency_key));
    return batch.map((webhook) => {
      const isNew = newKeys.delete(webhook.idempotencyKey);
      this.receivedTotal.inc({ provider: webhook.provider, outcome: isNew ? 'stored' : 'duplicate' });
      return isNew;
    });
  }

  private insertBatch(rows: IncomingWebhook[]): Promise<StoredEvent[]> {
    return INSERT_EVENTS.run<StoredEvent>(this.dataSource.manager, [
      rows.map((row) => row.provider),
      rows.map((row) => row.idempotencyKey),
      rows.map((row) => row.whatsappAccountId),
      rows.map((row) => row.eventName),
      rows.map((row) => row.rawBody),
    ]);
  }

  /** Never rejects: a failed enqueue is logged and left to the sweep. */
  private async enqueue(rows: StoredEvent[]): Promise<void[]> {
    const jobs = rows.map((row) => ({ name: JobName.ProcessWebhookEvent, data: { webhookEventId: row.id }, key: row.id }));
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.jobs.enqueueBulk(jobs),
        new Promise((_, reject) => (timeout = setTimeout(() => reject(new Error('enqueue timed out')), ENQUEUE_TIMEOUT_MS))),
      ]);
    } catch (error) {
      // The rows are durable; the sweep re-enqueues anything left `received`.
      this.rootLogger.warn({ err: { message: (error as Error).message }, rows: rows.length }, 'webhook enqueue failed; sweep will retry');
    } finally {
      clearTimeout(timeout);
    }
    return rows.map(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    await this.committer.drain();
    await this.enqueuer.drain();
  }
}
