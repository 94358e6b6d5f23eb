import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../../../common/errors/domain-error';
import { decodeCursor, encodeCursor, type Page } from '../../../common/pagination';
import { WebhookEventStatus } from '../../../database/entities/enums';
import { JobName } from '../../../queues/job-names';
import { JobProducer } from '../../../queues/job-producer.service';
import { WebhooksErrorCode } from '../webhooks.errors';

export interface WebhookEventSummary {
  id: string;
  provider: string;
  eventName: string | null;
  status: string;
  attempts: number;
  error: string | null;
  itemErrors: unknown;
  receivedAt: Date;
  processedAt: Date | null;
}

/**
 * Operator view of stored webhook events: an organisation sees the events that concern its own numbers.
 */
@Injectable()
export class WebhookEventsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobProducer,
  ) {}

  async list(organizationId: string, filter: { status?: WebhookEventStatus; cursor?: string; limit: number }): Promise<Page<WebhookEventSummary>> {
    const after = decodeCursor(filter.cursor);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT e.id, e.provider, e.event_name, e.status, e.attempts, e.error, e.item_errors, e.received_at, e.processed_at
       FROM webhook_event e
       WHERE ${ORG_VISIBLE} AND ($2::webhook_event_status IS NULL OR e.status = $2)
         AND ($3::timestamptz IS NULL OR (e.received_at, e.id) < ($3, $4::uuid))
       ORDER BY e.received_at DESC, e.id DESC LIMIT $5`,
      [organizationId, filter.status ?? null, after?.k ?? null, after?.id ?? null, filter.limit + 1],
    );
    const data = rows.slice(0, filter.limit).map(toSummary);
    const last = data[data.length - 1];
    return { data, nextCursor: rows.length > filter.limit && last ? encodeCursor({ k: last.receivedAt.toISOString(), id: last.id }) : null };
  }

  /** Reprocessing is idempotent, so a replay of an applied event changes nothing. */
  async replay(organizationId: string, id: string): Promise<WebhookEventSummary> {
    const [rows]: [Array<Record<string, unknown>>, number] = await this.dataSource.query(
      `UPDATE webhook_event e SET status = 'received', error = NULL WHERE e.id = $2 AND ${ORG_VISIBLE}
       RETURNING e.id, e.provider, e.event_name, e.status, e.attempts, e.error, e.item_errors, e.received_at, e.processed_at`,
      [organizationId, id],
    );
    if (!rows[0]) throw new NotFoundError(WebhooksErrorCode.EventNotFound, 'webhook event');
    await this.jobs.enqueue(JobName.ProcessWebhookEvent, { webhookEventId: id }, { key: `${id}-replay-${Date.now()}` });
    return toSummary(rows[0]);
  }
}

// An event posted through an account's own route belongs to that account's organisation; any other event to
// the organisations whose numbers it names (recorded when processed; phone number ids are unique across tenants).
const ORG_VISIBLE = `(
  e.whatsapp_account_id IN (SELECT id FROM whatsapp_account WHERE organization_id = $1)
  OR (e.whatsapp_account_id IS NULL AND e.phone_number_ids && ARRAY(SELECT phone_number_id FROM whatsapp_account WHERE organization_id = $1)::varchar[])
)`;

function toSummary(row: Record<string, unknown>): WebhookEventSummary {
  return {
    id: row.id as string,
    provider: row.provider as string,
    eventName: (row.event_name as string) ?? null,
    status: row.status as string,
    attempts: Number(row.attempts),
    error: (row.error as string) ?? null,
    itemErrors: row.item_errors ?? null,
    receivedAt: new Date(row.received_at as string),
    processedAt: row.processed_at ? new Date(row.processed_at as string) : null,
  };
}
