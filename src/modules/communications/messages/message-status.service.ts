import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
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

  /**
   * Many statuses at once (Meta batches them under volume), for messages already known by their provider id: one read,
   * then one statement that writes every changed message (compare-and-set, as in `applyToKnown`) with its
   * message.status events. Only sent/delivered/read/played without errors are taken. True for each update that is
   * done (applied, or changing nothing); false where the general path must run: an unknown provider id, a failure, or
   * a message changed meanwhile.
   * A message changed meanwhile (another webhook's statuses for it, applied concurrently) is read and written again at
   * once; an unknown provider id is looked up once more after UNKNOWN_RETRY_MS (the send response that gives a message
   * its provider id is usually being committed). One by one, each would cost a transaction of its own.
   */
  async applyKnownInBulk(updates: StatusUpdate[]): Promise<boolean[]> {
    const done = updates.map(() => false);
    let pending = updates.map((u, i) => ({ u, i })).filter(({ u }) => BULK_STATUSES.has(u.status) && !u.errors?.length);
    let unknownRetried = false;
    for (let round = 0; round < BULK_ROUNDS && pending.length > 0; round++) {
      const { finished, conflicted, unknown } = await this.applyBulkRound(pending);
      for (const i of finished) done[i] = true;
      const again = new Set(conflicted);
      // Not when none of the batch is known: those are likely statuses of messages sent from elsewhere (the phone app).
      if (unknown.length > 0 && !unknownRetried && unknown.length < pending.length) {
        unknownRetried = true;
        await sleep(UNKNOWN_RETRY_MS);
        for (const i of unknown) again.add(i);
      }
      pending = pending.filter(({ i }) => again.has(i));
    }
    return done;
  }

  /** One read and one write for `candidates`, by index: done, to try again (changed meanwhile), or no such message yet. */
  private async applyBulkRound(candidates: Array<{ u: StatusUpdate; i: number }>): Promise<{ finished: number[]; conflicted: number[]; unknown: number[] }> {
    const rows: BulkRow[] = await this.dataSource.query(
      `SELECT m.id, m.organization_id AS "organizationId", m.conversation_id AS "conversationId", m.status, m.sent_at AS "sentAt",
              m.delivered_at AS "deliveredAt", m.read_at AS "readAt", m.failed_at AS "failedAt", m.whatsapp_account_id AS "accountId",
              m.provider_message_id AS "providerMessageId"
         FROM unnest($1::uuid[], $2::varchar[]) AS k(account_id, provider_message_id)
         JOIN message m ON m.whatsapp_account_id = k.account_id AND m.provider_message_id = k.provider_message_id`,
      [candidates.map(({ u }) => u.whatsappAccountId), candidates.map(({ u }) => u.providerMessageId)],
    );
    const byProviderId = new Map(rows.map((r) => [`${r.accountId}:${r.providerMessageId}`, { read: { ...r }, now: r, indices: [] as number[] }]));
    const events: Array<NewEvent<'message.status'>> = [];
    const unknown: number[] = [];
    for (const { u, i } of candidates) {
      const tracked = byProviderId.get(`${u.whatsappAccountId}:${u.providerMessageId}`);
      if (!tracked) {
        unknown.push(i);
        continue;
      }
      const { patch, applies } = statusPatch(tracked.now, u);
      Object.assign(tracked.now, patch);
      if (applies) events.push(statusEvent(tracked.now, u));
      tracked.indices.push(i);
    }
    const changes = [...byProviderId.values()].filter((t) => t.indices.length > 0 && changedColumns(t.read, t.now));
    const written = new Set(changes.length > 0 ? await this.writeBulk(changes, events) : []);
    const finished: number[] = [];
    const conflicted: number[] = [];
    for (const t of byProviderId.values()) {
      const lost = changedColumns(t.read, t.now) && !written.has(t.now.id);
      (lost ? conflicted : finished).push(...t.indices);
    }
    return { finished, conflicted, unknown };
  }

  private async writeBulk(changes: Array<{ read: BulkRow; now: BulkRow }>, events: Array<NewEvent<'message.status'>>): Promise<string[]> {
    const set = (column: 'sentAt' | 'deliveredAt' | 'readAt') => changes.map((c) => (c.read[column] === null && c.now[column] !== null ? c.now[column] : null));
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `WITH v AS (SELECT * FROM unnest($1::uuid[], $2::message_status[], $3::message_status[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[])
                    AS v(id, expected, next, sent_at, delivered_at, read_at)),
            changed AS (
              UPDATE message m SET status = v.next, sent_at = COALESCE(v.sent_at, m.sent_at), delivered_at = COALESCE(v.delivered_at, m.delivered_at),
                     read_at = COALESCE(v.read_at, m.read_at), updated_at = now()
                FROM v
               WHERE m.id = v.id AND m.status = v.expected
                 AND (v.sent_at IS NULL OR m.sent_at IS NULL) AND (v.delivered_at IS NULL OR m.delivered_at IS NULL) AND (v.read_at IS NULL OR m.read_at IS NULL)
              RETURNING m.id),
            e AS (SELECT * FROM unnest($7::uuid[], $8::uuid[], $9::uuid[], $10::jsonb[]) WITH ORDINALITY AS e(message_id, organization_id, conversation_id, data, ord)),
            outbox AS (
              INSERT INTO outbox_event (organization_id, type, conversation_id, data)
              SELECT e.organization_id, 'message.status', e.conversation_id, e.data FROM e JOIN changed c ON c.id = e.message_id ORDER BY e.ord)
       SELECT id FROM changed`,
      [
        changes.map((c) => c.now.id),
        changes.map((c) => c.read.status),
        changes.map((c) => c.now.status),
        set('sentAt'),
        set('deliveredAt'),
        set('readAt'),
        events.map((e) => e.data.messageId),
        events.map((e) => e.organizationId),
        events.map((e) => e.conversationId),
        events.map((e) => JSON.stringify(e.data)),
      ],
    );
    return rows.map((r) => r.id);
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

/** The statuses the bulk path applies; a failure (errors, terminal) takes the general path. */
const BULK_ROUNDS = 3;
const UNKNOWN_RETRY_MS = 100;
const BULK_STATUSES = new Set<MessageStatus>([MessageStatus.Sent, MessageStatus.Delivered, MessageStatus.Read, MessageStatus.Played]);

interface BulkRow extends TrackedMessage {
  accountId: string;
  providerMessageId: string;
}

function changedColumns(read: TrackedMessage, now: TrackedMessage): boolean {
  return read.status !== now.status || TIMESTAMP_COLUMNS.some((column) => read[column] !== now[column]);
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
