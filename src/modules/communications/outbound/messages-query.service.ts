import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, NotFoundError } from '../../../common/errors/domain-error';
import { isTimestampText, isUuidText } from '../../../common/pagination';
import { Contact } from '../../../database/entities/contact.entity';
import { Message } from '../../../database/entities/message.entity';
import type { ListMessagesQueryDto } from './dto/send-message.dto';
import { OutboundQueue } from './outbound-queue.service';
import { RECIPIENT_OF_MESSAGE } from './send-outcome.store';

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

const VIEW_COLUMNS: Array<keyof Message> = [
  'id', 'conversationId', 'contactId', 'whatsappAccountId', 'direction', 'type', 'status', 'content', 'text', 'providerMessageId',
  'replyToMessageId', 'errorCode', 'errorTitle', 'errorMessage', 'attempts', 'templateName', 'templateLanguage', 'templateVariables',
  'isFallback', 'campaignId', 'kind', 'externalRef', 'metadata', 'priority', 'sendAt', 'lastAttemptAt', 'sentAt', 'deliveredAt',
  'readAt', 'failedAt', 'replyReceivedAt', 'occurredAt', 'createdAt', 'updatedAt',
];

const VIEW_SELECT = Object.fromEntries(VIEW_COLUMNS.map((c) => [c, true])) as Record<keyof Message, true>;

/** Reads of messages for the API, and the operator's retry. Every query is scoped to the organisation. */
@Injectable()
export class MessagesQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: OutboundQueue,
  ) {}

  async get(organizationId: string, id: string): Promise<Record<string, unknown>> {
    const message = await this.dataSource.getRepository(Message).findOne({ where: { id, organizationId }, select: VIEW_SELECT });
    if (!message) throw new NotFoundError('message');
    return toView(message);
  }

  async list(organizationId: string, q: ListMessagesQueryDto): Promise<Page<Record<string, unknown>>> {
    const limit = Math.min(Math.max(Number(q.limit) || 50, 1), 200);
    const qb = this.dataSource
      .getRepository(Message)
      .createQueryBuilder('m')
      .select(VIEW_COLUMNS.map((c) => `m.${c}`))
      .addSelect('m.created_at::text', 'cursor_ts')
      .where('m.organization_id = :organizationId', { organizationId });
    if (q.status) qb.andWhere('m.status = ANY(:statuses::message_status[])', { statuses: q.status.split(',') });
    if (q.direction) qb.andWhere('m.direction = :direction', { direction: q.direction });
    if (q.type) qb.andWhere('m.type = :type', { type: q.type });
    if (q.contactId) qb.andWhere('m.contact_id = :contactId', { contactId: q.contactId });
    if (q.externalRef) qb.andWhere('m.external_ref = :externalRef', { externalRef: q.externalRef });
    if (q.from) qb.andWhere('m.created_at >= :from', { from: new Date(q.from) });
    if (q.to) qb.andWhere('m.created_at < :to', { to: new Date(q.to) });
    if (q.cursor) {
      const cursor = decodeCursor(q.cursor);
      qb.andWhere('(m.created_at, m.id) < (:cursorTs::timestamptz, :cursorId::uuid)', { cursorTs: cursor.t, cursorId: cursor.id });
    }
    const { entities, raw } = await qb.orderBy('m.created_at', 'DESC').addOrderBy('m.id', 'DESC').limit(limit + 1).getRawAndEntities();
    const page = entities.slice(0, limit);
    const last = page[page.length - 1];
    const lastRaw = (raw as Array<{ cursor_ts: string; m_id: string }>).find((r) => r.m_id === last?.id);
    const nextCursor = entities.length > limit && last && lastRaw ? encodeCursor({ t: lastRaw.cursor_ts, id: last.id }) : null;
    return { data: page.map(toView), nextCursor };
  }

  async retry(organizationId: string, id: string): Promise<{ id: string; status: 'queued'; conversationId: string }> {
    const message = await this.dataSource.getRepository(Message).findOne({ where: { id, organizationId }, select: { id: true, status: true, conversationId: true, priority: true, direction: true } });
    if (!message || message.direction !== 'outbound') throw new NotFoundError('message');
    const [, count] = await this.dataSource.query(
      `UPDATE message SET status = 'queued', attempts = 0, failed_at = NULL, error_code = NULL, error_title = NULL, error_message = NULL,
              send_at = NULL, updated_at = now()
        WHERE id = $1 AND organization_id = $2 AND status = 'failed'`,
      [id, organizationId],
    );
    if (count !== 1) throw new DomainError('MESSAGE_NOT_FAILED', `Only failed messages can be retried (this one is ${message.status})`, { status: message.status }, 409);
    await this.dataSource.query(`UPDATE campaign_recipient cr SET status = 'queued', error_code = NULL, error_message = NULL ${RECIPIENT_OF_MESSAGE}`, [id]);
    await this.queue.clearFinished([id]);
    await this.queue.enqueue([{ id, priority: message.priority }]);
    return { id, status: 'queued', conversationId: message.conversationId };
  }

  async contactSummary(organizationId: string, contactId: string): Promise<Record<string, unknown>> {
    const contact = await this.dataSource.getRepository(Contact).findOne({ where: { id: contactId, organizationId } });
    if (!contact) throw new NotFoundError('contact');
    const [byStatus, totals]: [Array<{ status: string; count: number }>, Array<Record<string, unknown>>] = await Promise.all([
      this.dataSource.query(`SELECT status, count(*)::int AS count FROM message WHERE organization_id = $1 AND contact_id = $2 GROUP BY status`, [organizationId, contactId]),
      this.dataSource.query(
        `SELECT max(occurred_at) FILTER (WHERE direction = 'inbound') AS "lastInboundAt",
                max(occurred_at) FILTER (WHERE direction = 'outbound') AS "lastOutboundAt",
                count(*) FILTER (WHERE direction = 'inbound')::int AS inbound,
                count(*) FILTER (WHERE direction = 'outbound')::int AS outbound,
                count(*) FILTER (WHERE direction = 'outbound' AND reply_received_at IS NOT NULL)::int AS replied
           FROM message WHERE organization_id = $1 AND contact_id = $2`,
        [organizationId, contactId],
      ),
    ]);
    const t = totals[0] as { lastInboundAt: Date | null; lastOutboundAt: Date | null; inbound: number; outbound: number; replied: number };
    return {
      contactId,
      counts: Object.fromEntries(byStatus.map((r) => [r.status, r.count])),
      inbound: t.inbound,
      outbound: t.outbound,
      lastInboundAt: t.lastInboundAt,
      lastOutboundAt: t.lastOutboundAt,
      replyRate: t.outbound > 0 ? t.replied / t.outbound : null,
      interest: contact.interest,
      optedOut: Boolean(contact.optedOutAt),
    };
  }
}

function toView(m: Message): Record<string, unknown> {
  const { errorCode, errorTitle, errorMessage, whatsappAccountId, ...rest } = m;
  return { ...rest, accountId: whatsappAccountId, error: errorCode ? { code: errorCode, title: errorTitle, message: errorMessage } : null };
}

function encodeCursor(cursor: { t: string; id: string }): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(value: string): { t: string; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { t?: unknown; id?: unknown };
    if (isTimestampText(parsed.t) && isUuidText(parsed.id)) {
      return { t: parsed.t, id: parsed.id };
    }
  } catch {
    // falls through
  }
  throw new DomainError('INVALID_CURSOR', 'cursor is not valid', undefined, 400);
}
