import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { AppConfig } from '../../../config/app-config';
import { WebhookProvider } from '../../../database/entities/enums';
import { JobName } from '../../../queues/job-names';
import { JobProducer } from '../../../queues/job-producer.service';
import { MetricsService } from '../../metrics/metrics.service';

export interface IncomingWebhook {
  provider: WebhookProvider;
  idempotencyKey: string;
  whatsappAccountId: string | null;
  eventName: string | null;
  /** The raw body text: stored as received (jsonb), never re-serialised. */
  rawBody: string;
}

interface Pending {
  webhook: IncomingWebhook;
  resolve: (inserted: boolean) => void;
  reject: (error: Error) => void;
}

const MAX_BATCH = 500;
const MAX_IN_FLIGHT = 8;
const ENQUEUE_TIMEOUT_MS = 2000;

/**
 * Store-then-acknowledge with group commit: concurrent requests within a few milliseconds share
 * one multi-row `INSERT … ON CONFLICT DO NOTHING` and one pipelined `addBulk`. Each request is
 * answered only after the transaction holding its row has committed. Enqueueing is best effort:
 * if Redis is down the row stays `received` and the scheduler's sweep enqueues it later.
 */
@Injectable()
export class WebhookIngestService implements OnModuleDestroy {
  private pending: Pending[] = [];
  private scheduled = false;
  private inFlight = 0;
  private readonly receivedTotal;
  private readonly batchSize;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobProducer,
    private readonly config: AppConfig,
    metrics: MetricsService,
    @Inject(ROOT_LOGGER) private readonly rootLogger: Logger,
  ) {
    this.receivedTotal = metrics.counter('conversa_webhook_events_received_total', 'Webhook POSTs stored, by provider and outcome', ['provider', 'outcome']);
    this.batchSize = metrics.histogram('conversa_webhook_ingest_batch_size', 'Rows per group-commit insert', [], [1, 2, 5, 10, 20, 50, 100, 200, 500]);
  }

  /** Resolves true when the event is new (stored now), false for a duplicate; rejects when storage failed. */
  store(webhook: IncomingWebhook): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ webhook, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Natural group commit: an idle service inserts at once (after the current tick, so simultaneous requests
   * share it); while MAX_IN_FLIGHT inserts are running, new requests accumulate and go in one statement when
   * one finishes. WEBHOOK_INGEST_BATCH_MS > 0 additionally waits that long to grow batches.
   */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT || this.pending.length === 0) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      void this.flush();
    };
    const delay = this.config.WEBHOOK_INGEST_BATCH_MS;
    if (delay > 0 && this.pending.length < MAX_BATCH) setTimeout(run, delay);
    else setImmediate(run);
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0, MAX_BATCH);
    if (batch.length === 0) return;
    this.batchSize.observe(batch.length);
    this.inFlight += 1;
    let inserted: Array<{ id: string; idempotency_key: string }>;
    try {
      inserted = await this.insertBatch(batch.map((p) => p.webhook));
    } catch (error) {
      this.rootLogger.error({ err: { message: (error as Error).message }, rows: batch.length }, 'webhook storage failed');
      const failure = new DomainError('WEBHOOK_STORAGE_UNAVAILABLE', 'The event could not be stored; retry later', undefined, 503);
      for (const p of batch) p.reject(failure);
      return;
    } finally {
      this.inFlight -= 1;
      this.schedule();
    }
    const newKeys = new Set(inserted.map((r) => r.idempotency_key));
    for (const p of batch) {
      const isNew = newKeys.delete(p.webhook.idempotencyKey);
      this.receivedTotal.inc({ provider: p.webhook.provider, outcome: isNew ? 'stored' : 'duplicate' });
      p.resolve(isNew);
    }
    void this.enqueue(inserted);
  }

  private insertBatch(rows: IncomingWebhook[]): Promise<Array<{ id: string; idempotency_key: string }>> {
    const params: unknown[] = [];
    const values = rows.map((row, i) => {
      params.push(row.provider, row.idempotencyKey, row.whatsappAccountId, row.eventName, row.rawBody);
      const base = i * 5;
      return `($${base + 1}::webhook_provider, $${base + 2}, $${base + 3}::uuid, $${base + 4}, $${base + 5}::jsonb)`;
    });
    return this.dataSource.query(
      `INSERT INTO webhook_event (provider, idempotency_key, whatsapp_account_id, event_name, payload)
       VALUES ${values.join(', ')}
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id, idempotency_key`,
      params,
    );
  }

  private async enqueue(rows: Array<{ id: string; idempotency_key: string }>): Promise<void> {
    if (rows.length === 0) return;
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
  }

  async onModuleDestroy(): Promise<void> {
    while (this.pending.length > 0) await this.flush();
  }
}
