import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
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
import { normalizeProviderPayload, phoneNumberIdsOf } from '../normalizer/provider-payload';
import { parseRawBody } from '../normalizer/raw-body';

export interface IncomingWebhook {
  provider: WebhookProvider;
  idempotencyKey: string;
  whatsappAccountId: string | null;
  eventName: string | null;
  /** The raw body: stored as received (jsonb, or these bytes when jsonb rejects them), never re-serialised. */
  rawBody: Buffer;
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

/** A body jsonb rejects is kept as its bytes, stored failed (not enqueued) until an operator replays it. */
const INSERT_RAW_EVENT = new PreparedStatement(
  'webhook-events-insert-raw',
  `INSERT INTO webhook_event (provider, idempotency_key, whatsapp_account_id, event_name, raw_body, status, error, phone_number_ids)
   VALUES ($1, $2, $3, $4, $5, 'failed', $6, $7::varchar[])
   ON CONFLICT (idempotency_key) DO NOTHING
   RETURNING id, idempotency_key`,
);

interface StoredEvent {
  id: string;
  idempotency_key: string;
  /** Stored as raw bytes: not enqueued. */
  raw?: boolean;
}

/** The answer to one request: new (true), duplicate (false), or the error it gets. */
type StoreOutcome = boolean | DomainError;

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
  private readonly committer: GroupCommit<IncomingWebhook, StoreOutcome>;
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
    let outcome: StoreOutcome;
    try {
      outcome = await this.committer.submit(webhook, signal);
    } catch (error) {
      if (error !== signal.reason) throw error;
      this.receivedTotal.inc({ provider: webhook.provider, outcome: 'timeout' });
      throw new DomainError(WebhooksErrorCode.StoreTimeout, 'The event could not be stored in time; retry later');
    }
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  private async storeBatch(batch: IncomingWebhook[]): Promise<StoreOutcome[]> {
    this.batchSize.observe(batch.length);
    const unstored = new Set<IncomingWebhook>();
    let inserted: StoredEvent[];
    try {
      inserted = await this.insertIsolating(batch, unstored);
    } catch (error) {
      this.logStorageFailure(error, batch.length);
      throw storageUnavailable();
    }
    // While Redis is away the backlog is not kept in memory: the rows are durable and the sweep enqueues them.
    if (this.enqueuer.waiting < MAX_ENQUEUE_BACKLOG) for (const row of inserted) if (!row.raw) void this.enqueuer.submit(row);
    const newKeys = new Map(inserted.map((r) => [r.idempotency_key, r.raw ? 'stored_raw' : 'stored']));
    return batch.map((webhook) => {
      if (unstored.has(webhook)) return storageUnavailable();
      const outcome = newKeys.get(webhook.idempotencyKey);
      newKeys.delete(webhook.idempotencyKey);
      this.receivedTotal.inc({ provider: webhook.provider, outcome: outcome ?? 'duplicate' });
      return outcome !== undefined;
    });
  }

  /**
   * A batch PostgreSQL rejects for what a row holds is halved until the rows at fault are found, so one poison
   * body never takes its neighbours down; those rows are kept as raw bytes. The search runs in one transaction,
   * each attempt under a savepoint, so it costs one commit. Any other error fails the batch.
   */
  private async insertIsolating(rows: IncomingWebhook[], unstored: Set<IncomingWebhook>): Promise<StoredEvent[]> {
    try {
      return await this.insertBatch(this.dataSource.manager, rows);
    } catch (error) {
      if (!isContentError(error) || rows.length === 0) throw error;
      return this.dataSource.transaction((manager) => this.isolate(manager, rows, error, unstored));
    }
  }

  private async isolate(manager: EntityManager, rows: IncomingWebhook[], rejection: ContentError, unstored: Set<IncomingWebhook>): Promise<StoredEvent[]> {
    if (rows.length === 1) return this.insertRaw(manager, rows[0], rejection, unstored);
    const stored: StoredEvent[] = [];
    const half = Math.ceil(rows.length / 2);
    for (const part of [rows.slice(0, half), rows.slice(half)]) {
      try {
        stored.push(...(await underSavepoint(manager, () => this.insertBatch(manager, part))));
      } catch (error) {
        if (!isContentError(error)) throw error;
        stored.push(...(await this.isolate(manager, part, error, unstored)));
      }
    }
    return stored;
  }

  private insertBatch(manager: EntityManager, rows: IncomingWebhook[]): Promise<StoredEvent[]> {
    return INSERT_EVENTS.run<StoredEvent>(manager, [
      rows.map((row) => row.provider),
      rows.map((row) => row.idempotencyKey),
      rows.map((row) => row.whatsappAccountId),
      rows.map((row) => row.eventName),
      rows.map((row) => row.rawBody.toString('utf8')),
    ]);
  }

  /** Only this request fails if even its raw form is rejected. */
  private async insertRaw(manager: EntityManager, row: IncomingWebhook, rejection: ContentError, unstored: Set<IncomingWebhook>): Promise<StoredEvent[]> {
    const reason = `PostgreSQL jsonb rejected the payload (${rejection.code}: ${rejection.message.slice(0, 120)}); kept as raw bytes, replay to process it`;
    try {
      const stored = await underSavepoint(manager, () =>
        INSERT_RAW_EVENT.run<StoredEvent>(manager, [row.provider, row.idempotencyKey, row.whatsappAccountId, row.eventName, row.rawBody, reason, phoneNumberIdsIn(row)]),
      );
      this.rootLogger.warn({ code: rejection.code, provider: row.provider }, 'webhook body rejected by jsonb; stored as raw bytes');
      return stored.map((event) => ({ ...event, raw: true }));
    } catch (error) {
      if (!isContentError(error)) throw error;
      this.logStorageFailure(error, 1);
      unstored.add(row);
      return [];
    }
  }

  private logStorageFailure(error: unknown, rows: number): void {
    this.rootLogger.error({ err: { message: (error as Error).message, code: (error as { code?: unknown }).code }, rows }, 'webhook storage failed');
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

interface ContentError {
  code: string;
  message: string;
}

/** A failed statement rolls back to the savepoint, leaving the transaction usable. */
async function underSavepoint<T>(manager: EntityManager, run: () => Promise<T>): Promise<T> {
  await manager.query('SAVEPOINT isolate_rows');
  try {
    const result = await run();
    await manager.query('RELEASE SAVEPOINT isolate_rows');
    return result;
  } catch (error) {
    await manager.query('ROLLBACK TO SAVEPOINT isolate_rows');
    await manager.query('RELEASE SAVEPOINT isolate_rows');
    throw error;
  }
}

/** Class 22 (data exception) and 54 (program limit: nesting too deep) are about what a row holds, not an outage. */
function isContentError(error: unknown): error is ContentError {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('54'));
}

function storageUnavailable(): DomainError {
  return new DomainError(WebhooksErrorCode.StorageUnavailable, 'The event could not be stored; retry later');
}

/** Routing only (which organisations see the failed event); a body that normalises to nothing concerns none. */
function phoneNumberIdsIn(row: IncomingWebhook): string[] {
  try {
    return phoneNumberIdsOf(normalizeProviderPayload(row.provider, parseRawBody(row.rawBody), row.eventName));
  } catch {
    return [];
  }
}
