import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { AppConfig } from '../../../config/app-config';
import { PreparedStatement } from '../../../database/prepared-statement';
import { JobName } from '../../../queues/job-names';
import { JobProducer } from '../../../queues/job-producer.service';
import { QueueName } from '../../../queues/queue-names';
import { STREAMED_OUTBOX_TYPES, realtimeEventOfOutbox } from '../../realtime/realtime.events';
import { RealtimePublisher } from '../../realtime/realtime.publisher';
import { CHATWOOT_EVENT_TYPES } from '../chatwoot/chatwoot-sync.types';
import { WebhookDeliveryService } from '../delivery/webhook-delivery.service';
import { IntegrationsMetrics } from '../integrations-metrics.service';

const BATCH = 500;
const SWEEP_EVERY_MS = 10_000;

/**
 * Fans committed events out to the endpoints subscribed to them, in one statement: takes undispatched events
 * (SKIP LOCKED, so several workers share the work), creates their deliveries and marks them dispatched. Deliveries
 * are attempted (or enqueued) after the commit; a delivery whose job never made it (Redis down, a crash in between) is
 * re-enqueued by the sweep below, with the same job id. ws(s) endpoints get no deliveries: they read the outbox
 * themselves (websocket/). An ordered endpoint's deliveries of a conversation's events carry its id and the event's
 * seq (the order they wait their turn in). Events Chatwoot mirrors become chatwoot_sync_event rows in the same statement.
 */
const FAN_OUT = new PreparedStatement(
  'outbox-fan-out',
  `WITH batch AS MATERIALIZED (
     SELECT seq, id, organization_id, type, conversation_id, data, created_at FROM outbox_event WHERE dispatched_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED),
   marked AS (UPDATE outbox_event o SET dispatched_at = now() FROM batch b WHERE o.seq = b.seq),
   deliveries AS (
     INSERT INTO webhook_delivery (organization_id, endpoint_id, event_id, event_type, next_attempt_at, conversation_id, event_seq)
     SELECT b.organization_id, e.id, b.id, b.type, now(),
            CASE WHEN e.ordered THEN b.conversation_id END, CASE WHEN e.ordered AND b.conversation_id IS NOT NULL THEN b.seq END
       FROM batch b
       JOIN webhook_endpoint e ON e.organization_id = b.organization_id AND e.enabled AND (b.type = ANY(e.events) OR '*' = ANY(e.events)) AND e.url !~* '^wss?://'
      ORDER BY b.seq, e.id
     RETURNING id),
   chatwoot AS (
     INSERT INTO chatwoot_sync_event (organization_id, integration_id, event_id, event_type, event_seq, conversation_id)
     SELECT b.organization_id, c.id, b.id, b.type, b.seq, b.conversation_id FROM batch b
       JOIN chatwoot_integration c ON c.organization_id = b.organization_id AND c.enabled AND b.type = ANY($3::varchar[])
      -- Of the delivery statuses only failures change anything in Chatwoot.
      WHERE b.type <> 'message.status' OR b.data ->> 'status' = 'failed'
      ORDER BY b.seq
     ON CONFLICT DO NOTHING
     RETURNING id)
   SELECT (SELECT count(*)::int FROM batch) AS events, (SELECT COALESCE(array_agg(id), '{}') FROM deliveries) AS "deliveryIds",
          (SELECT COALESCE(array_agg(id), '{}') FROM chatwoot) AS "chatwootIds",
          (SELECT EXTRACT(EPOCH FROM now() - min(created_at))::float8 FROM batch) AS "lagSeconds",
          (SELECT COALESCE(json_agg(json_build_object('seq', seq::text, 'organizationId', organization_id, 'type', type, 'data', data) ORDER BY seq), '[]')
             FROM batch WHERE type = ANY($2::varchar[])) AS streamed`,
);

interface StreamedEvent {
  seq: string;
  organizationId: string;
  type: string;
  data: unknown;
}

const OVERDUE = new PreparedStatement(
  'webhook-deliveries-overdue',
  `SELECT id FROM webhook_delivery WHERE status = 'pending' AND next_attempt_at < now() - interval '10 seconds' ORDER BY next_attempt_at LIMIT 1000`,
);

/** Chatwoot sync events still pending a while after their last change: their job may never have been enqueued. */
const CHATWOOT_OVERDUE = new PreparedStatement(
  'chatwoot-sync-overdue',
  `SELECT id FROM chatwoot_sync_event WHERE status = 'pending' AND updated_at < now() - interval '1 minute' ORDER BY created_at LIMIT 1000`,
);

/** Chatwoot webhooks stored but still `received` a while later: their job may never have been enqueued. */
const CHATWOOT_INBOUND_OVERDUE = new PreparedStatement(
  'chatwoot-inbound-overdue',
  `SELECT id FROM chatwoot_inbound_event WHERE status = 'received' AND updated_at < now() - interval '1 minute' ORDER BY created_at LIMIT 1000`,
);

@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private lastSweep = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobProducer,
    private readonly config: AppConfig,
    private readonly metrics: IntegrationsMetrics,
    private readonly realtime: RealtimePublisher,
    private readonly delivery: WebhookDeliveryService,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.consumesQueue(QueueName.Integrations)) this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Fans out one batch; answers how many events it took (tests and the benchmark call it directly too). */
  async fanOutOnce(): Promise<number> {
    const [row] = await FAN_OUT.run<{ events: number; deliveryIds: string[]; chatwootIds: string[]; lagSeconds: number | null; streamed: StreamedEvent[] }>(this.dataSource.manager, [
      BATCH,
      STREAMED_OUTBOX_TYPES,
      CHATWOOT_EVENT_TYPES,
    ]);
    if (row.events > 0 && row.lagSeconds !== null) this.metrics.relayLagSeconds.observe(row.lagSeconds);
    // Attempted at once in this process (no queue round trip) as far as it has room; the rest are queued.
    await this.delivery.dispatch(row.deliveryIds);
    await this.enqueueChatwoot(row.chatwootIds);
    // Dashboards (SSE) hear of committed changes from here, each with its outbox sequence as the SSE id.
    await this.realtime.publishMany(
      row.streamed.flatMap((e) => {
        const event = realtimeEventOfOutbox(e.type, e.data);
        return event ? [{ organizationId: e.organizationId, event, seq: e.seq }] : [];
      }),
    );
    return row.events;
  }

  private async tick(): Promise<void> {
    let taken = 0;
    try {
      taken = await this.fanOutOnce();
      if (Date.now() - this.lastSweep > SWEEP_EVERY_MS) {
        this.lastSweep = Date.now();
        const overdue = await OVERDUE.run<{ id: string }>(this.dataSource.manager, []);
        await this.enqueue(overdue.map((row) => row.id));
        // Same job id: a job still waiting or retrying is left alone by BullMQ.
        await this.enqueueChatwoot((await CHATWOOT_OVERDUE.run<{ id: string }>(this.dataSource.manager, [])).map((row) => row.id));
        const inbound = await CHATWOOT_INBOUND_OVERDUE.run<{ id: string }>(this.dataSource.manager, []);
        await this.jobs.enqueueBulk(inbound.map((row) => ({ name: JobName.ApplyChatwootEvent, data: { inboundEventId: row.id }, key: row.id })));
      }
    } catch (error) {
      this.logger.warn({ err: { message: (error as Error).message } }, 'outbox relay failed; retrying');
    }
    // A full batch means more are waiting: go on at once.
    this.schedule(taken >= BATCH ? 0 : this.config.OUTBOX_POLL_INTERVAL_MS);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick();
    }, delayMs);
  }

  private async enqueueChatwoot(syncEventIds: string[]): Promise<void> {
    if (syncEventIds.length === 0) return;
    await this.jobs.enqueueBulk(syncEventIds.map((syncEventId) => ({ name: JobName.SyncChatwoot, data: { syncEventId }, key: syncEventId })));
  }

  private async enqueue(deliveryIds: string[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.jobs.enqueueBulk(deliveryIds.map((deliveryId) => ({ name: JobName.DeliverWebhook, data: { deliveryId }, key: deliveryId })));
  }
}
