import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, NotFoundError } from '../../../common/errors/domain-error';
import { type Page, decodeCursor, pageLimit, toPage } from '../../../common/pagination';
import { EVENT_TYPES } from '../../../domain/events/event-catalogue';
import { JobName } from '../../../queues/job-names';
import { JobProducer } from '../../../queues/job-producer.service';
import { IntegrationsErrorCode } from '../integrations.errors';
import type { ReplayDto } from './dto/webhook-endpoint.dto';
import { isWebsocketUrl } from '../websocket/websocket-frame';
import { WebhookEndpointsService } from './webhook-endpoints.service';

export interface DeliveryView {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  responseCode: number | null;
  latencyMs: number | null;
  error: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

const COLUMNS = `id, endpoint_id AS "endpointId", event_id AS "eventId", event_type AS "eventType", status, attempts, response_code AS "responseCode",
  latency_ms AS "latencyMs", error, next_attempt_at AS "nextAttemptAt", delivered_at AS "deliveredAt", created_at AS "createdAt", created_at::text AS k`;

/** The delivery log of an endpoint, and the ways to send again: test ping, replay by time range, redeliver one. */
@Injectable()
export class WebhookDeliveriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly endpoints: WebhookEndpointsService,
    private readonly jobs: JobProducer,
  ) {}

  async list(organizationId: string, endpointId: string, cursor: string | undefined, limit: number | undefined): Promise<Page<DeliveryView>> {
    await this.endpoints.find(organizationId, endpointId);
    const position = decodeCursor(cursor);
    const take = pageLimit(limit);
    const rows: Array<DeliveryView & { k: string }> = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM webhook_delivery WHERE organization_id = $1 AND endpoint_id = $2
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $5`,
      [organizationId, endpointId, position?.k ?? null, position?.id ?? null, take + 1],
    );
    return toPage(rows, take, strip, (row) => ({ k: row.k, id: row.id }));
  }

  async get(organizationId: string, endpointId: string, deliveryId: string): Promise<DeliveryView> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM webhook_delivery WHERE organization_id = $1 AND endpoint_id = $2 AND id = $3`, [organizationId, endpointId, deliveryId]);
    if (!row) throw new NotFoundError(IntegrationsErrorCode.DeliveryNotFound, 'webhook delivery');
    return strip(row);
  }

  /** A `test.ping` event for this endpoint only (written dispatched, so the relay never fans it out). */
  async test(organizationId: string, endpointId: string): Promise<{ deliveryId: string; eventId: string }> {
    assertHttpEndpoint(await this.endpoints.find(organizationId, endpointId));
    const [row] = await this.dataSource.query(
      `WITH ev AS (INSERT INTO outbox_event (organization_id, type, data, dispatched_at)
                   VALUES ($1, 'test.ping', jsonb_build_object('endpointId', $2::uuid), now()) RETURNING id)
       INSERT INTO webhook_delivery (organization_id, endpoint_id, event_id, event_type, next_attempt_at)
       SELECT $1, $2, ev.id, 'test.ping', now() FROM ev RETURNING id AS "deliveryId", event_id AS "eventId"`,
      [organizationId, endpointId],
    );
    await this.enqueue([row.deliveryId]);
    return row;
  }

  /** New deliveries of exactly the events in [since, until) this endpoint subscribes to (optionally only some types). */
  async replay(organizationId: string, endpointId: string, dto: ReplayDto): Promise<{ deliveries: number }> {
    const endpoint = assertHttpEndpoint(await this.endpoints.find(organizationId, endpointId));
    if (Date.parse(dto.until) <= Date.parse(dto.since)) throw new DomainError(IntegrationsErrorCode.InvalidTimeRange, 'until must be after since');
    const unknown = (dto.types ?? []).filter((type) => !(EVENT_TYPES as readonly string[]).includes(type));
    if (unknown.length > 0) throw new DomainError(IntegrationsErrorCode.UnknownEventType, `Unknown event types: ${unknown.join(', ')}`);
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO webhook_delivery (organization_id, endpoint_id, event_id, event_type, next_attempt_at)
       SELECT organization_id, $2, id, type, now() FROM outbox_event
        WHERE organization_id = $1 AND created_at >= $3 AND created_at < $4 AND type <> 'test.ping'
          AND ('*' = ANY($5::varchar[]) OR type = ANY($5::varchar[])) AND ($6::varchar[] IS NULL OR type = ANY($6::varchar[]))
        ORDER BY seq
       RETURNING id`,
      [organizationId, endpointId, dto.since, dto.until, endpoint.events, dto.types ?? null],
    );
    await this.enqueue(rows.map((row) => row.id));
    return { deliveries: rows.length };
  }

  /** Sends one delivery's event again as a new delivery (same `webhook-id`), whatever became of the first. */
  async redeliver(organizationId: string, deliveryId: string): Promise<DeliveryView> {
    const [row] = await this.dataSource.query(
      `INSERT INTO webhook_delivery (organization_id, endpoint_id, event_id, event_type, next_attempt_at)
       SELECT organization_id, endpoint_id, event_id, event_type, now() FROM webhook_delivery WHERE organization_id = $1 AND id = $2
       RETURNING ${COLUMNS}`,
      [organizationId, deliveryId],
    );
    if (!row) throw new NotFoundError(IntegrationsErrorCode.DeliveryNotFound, 'webhook delivery');
    await this.enqueue([row.id]);
    return strip(row);
  }

  private async enqueue(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.jobs.enqueueBulk(ids.map((deliveryId) => ({ name: JobName.DeliverWebhook, data: { deliveryId }, key: deliveryId })));
  }
}

function strip(row: DeliveryView & { k?: string }): DeliveryView {
  const { k: _k, ...view } = row;
  return view;
}

/** ws(s) endpoints read the outbox through their cursor: test pings and replays are HTTP deliveries. */
function assertHttpEndpoint<T extends { url: string }>(endpoint: T): T {
  if (isWebsocketUrl(endpoint.url)) throw new DomainError(IntegrationsErrorCode.HttpOnlyOperation, 'test and replay are for http(s) endpoints; a ws(s) endpoint gets events after reconnecting from its cursor');
  return endpoint;
}
