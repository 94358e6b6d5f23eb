import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type FindOptionsWhere, IsNull } from 'typeorm';
import { MessageStatus } from '../../../database/entities/enums';
import { type MessageError, Message } from '../../../database/entities/message.entity';
import { ParkedStatus } from '../../../database/entities/parked-status.entity';
import { writeEvents } from '../../../database/outbox';
import type { NewEvent } from '../../../domain/events/event-catalogue';
import { shouldApplyStatus } from './status-rank';

/** Our error code for a send whose call got no answer (kept here: the outbound module depends on this one, not back). */
const SEND_OUTCOME_UNKNOWN = 'SEND_OUTCOME_UNKNOWN';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface StatusUpdate {
  whatsappAccountId: string;
  providerMessageId: string;
  status: MessageStatus;
  occurredAt: Date;
  errors?: MessageError[] | null;
  /** Our message id, echoed by Meta from the send request. */
  bizOpaqueCallbackData?: string | null;
}

export type StatusOutcome =
  | { outcome: 'applied'; message: Pick<Message, 'id' | 'organizationId' | 'conversationId' | 'status'> }
  | { outcome: 'ignored' }
  | { outcome: 'parked' };

const TIMESTAMP_COLUMN: Partial<Record<MessageStatus, 'sentAt' | 'deliveredAt' | 'readAt' | 'failedAt'>> = {
  [MessageStatus.Sent]: 'sentAt',
  [MessageStatus.Delivered]: 'deliveredAt',
  [MessageStatus.Read]: 'readAt',
  [MessageStatus.Failed]: 'failedAt',
};
const TIMESTAMP_COLUMNS = Object.values(TIMESTAMP_COLUMN);

/**
 * Applies provider statuses by rank (sent < delivered < read < played; failed terminal, never over
 * delivered/read). A status for an unknown provider id is parked and applied when a message gets that id.
 * Both paths lock the (account, provider id) pair so a status and a send response cannot miss each other.
 */
@Injectable()
export class MessageStatusService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The common case without a transaction, for a message already known by its provider id: read it, then write
   * the change only if the row is still as read (compare-and-set on the status and the timestamp being filled).
   * Null when the general path (`apply`) must run: an unknown provider id (parking must be ordered against the
   * send response by the provider-id lock) or a concurrent change to the same message.
   */
  async applyToKnown(update: StatusUpdate): Promise<StatusOutcome | null> {
    const repo = this.dataSource.getRepository(Message);
    const message = await repo.findOne({
      where: { whatsappAccountId: update.whatsappAccountId, providerMessageId: update.providerMessageId },
      select: { id: true, organizationId: true, conversationId: true, status: true, sentAt: true, deliveredAt: true, readAt: true, failedAt: true },
    });
    if (!message) return null;
    const { patch, applies } = statusPatch(message, update);
    if (Object.keys(patch).length > 0) {
      const unchanged: FindOptionsWhere<Message> = { id: message.id, status: message.status };
      for (const column of TIMESTAMP_COLUMNS) if (column in patch) (unchanged as Record<string, unknown>)[column] = IsNull();
      const changed = await this.updateWithEvent(unchanged, patch, applies ? statusEvent(message, update) : null);
      if (!changed) return null;
    }
    return applies ? { outcome: 'applied', message: { ...message, status: update.status } } : { outcome: 'ignored' };
  }

  async apply(update: StatusUpdate, manager?: EntityManager): Promise<StatusOutcome> {
    if (!manager) return this.dataSource.transaction((m) => this.apply(update, m));
    await lockProviderId(manager, update.whatsappAccountId, update.providerMessageId);
    const message = await manager.getRepository(Message).findOne({
      where: { whatsappAccountId: update.whatsappAccountId, providerMessageId: update.providerMessageId },
      select: { id: true, organizationId: true, conversationId: true, status: true, sentAt: true, deliveredAt: true, readAt: true, failedAt: true, direction: true },
      lock: { mode: 'pessimistic_write' },
    });
    if (!message) {
      const adopted = await this.adoptUnanswered(manager, update);
      if (adopted) return this.applyToMessage(manager, adopted, update);
      await manager
        .createQueryBuilder()
        .insert()
        .into(ParkedStatus)
        .values({ ...update, errors: update.errors ?? null, bizOpaqueCallbackData: update.bizOpaqueCallbackData?.slice(0, 200) ?? null })
        .orIgnore()
        .execute();
      return { outcome: 'parked' };
    }
    return this.applyToMessage(manager, message, update);
  }

  /**
   * A status for an unknown provider id that names one of our sends whose call got no answer (still `sending`, or
   * failed SEND_OUTCOME_UNKNOWN): Meta accepted it. The message takes the provider id and becomes `sent` (with its
   * message.status event); the caller then applies the status itself.
   */
  private async adoptUnanswered(manager: EntityManager, update: StatusUpdate): Promise<Message | null> {
    const messageId = update.bizOpaqueCallbackData;
    if (!messageId || !UUID.test(messageId)) return null;
    const [adopted] = await manager.query(
      `WITH adopted AS (
         UPDATE message SET provider_message_id = $3, status = 'sent', sent_at = COALESCE(sent_at, $4), failed_at = NULL, errors = NULL,
                error_code = NULL, error_title = NULL, error_message = NULL, updated_at = now()
          WHERE id = $1 AND whatsapp_account_id = $2 AND direction = 'outbound' AND provider_message_id IS NULL
            AND (status = 'sending' OR (status = 'failed' AND error_code = $5))
          RETURNING id, organization_id, conversation_id, contact_id),
       outbox AS (
         INSERT INTO outbox_event (organization_id, type, conversation_id, data)
         SELECT organization_id, 'message.status', conversation_id, jsonb_build_object('messageId', id, 'conversationId', conversation_id, 'status', 'sent', 'error', NULL) FROM adopted),
       contacts AS (
         UPDATE contact c SET last_outbound_at = GREATEST(COALESCE(c.last_outbound_at, now()), now()) FROM adopted a WHERE c.id = a.contact_id)
       SELECT id FROM adopted`,
      [messageId, update.whatsappAccountId, update.providerMessageId, update.status === MessageStatus.Sent ? update.occurredAt : new Date(), SEND_OUTCOME_UNKNOWN],
    );
    if (!adopted) return null;
    return manager.getRepository(Message).findOneOrFail({
      where: { id: messageId },
      select: { id: true, organizationId: true, conversationId: true, status: true, sentAt: true, deliveredAt: true, readAt: true, failedAt: true, direction: true },
    });
  }

  /**
   * The provider id a parked status reports for one of our messages (Meta echoes biz_opaque_callback_data = our
   * message id): how a send whose HTTP response was lost finds out Meta accepted it, instead of sending again.
   */
  async providerIdFromParked(whatsappAccountId: string, messageId: string): Promise<string | null> {
    const row = await this.dataSource.getRepository(ParkedStatus).findOne({ where: { whatsappAccountId, bizOpaqueCallbackData: messageId }, select: { providerMessageId: true } });
    return row?.providerMessageId ?? null;
  }

  /** Called right after a message row receives its provider id (send response, echo). */
  async applyParked(whatsappAccountId: string, providerMessageId: string, manager: EntityManager): Promise<StatusOutcome[]> {
    await lockProviderId(manager, whatsappAccountId, providerMessageId);
    const parked = await manager.getRepository(ParkedStatus).find({ where: { whatsappAccountId, providerMessageId }, order: { occurredAt: 'ASC' } });
    if (parked.length === 0) return [];
    const outcomes: StatusOutcome[] = [];
    for (const status of parked) {
      const message = await manager.getRepository(Message).findOneOrFail({ where: { whatsappAccountId, providerMessageId }, lock: { mode: 'pessimistic_write' } });
      outcomes.push(await this.applyToMessage(manager, message, { ...status, errors: status.errors }));
    }
    await manager.getRepository(ParkedStatus).delete({ whatsappAccountId, providerMessageId });
    return outcomes;
  }

  /**
   * The compare-and-set update and, when the status moved, its message.status outbox event: one statement (a CTE),
   * so the event exists exactly when the change does, at no extra round trip.
   */
  private async updateWithEvent(where: FindOptionsWhere<Message>, patch: Partial<Omit<Message, 'content' | 'metadata'>>, event: NewEvent | null): Promise<boolean> {
    const [sql, params] = this.dataSource.createQueryBuilder().update(Message).set(patch).where(where).returning('id').getQueryAndParameters();
    if (!event) {
      const rows: unknown[] = await this.dataSource.query(sql, params);
      return rows.length === 1;
    }
    const n = params.length;
    const [row] = await this.dataSource.query(
      `WITH changed AS (${sql}),
            outbox AS (INSERT INTO outbox_event (organization_id, type, conversation_id, data) SELECT $${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}::jsonb FROM changed)
       SELECT count(*)::int AS n FROM changed`,
      [...params, event.organizationId, event.type, event.conversationId, JSON.stringify(event.data)],
    );
    return row.n === 1;
  }

  private async applyToMessage(manager: EntityManager, message: Message, update: StatusUpdate): Promise<StatusOutcome> {
    const { patch, applies } = statusPatch(message, update);
    if (Object.keys(patch).length > 0) await manager.getRepository(Message).update({ id: message.id }, patch);
    if (applies) await writeEvents(manager, [statusEvent(message, update)]);
    return applies ? { outcome: 'applied', message: { ...message, status: update.status } } : { outcome: 'ignored' };
  }
}

/** The message.status event of a status that moved a message forward. */
function statusEvent(message: Pick<Message, 'id' | 'organizationId' | 'conversationId'>, update: StatusUpdate): NewEvent<'message.status'> {
  const first = update.status === MessageStatus.Failed ? update.errors?.[0] : undefined;
  return {
    organizationId: message.organizationId,
    type: 'message.status',
    conversationId: message.conversationId,
    data: {
      messageId: message.id,
      conversationId: message.conversationId,
      status: update.status,
      error: update.status === MessageStatus.Failed ? { code: first?.code !== undefined ? String(first.code) : null, title: first?.title ?? null, message: first?.details ?? first?.message ?? null } : null,
    },
  };
}

type TrackedMessage = Pick<Message, 'id' | 'organizationId' | 'conversationId' | 'status' | 'sentAt' | 'deliveredAt' | 'readAt' | 'failedAt'>;

/** What a status changes on a message: its timestamp (even late and lower), and the status itself if it ranks higher. */
function statusPatch(message: TrackedMessage, update: StatusUpdate): { patch: Partial<Omit<Message, 'content' | 'metadata'>>; applies: boolean } {
  const column = TIMESTAMP_COLUMN[update.status];
  const patch: Partial<Omit<Message, 'content' | 'metadata'>> = {};
  // A late lower status still records its timestamp (e.g. delivered after read) without moving the status back.
  if (column && update.status !== MessageStatus.Failed && !message[column] && message.status !== MessageStatus.Failed) {
    (patch as Record<string, unknown>)[column] = update.occurredAt;
  }
  const applies = shouldApplyStatus(message.status, update.status);
  if (applies) {
    patch.status = update.status;
    if (update.status === MessageStatus.Failed) {
      const first = update.errors?.[0];
      Object.assign(patch, {
        failedAt: update.occurredAt,
        errors: update.errors ?? null,
        errorCode: first?.code !== undefined ? String(first.code) : null,
        errorTitle: first?.title?.slice(0, 300) ?? null,
        errorMessage: first?.details ?? first?.message ?? null,
      });
    }
  }
  return { patch, applies };
}

type ProviderIdRef = Pick<StatusUpdate, 'whatsappAccountId' | 'providerMessageId'>;

/** The key of the advisory lock that orders a status against the send response for the same provider id. */
export function providerIdLockKey({ whatsappAccountId, providerMessageId }: ProviderIdRef): string {
  return `status:${whatsappAccountId}:${providerMessageId}`;
}

export function lockProviderId(manager: EntityManager, whatsappAccountId: string, providerMessageId: string): Promise<unknown> {
  return manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [providerIdLockKey({ whatsappAccountId, providerMessageId })]);
}
