import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { NotFoundError } from '../../../common/errors/domain-error';
import type { ConversationDto, ListConversationsQueryDto, UnreadSummaryDto } from './dto/conversation.dto';
import type { MessageDto } from '../messages/dto/message.dto';
import type { PageQueryDto } from '../../../common/http/page-query.dto';
import { type CursorPosition, decodeCursor, escapeLike, type Page, pageLimit, toPage } from '../../../common/pagination';
import {
  CONVERSATION_COLUMNS,
  CONVERSATION_JOINS,
  type ConversationRow,
  conversationFromRow,
  MESSAGE_COLUMNS,
  type MessageRow,
  messageFromRow,
} from '../communications-rows';
import { SqlParams } from '../../../database/sql-params';
import { CommunicationsErrorCode } from '../communications.errors';

type KeyedConversationRow = ConversationRow & { sort_key: string | null };

/**
 * Inbox reads. The listing is keyset-paginated on (last_message_at DESC, id DESC) over
 * idx_conversation_inbox, against a snapshot taken at the first page (`asOf`): a conversation
 * bumped by a new message after that keeps the position it had at `asOf` (its latest message
 * created by then), so paging through a busy inbox never repeats nor skips a conversation.
 * Conversations without any message sort last.
 */
@Injectable()
export class ConversationQueriesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(organizationId: string, query: ListConversationsQueryDto): Promise<Page<ConversationDto>> {
    const limit = pageLimit(query.limit);
    const cursor = decodeCursor(query.cursor);
    const asOf = cursor?.asOf ?? (await this.now());
    const p = new SqlParams();
    const org = p.add(organizationId);
    const at = `${p.add(asOf)}::timestamptz`;
    const n = p.add(limit + 1);
    const filters = this.filters(query, p, org);
    const base = `c.organization_id = ${org}${filters}`;
    const branches: string[] = [];
    let outer = 'TRUE';
    if (!cursor || cursor.k !== null) {
      const after = cursor ? `AND (c.last_message_at, c.id) < (${p.add(cursor.k)}::timestamptz, ${p.add(cursor.id)}::uuid)` : '';
      branches.push(`(SELECT c.id, c.last_message_at AS k FROM conversation c WHERE ${base} AND c.last_message_at <= ${at} ${after}
        ORDER BY c.last_message_at DESC, c.id DESC LIMIT ${n})`);
      if (cursor) outer = `(keyed.k IS NULL OR (keyed.k, keyed.id) < (${p.add(cursor.k)}::timestamptz, ${p.add(cursor.id)}::uuid))`;
    } else {
      outer = `keyed.k IS NULL AND keyed.id < ${p.add(cursor.id)}::uuid`;
    }
    // Bumped since the snapshot: few rows, each placed by its latest message created by `asOf`.
    branches.push(`(SELECT c.id, s.k FROM conversation c
        LEFT JOIN LATERAL (SELECT m.occurred_at AS k FROM message m WHERE m.conversation_id = c.id AND m.created_at <= ${at}
          ORDER BY m.occurred_at DESC, m.id DESC LIMIT 1) s ON TRUE
        WHERE ${base} AND c.last_message_at > ${at} AND c.created_at <= ${at})`);
    branches.push(`(SELECT c.id, NULL::timestamptz AS k FROM conversation c WHERE ${base} AND c.last_message_at IS NULL AND c.created_at <= ${at}
        ORDER BY c.id DESC LIMIT ${n})`);
    const rows: KeyedConversationRow[] = await this.dataSource.query(
      `WITH keyed AS (${branches.join(' UNION ALL ')})
       SELECT keyed.k::text AS sort_key, ${CONVERSATION_COLUMNS}
       FROM keyed JOIN conversation c ON c.id = keyed.id ${CONVERSATION_JOINS}
       WHERE ${outer}
       ORDER BY keyed.k DESC NULLS LAST, keyed.id DESC LIMIT ${n}`,
      p.values,
    );
    return toPage(rows, limit, conversationFromRow, (row): CursorPosition => ({ k: row.sort_key, id: row.id, asOf }));
  }

  /** Org-wide, for the page title: not limited to the page or filters the inbox shows. */
  async unreadSummary(organizationId: string): Promise<UnreadSummaryDto> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS conversations, coalesce(sum(unread_count), 0)::int AS messages FROM conversation WHERE organization_id = $1 AND unread_count > 0`,
      [organizationId],
    )) as UnreadSummaryDto[];
    return row;
  }

  async get(organizationId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<ConversationDto> {
    const rows: ConversationRow[] = await manager.query(
      `SELECT ${CONVERSATION_COLUMNS} FROM conversation c ${CONVERSATION_JOINS} WHERE c.id = $1 AND c.organization_id = $2`,
      [id, organizationId],
    );
    if (!rows[0]) throw new NotFoundError(CommunicationsErrorCode.ConversationNotFound, 'conversation');
    return conversationFromRow(rows[0]);
  }

  /** Newest first, keyset on (occurred_at, id) over idx_message_conversation_timeline. */
  async messages(organizationId: string, conversationId: string, query: PageQueryDto): Promise<Page<MessageDto>> {
    await this.assertExists(organizationId, conversationId);
    const limit = pageLimit(query.limit);
    const cursor = decodeCursor(query.cursor);
    const p = new SqlParams();
    const where = [`m.conversation_id = ${p.add(conversationId)}`, `m.organization_id = ${p.add(organizationId)}`];
    if (cursor) where.push(`(m.occurred_at, m.id) < (${p.add(cursor.k)}::timestamptz, ${p.add(cursor.id)}::uuid)`);
    const rows: MessageRow[] = await this.dataSource.query(
      `SELECT ${MESSAGE_COLUMNS} FROM message m WHERE ${where.join(' AND ')} ORDER BY m.occurred_at DESC, m.id DESC LIMIT ${p.add(limit + 1)}`,
      p.values,
    );
    return toPage(rows, limit, messageFromRow, (row) => ({ k: row.sort_key, id: row.id }));
  }

  async assertExists(organizationId: string, conversationId: string): Promise<void> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM conversation WHERE id = $1 AND organization_id = $2`, [conversationId, organizationId]);
    if (rows.length === 0) throw new NotFoundError(CommunicationsErrorCode.ConversationNotFound, 'conversation');
  }

  private async now(): Promise<string> {
    const [row] = (await this.dataSource.query(`SELECT now()::text AS now`)) as Array<{ now: string }>;
    return row.now;
  }

  private filters(query: ListConversationsQueryDto, p: SqlParams, org: string): string {
    const clauses: string[] = [];
    if (query.accountId) clauses.push(`c.whatsapp_account_id = ${p.add(query.accountId)}`);
    if (query.status) clauses.push(`c.status = ${p.add(query.status)}`);
    if (query.unread === true) clauses.push('c.unread_count > 0');
    if (query.unread === false) clauses.push('c.unread_count = 0');
    if (query.assigneeId) clauses.push(`c.assignee_user_id = ${p.add(query.assigneeId)}`);
    if (query.unassigned === true) clauses.push('c.assignee_user_id IS NULL');
    if (query.unassigned === false) clauses.push('c.assignee_user_id IS NOT NULL');
    if (query.label) clauses.push(`c.labels @> ARRAY[${p.add(query.label)}]::text[]`);
    if (query.botPaused !== undefined) clauses.push(`c.bot_paused = ${p.add(query.botPaused)}`);
    if (query.flowId) clauses.push(`c.bot_state -> 'flow' ->> 'flowId' = ${p.add(query.flowId)}`);
    if (query.flowState) clauses.push(`c.bot_state -> 'flow' ->> 'current' = ${p.add(query.flowState)}`);
    if (query.windowOpen === true) clauses.push('c.window_expires_at > now()');
    if (query.windowOpen === false) clauses.push('(c.window_expires_at IS NULL OR c.window_expires_at <= now())');
    if (query.q) clauses.push(this.textFilter(query.q, p, org));
    return clauses.map((clause) => ` AND ${clause}`).join('');
  }

  /** Contact name/phone through the trigram index idx_contact_search; preview by the same folding. */
  private textFilter(q: string, p: SqlParams, org: string): string {
    const term = q.trim();
    const digits = term.replace(/\D/g, '');
    const phoneLike = /^[+\d\s().-]+$/.test(term) && digits.length >= 3;
    const pattern = p.add(`%${escapeLike(phoneLike ? digits : term.toLowerCase())}%`);
    const folded = `conversa_unaccent(lower(${pattern}))`;
    const contactExpr = `conversa_unaccent(lower(coalesce(ct.name, '') || ' ' || coalesce(ct.profile_name, '') || ' ' || coalesce(ct.phone_e164, '')))`;
    const previewPattern = phoneLike ? p.add(`%${escapeLike(term.toLowerCase())}%`) : pattern;
    return `(c.contact_id IN (SELECT ct.id FROM contact ct WHERE ct.organization_id = ${org} AND ${contactExpr} LIKE ${folded})
      OR conversa_unaccent(lower(coalesce(c.last_message_preview, ''))) LIKE conversa_unaccent(lower(${previewPattern})))`;
  }
}
