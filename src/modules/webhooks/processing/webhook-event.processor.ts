import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { GroupCommit } from '../../../common/batching/group-commit';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { AppConfig } from '../../../config/app-config';
import { WebhookEventStatus, WebhookProvider } from '../../../database/entities/enums';
import { WebhookEvent } from '../../../database/entities/webhook-event.entity';
import { JobName } from '../../../queues/job-names';
import { JobProducer } from '../../../queues/job-producer.service';
import { InboundService, type ItemEffects, UnknownAccountError } from '../../communications/inbound/inbound.service';
import { MetricsService } from '../../metrics/metrics.service';
import { RealtimePublisher } from '../../realtime/realtime.publisher';
import type { NormalizedEvent, NormalizedItem } from '../../../domain/normalized-event.types';
import { normalizeProviderPayload, phoneNumberIdsOf } from '../normalizer/provider-payload';
import { parseRawBody } from '../normalizer/raw-body';
import { ASYNC_COMMIT } from '../../../database/async-commit';
import { PreparedStatement } from '../../../database/prepared-statement';
import { isDataError } from '../../../database/sql-errors';

/** A webhook with at least this many statuses applies those of known messages in bulk. */
const BULK_STATUSES_FROM = 2;

export type ProcessOutcome = 'processed' | 'failed' | 'skipped';

/** Concurrent jobs claim their events together; a processed event is skipped, `processing` is taken over (its worker died). */
const CLAIM_EVENTS = new PreparedStatement(
  'webhook-events-claim',
  `${ASYNC_COMMIT} UPDATE webhook_event SET status = 'processing', attempts = attempts + 1
    WHERE id = ANY($1::uuid[]) AND status <> 'processed' AND EXISTS (SELECT 1 FROM async_commit)
    RETURNING id, provider, event_name, payload, raw_body, received_at, whatsapp_account_id`,
);

/** The outcomes of concurrent jobs in one statement. */
const MARK_EVENTS = new PreparedStatement(
  'webhook-events-mark',
  `${ASYNC_COMMIT}, outcome AS (
     SELECT * FROM unnest($1::uuid[], $2::webhook_event_status[], $3::text[], $4::text[], $5::text[]) AS o(id, status, error, item_errors, phone_number_ids))
   UPDATE webhook_event w SET status = o.status, error = o.error, item_errors = o.item_errors::jsonb,
          phone_number_ids = ARRAY(SELECT jsonb_array_elements_text(o.phone_number_ids::jsonb))::varchar[],
          processed_at = CASE WHEN o.status = 'processed' THEN now() ELSE w.processed_at END
     FROM outcome o WHERE w.id = o.id AND EXISTS (SELECT 1 FROM async_commit)`,
);

// The event row's own bookkeeping (claim, final status) commits asynchronously: losing it in a crash only means
// the event is processed again (the sweep re-enqueues it; every item application is idempotent).

/**
 * Processes one stored webhook event: normalise, then apply every item on its own (one bad item never
 * drops the others). Reprocessing is safe: every item application is idempotent, so a retried or
 * replayed event changes nothing twice.
 */
@Injectable()
export class WebhookEventProcessor {
  private readonly claims = new GroupCommit((ids: string[]) => this.claimBatch(ids), { maxBatch: 100, maxInFlight: 1 });
  private readonly marks = new GroupCommit((outcomes: EventOutcome[]) => this.markBatch(outcomes), { maxBatch: 100, maxInFlight: 1 });
  private readonly processed;
  private readonly lag;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly inbound: InboundService,
    private readonly jobs: JobProducer,
    private readonly realtime: RealtimePublisher,
    private readonly config: AppConfig,
    metrics: MetricsService,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.processed = metrics.counter('conversa_webhook_items_total', 'Webhook items applied, by provider, kind and outcome', ['provider', 'kind', 'outcome']);
    this.lag = metrics.histogram('conversa_webhook_ingest_to_processed_seconds', 'Time from storing a webhook to processing it', ['provider'], [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]);
  }

  async process(webhookEventId: string, isLastAttempt: boolean): Promise<ProcessOutcome> {
    const event = await this.claim(webhookEventId);
    if (!event) return 'skipped';
    const items = this.normalize(event);
    const effects: ItemEffects = { realtime: [], inboundConversations: new Set(), mediaAssetIds: [] };
    const itemErrors: Array<{ path: string; error: string }> = [];
    let transientError: Error | null = null;
    let permanentError: Error | null = null;
    const bulkDone = await this.applyStatusesInBulk(items, event);
    for (const [index, item] of orderForApplication(items).entries()) {
      if (item.ok && bulkDone.has(item.event)) continue;
      if (!item.ok) {
        itemErrors.push({ path: item.path, error: item.error });
        this.processed.inc({ provider: event.provider, kind: 'unparseable', outcome: 'failed' });
        continue;
      }
      try {
        await this.inbound.apply(item.event, effects, event.whatsappAccountId);
        this.processed.inc({ provider: event.provider, kind: item.event.kind, outcome: 'applied' });
      } catch (error) {
        // An unknown account, or a value PostgreSQL rejects (SQLSTATE 22xxx): another attempt would fail the same way.
        const permanent = error instanceof UnknownAccountError || isDataError(error);
        itemErrors.push({ path: `items[${index}]:${item.event.kind}`, error: (error as Error).message });
        this.processed.inc({ provider: event.provider, kind: item.event.kind, outcome: permanent ? 'rejected' : 'failed' });
        if (permanent) permanentError ??= error as Error;
        else transientError = error as Error;
      }
    }
    await this.afterApply(effects);
    if (transientError && !isLastAttempt) {
      await this.mark(event.id, WebhookEventStatus.Received, transientError.message, itemErrors, phoneNumberIdsOf(items));
      throw transientError;
    }
    // Items for an unknown account stay visible as a failed event, replayable once the account exists.
    const status = transientError || permanentError ? WebhookEventStatus.Failed : WebhookEventStatus.Processed;
    await this.mark(event.id, status, (transientError ?? permanentError)?.message ?? null, itemErrors, phoneNumberIdsOf(items));
    this.lag.observe({ provider: event.provider }, (Date.now() - event.receivedAt.getTime()) / 1000);
    if (itemErrors.length > 0) this.logger.warn({ webhookEventId, itemErrors: itemErrors.length, status }, 'webhook event had items that could not be applied');
    return status === WebhookEventStatus.Processed ? 'processed' : 'failed';
  }

  /**
   * A webhook carrying many statuses (Meta batches them under volume) applies those of known messages together; the
   * items done are skipped by the loop, which still applies everything else one by one. A failure here leaves them all
   * to the loop.
   */
  private async applyStatusesInBulk(items: NormalizedItem[], event: WebhookEvent): Promise<Set<NormalizedEvent>> {
    const statuses = items.flatMap((item) => (item.ok && item.event.kind === 'status' ? [item.event] : []));
    if (statuses.length < BULK_STATUSES_FROM) return new Set();
    try {
      const done = await this.inbound.applyStatusesInBulk(statuses, event.whatsappAccountId);
      const applied = statuses.filter((_, i) => done[i]);
      if (applied.length > 0) this.processed.inc({ provider: event.provider, kind: 'status', outcome: 'applied' }, applied.length);
      return new Set(applied);
    } catch (error) {
      this.logger.warn({ webhookEventId: event.id, err: { message: (error as Error).message } }, 'bulk status apply failed; applying one by one');
      return new Set();
    }
  }

  /** A processed event is skipped; `processing` is taken over (its worker died: BullMQ re-delivered the job). */
  private claim(id: string): Promise<WebhookEvent | null> {
    return this.claims.submit(id);
  }

  /** Async commit: losing a claim to a crash only re-runs the event. */
  private async claimBatch(ids: string[]): Promise<Array<WebhookEvent | null>> {
    const rows = await CLAIM_EVENTS.run<Record<string, unknown>>(this.dataSource.manager, [ids]);
    const byId = new Map(rows.map((row) => [row.id as string, row]));
    return ids.map((id) => {
      const row = byId.get(id);
      if (!row) return null;
      return Object.assign(new WebhookEvent(), {
        id,
        provider: row.provider as WebhookProvider,
        eventName: row.event_name as string | null,
        payload: row.payload,
        rawBody: (row.raw_body as Buffer | null) ?? null,
        receivedAt: row.received_at as Date,
        whatsappAccountId: (row.whatsapp_account_id as string | null) ?? null,
      });
    });
  }

  /** A body jsonb rejected is parsed from its raw bytes (only replayed ones get here: they are stored failed). */
  private normalize(event: WebhookEvent): NormalizedItem[] {
    const payload = event.payload === null && event.rawBody ? parseRawBody(event.rawBody) : event.payload;
    return normalizeProviderPayload(event.provider, payload, event.eventName);
  }

  private async afterApply(effects: ItemEffects): Promise<void> {
    // One connection sends them in order; no need to wait for each reply before the next.
    await Promise.all(effects.realtime.map(({ organizationId, event }) => this.realtime.publish(organizationId, event)));
    const jobs = [
      ...effects.mediaAssetIds.map((id) => ({ name: JobName.DownloadMedia as const, data: { mediaAssetId: id }, key: id })),
    ];
    if (jobs.length > 0) await this.jobs.enqueueBulk(jobs);
    for (const conversationId of effects.inboundConversations) {
      // Debounce: a burst of messages within the window gets one agent run (BullMQ deduplication, extended per message).
      const delay = this.config.AGENTS_DEBOUNCE_MS;
      await this.jobs.enqueue(JobName.RunAgents, { conversationId }, {
        priority: 1,
        ...(delay > 0 ? { delay, deduplication: { id: `agents-${conversationId}`, ttl: delay, extend: true, replace: true } } : {}),
      });
    }
  }

  private async mark(id: string, status: WebhookEventStatus, error: string | null, itemErrors: Array<{ path: string; error: string }>, phoneNumberIds: string[]): Promise<void> {
    await this.marks.submit({ id, status, error, itemErrors, phoneNumberIds });
  }

  /** Async commit: a lost outcome only re-runs an idempotent event. */
  private async markBatch(outcomes: EventOutcome[]): Promise<void[]> {
    await MARK_EVENTS.run(this.dataSource.manager, [
      outcomes.map((o) => o.id),
      outcomes.map((o) => o.status),
      outcomes.map((o) => o.error),
      outcomes.map((o) => (o.itemErrors.length > 0 ? JSON.stringify(o.itemErrors) : null)),
      outcomes.map((o) => JSON.stringify(o.phoneNumberIds)),
    ]);
    return outcomes.map(() => undefined);
  }
}

interface EventOutcome {
  id: string;
  status: WebhookEventStatus;
  error: string | null;
  itemErrors: Array<{ path: string; error: string }>;
  phoneNumberIds: string[];
}

/** Inbound messages in provider timestamp order; everything else keeps payload order. */
function orderForApplication(items: NormalizedItem[]): NormalizedItem[] {
  const time = (item: NormalizedItem) => (item.ok && item.event.kind === 'inbound_message' ? item.event.timestamp.getTime() : 0);
  return [...items].sort((a, b) => time(a) - time(b));
}
