import { MEDIA_OF_MESSAGE } from '../communications-rows';
import { MEDIA_TYPES, type MediaView } from '../media/media-uploads.service';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, NotFoundError } from '../../../common/errors/domain-error';
import { Message } from '../../../database/entities/message.entity';
import type { ListMessagesQueryDto } from './dto/send-message.dto';
import { OutboundQueue } from './outbound-queue.service';
import { CommunicationsErrorCode } from '../communications.errors';
import { decodeCursor, encodeCursor, type Page, pageLimit } from '../../../common/pagination';

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
    if (!message) throw new NotFoundError(CommunicationsErrorCode.MessageNotFound, 'message');
    return (await this.withMedia([toView(message)]))[0];
  }

  /** Adds each media message's file (`media`, whose id GET /api/v1/media/:id serves). */
  private async withMedia(views: Array<Record<string, unknown>>): Promise<Array<Record<string, unknown>>> {
    const ids = views.filter((v) => MEDIA_TYPES.includes(v.type as (typeof MEDIA_TYPES)[number])).map((v) => v.id);
    const rows: Array<{ id: string; media: MediaView | null }> = ids.length ? await this.dataSource.query(`SELECT m.id, ${MEDIA_OF_MESSAGE} AS media FROM message m WHERE m.id = ANY($1::uuid[])`, [ids]) : [];
    const byId = new Map(rows.map((r) => [r.id, r.media]));
    return views.map((v) => ({ ...v, media: byId.get(v.id as string) ?? null }));
  }

  async list(organizationId: string, q: ListMessagesQueryDto): Promise<Page<Record<string, unknown>>> {
    const limit = pageLimit(Number(q.limit), 200, 50);
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
    const cursor = decodeCursor(q.cursor);
    if (cursor) qb.andWhere('(m.created_at, m.id) < (:cursorTs::timestamptz, :cursorId::uuid)', { cursorTs: cursor.k, cursorId: cursor.id });
    const { entities, raw } = await qb.orderBy('m.created_at', 'DESC').addOrderBy('m.id', 'DESC').limit(limit + 1).getRawAndEntities();
    const page = entities.slice(0, limit);
    const last = page[page.length - 1];
    const lastRaw = (raw as Array<{ cursor_ts: string; m_id: string }>).find((r) => r.m_id === last?.id);
    const nextCursor = entities.length > limit && last && lastRaw ? encodeCursor({ k: lastRaw.cursor_ts, id: last.id }) : null;
    return { data: await this.withMedia(page.map(toView)), nextCursor };
  }

  async retry(organizationId: string, id: string): Promise<{ id: string; status: 'queued'; conversationId: string }> {
    const message = await this.dataSource.getRepository(Message).findOne({ where: { id, organizationId }, select: { id: true, status: true, conversationId: true, priority: true, direction: true } });
    if (!message || message.direction !== 'outbound') throw new NotFoundError(CommunicationsErrorCode.MessageNotFound, 'message');
    const [, count] = await this.dataSource.query(
      `UPDATE message SET status = 'queued', attempts = 0, failed_at = NULL, error_code = NULL, error_title = NULL, error_message = NULL,
              send_at = NULL, updated_at = now()
        WHERE id = $1 AND organization_id = $2 AND status = 'failed'`,
      [id, organizationId],
    );
    if (count !== 1) throw new DomainError(CommunicationsErrorCode.MessageNotFailed, `Only failed messages can be retried (this one is ${message.status})`, { status: message.status });
    await this.queue.clearFinished([id]);
    await this.queue.enqueue([{ id, priority: message.priority }]);
    return { id, status: 'queued', conversationId: message.conversationId };
  }

}

function toView(m: Message): Record<string, unknown> {
  const { errorCode, errorTitle, errorMessage, whatsappAccountId, ...rest } = m;
  return { ...rest, accountId: whatsappAccountId, error: errorCode ? { code: errorCode, title: errorTitle, message: errorMessage } : null };
}

