import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor, type Page, pageLimit } from '../../common/pagination';
import { SEND_OUTCOME_UNKNOWN } from '../communications/outbound/send-outcome.store';
import { REPLY_WINDOW } from './campaign-ab-test.service';
import type { ListRecipientsQueryDto } from './dto/campaign.dto';

export interface CampaignCounts {
  total: number;
  pending: number;
  sending: number;
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  failed: number;
  failedByCode: Record<string, number>;
  skipped: number;
  skippedByReason: Record<string, number>;
  expired: number;
  cancelled: number;
  optedOut: number;
}

interface CountRow {
  variant: number | null;
  status: string;
  code: string | null;
  messageStatus: string | null;
  replied: boolean;
  optedOut: boolean;
  n: number;
}

export interface RecipientView {
  id: string;
  phone: string;
  status: string;
  reason: string | null;
  reasonMessage: string | null;
  variant: number | null;
  attempts: number;
  messageId: string | null;
  messageStatus: string | null;
}

const SENT = ['sent', 'delivered', 'read', 'played'];
const EXPORT_PAGE = 1000;

/** Counts by state (per campaign and per A/B variant), recipient lists by state and reason, and the CSV export. */
@Injectable()
export class CampaignStats {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async counts(campaignId: string): Promise<{ counts: CampaignCounts; variants: Array<{ variant: number; counts: CampaignCounts }> }> {
    const rows: CountRow[] = await this.dataSource.query(
      `SELECT cr.variant, cr.status::text AS status, cr.error_code AS code, m.status::text AS "messageStatus",
              (m.reply_received_at IS NOT NULL OR ct.last_inbound_at BETWEEN coalesce(m.delivered_at, m.sent_at) AND coalesce(m.delivered_at, m.sent_at) + ${REPLY_WINDOW}) IS TRUE AS replied,
              (ct.opted_out_at > m.sent_at) IS TRUE AS "optedOut", count(*)::int AS n
         FROM campaign_recipient cr LEFT JOIN message m ON m.id = cr.message_id LEFT JOIN contact ct ON ct.id = cr.contact_id
        WHERE cr.campaign_id = $1 GROUP BY 1, 2, 3, 4, 5, 6`,
      [campaignId],
    );
    const variants = [...new Set(rows.map((r) => r.variant).filter((v): v is number => v !== null))].sort((a, b) => a - b);
    return { counts: tally(rows), variants: variants.map((variant) => ({ variant, counts: tally(rows.filter((r) => r.variant === variant)) })) };
  }

  async recipients(campaignId: string, query: ListRecipientsQueryDto): Promise<Page<RecipientView>> {
    const limit = pageLimit(query.limit, 1000);
    const after = decodeCursor(query.cursor)?.id ?? null;
    const rows = await this.page(campaignId, query.status ?? null, query.reason ?? null, after, limit + 1);
    const data = rows.slice(0, limit);
    return { data, nextCursor: rows.length > limit ? encodeCursor({ k: null, id: data[data.length - 1].id }) : null };
  }

  /** Every recipient as CSV, read page by page (never the whole campaign in memory). */
  async *csv(campaignId: string): AsyncGenerator<string> {
    yield 'phone,status,reason,reason_message,variant,attempts,message_id,message_status\n';
    let after: string | null = null;
    for (;;) {
      const rows = await this.page(campaignId, null, null, after, EXPORT_PAGE);
      for (const r of rows) {
        yield [r.phone, r.status, r.reason, r.reasonMessage, r.variant, r.attempts, r.messageId, r.messageStatus].map(csvField).join(',') + '\n';
      }
      if (rows.length < EXPORT_PAGE) return;
      after = rows[rows.length - 1].id;
    }
  }

  private page(campaignId: string, status: string | null, reason: string | null, after: string | null, limit: number): Promise<RecipientView[]> {
    return this.dataSource.query(
      `SELECT cr.id, cr.phone_e164 AS phone, cr.status, cr.error_code AS reason, cr.error_message AS "reasonMessage", cr.variant, cr.attempts,
              cr.message_id AS "messageId", m.status AS "messageStatus"
         FROM campaign_recipient cr LEFT JOIN message m ON m.id = cr.message_id
        WHERE cr.campaign_id = $1 AND ($2::campaign_recipient_status IS NULL OR cr.status = $2) AND ($3::text IS NULL OR cr.error_code = $3)
          AND ($4::uuid IS NULL OR cr.id > $4) ORDER BY cr.id LIMIT $5`,
      [campaignId, status, reason, after, limit],
    );
  }
}

function tally(rows: CountRow[]): CampaignCounts {
  const c: CampaignCounts = { total: 0, pending: 0, sending: 0, sent: 0, delivered: 0, read: 0, replied: 0, failed: 0, failedByCode: {}, skipped: 0, skippedByReason: {}, expired: 0, cancelled: 0, optedOut: 0 };
  for (const r of rows) {
    c.total += r.n;
    const sent = r.messageStatus !== null && SENT.includes(r.messageStatus);
    if (r.status === 'pending' || r.status === 'held') c.pending += r.n;
    else if (r.status === 'skipped') c.skipped += add(c.skippedByReason, r.code, r.n);
    else if (r.status === 'expired') c.expired += r.n;
    else if (r.status === 'cancelled') c.cancelled += r.n;
    // A send failed as unknown that its status webhook resolved after the campaign's last settle counts as sent.
    else if ((r.status === 'failed' && !(sent && r.code === SEND_OUTCOME_UNKNOWN)) || r.messageStatus === 'failed') c.failed += add(c.failedByCode, r.code, r.n);
    else if (sent) c.sent += r.n;
    else c.sending += r.n;
    if (sent && ['delivered', 'read', 'played'].includes(r.messageStatus!)) c.delivered += r.n;
    if (sent && ['read', 'played'].includes(r.messageStatus!)) c.read += r.n;
    if (sent && r.replied) c.replied += r.n;
    if (r.optedOut) c.optedOut += r.n;
  }
  return c;
}

function add(byCode: Record<string, number>, code: string | null, n: number): number {
  byCode[code ?? 'unknown'] = (byCode[code ?? 'unknown'] ?? 0) + n;
  return n;
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
