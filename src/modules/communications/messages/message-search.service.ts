import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { MessageDirection } from '../../../database/entities/enums';
import type { MessageSearchHitDto, SearchMessagesQueryDto } from './dto/message.dto';
import { decodeCursor, isTimestampText, type Page, pageLimit, toPage } from '../../../common/pagination';
import { SqlParams } from '../../../database/sql-params';

// ts_headline does not escape HTML: mark with sentinels, escape the text, then turn the sentinels into <mark>.
const START = '\u27e6';
const STOP = '\u27e7';
const HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "`;

interface HitRow {
  id: string;
  conversation_id: string;
  contact_id: string;
  whatsapp_account_id: string;
  direction: MessageDirection;
  type: string;
  occurred_at: Date;
  sort_key: string;
  text: string | null;
  rank: number;
  rank_key: string;
  snippet: string | null;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function toMarkedSnippet(headline: string): string {
  return escapeHtml(headline).split(START).join('<mark>').split(STOP).join('</mark>');
}

/**
 * Ranking scores every candidate, so it is bounded: the best matches among the most recent
 * SEARCH_CANDIDATES matching messages (filters narrow the window further). A common word over a
 * million messages then costs a short backward index walk instead of scoring ~100k rows.
 */
export const SEARCH_CANDIDATES = 250;

/**
 * The query side of conversa_search_vector (migration SpanishStemsBeforeUnaccent): Spanish stems of the words as
 * typed (Snowball drops the accents itself, so "declaraciones" and "declaración" share a stem), Spanish stems of
 * the words unaccented (a query typed without accents), and the unaccented words themselves.
 */
function searchQuery(q: string): string {
  return `(websearch_to_tsquery('spanish', ${q}) || websearch_to_tsquery('spanish', conversa_unaccent(${q})) || websearch_to_tsquery('simple', conversa_unaccent(${q})))`;
}

/**
 * Full-text search over message.search_vector (Spanish stems with and without accents + simple words, accents folded; GIN
 * idx_message_search), best match first. Keyset on (rank, occurred_at, id): ranks are float4 and
 * round-trip exactly through their text form in the cursor.
 */
@Injectable()
export class MessageSearchService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(organizationId: string, query: SearchMessagesQueryDto): Promise<Page<MessageSearchHitDto>> {
    const limit = pageLimit(query.limit);
    const cursor = decodeCursor(query.cursor, isRankKey);
    const p = new SqlParams();
    const q = p.add(query.q);
    // The query expression is inlined (not read from the CTE) so the planner can see how selective it is:
    // rare terms use the GIN index, common ones walk recent messages and stop early.
    const tsquery = searchQuery(q);
    const where = [`m.organization_id = ${p.add(organizationId)}`, `m.search_vector @@ ${tsquery}`];
    if (query.accountId) where.push(`m.whatsapp_account_id = ${p.add(query.accountId)}`);
    if (query.contactId) where.push(`m.contact_id = ${p.add(query.contactId)}`);
    if (query.direction) where.push(`m.direction = ${p.add(query.direction)}`);
    // As the messages list reads them: a Date, so a day PostgreSQL rejects (2026-02-30) cannot fail the query.
    if (query.from) where.push(`m.occurred_at >= ${p.add(new Date(query.from))}::timestamptz`);
    if (query.to) where.push(`m.occurred_at < ${p.add(new Date(query.to))}::timestamptz`);
    const rank = 'ts_rank(m.search_vector, tsq.q)';
    const after = cursor ? this.after(cursor.k, cursor.id, rank, p) : 'TRUE';
    const candidates = p.add(SEARCH_CANDIDATES);
    const rows: HitRow[] = await this.dataSource.query(
      `WITH tsq AS (SELECT ${tsquery} AS q),
       recent AS (
         SELECT m.id, m.search_vector, m.occurred_at FROM message m
         WHERE ${where.join(' AND ')}
         ORDER BY m.created_at DESC LIMIT ${candidates}),
       hits AS (
         SELECT m.id, ${rank} AS rank, m.occurred_at FROM recent m, tsq
         WHERE ${after}
         ORDER BY rank DESC, m.occurred_at DESC, m.id DESC LIMIT ${p.add(limit + 1)})
       SELECT m.id, m.conversation_id, m.contact_id, m.whatsapp_account_id, m.direction, m.type, m.occurred_at, m.text,
              hits.rank, hits.rank::text AS rank_key, m.occurred_at::text AS sort_key,
              ts_headline('spanish', coalesce(m.text, ''), tsq.q, '${HEADLINE_OPTIONS}') AS snippet
       FROM hits JOIN message m ON m.id = hits.id, tsq
       ORDER BY hits.rank DESC, hits.occurred_at DESC, hits.id DESC`,
      p.values,
    );
    return toPage(
      rows,
      limit,
      (row) => ({
        id: row.id,
        conversationId: row.conversation_id,
        contactId: row.contact_id,
        accountId: row.whatsapp_account_id,
        direction: row.direction,
        type: row.type,
        occurredAt: row.occurred_at.toISOString(),
        text: row.text,
        snippet: toMarkedSnippet(row.snippet ?? ''),
        rank: row.rank,
      }),
      (row) => ({ k: `${row.rank_key}|${row.sort_key}`, id: row.id }),
    );
  }

  private after(key: string | null, id: string, rank: string, p: SqlParams): string {
    const [rankKey, occurredAt] = (key ?? '').split('|');
    return `(${rank}, m.occurred_at, m.id) < (${p.add(rankKey)}::real, ${p.add(occurredAt)}::timestamptz, ${p.add(id)}::uuid)`;
  }
}

/** `rank|occurredAt`: a float4 rank PostgreSQL's `real` accepts and a timestamp. */
function isRankKey(key: string): boolean {
  const [rank, occurredAt] = key.split('|');
  const value = Number(rank);
  return /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(rank) && (value === 0 || (Math.abs(value) >= 1e-37 && Math.abs(value) <= 3.4e38)) && isTimestampText(occurredAt);
}
