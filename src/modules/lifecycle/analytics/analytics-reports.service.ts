import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, NotFoundError } from '../../../common/errors/domain-error';
import { LifecycleErrorCode } from '../lifecycle.errors';
import type { AnalyticsQueryDto } from './dto/analytics-query.dto';

const DAY_MS = 24 * 3600 * 1000;
const MAX_RANGE_DAYS = 366;
/** Cycles of the organisation opened in [from, to), narrowed by account, agent and label ($1…$6). */
const CYCLES = `FROM analytics_cycle WHERE organization_id = $1 AND opened_at >= $2 AND opened_at < $3
  AND ($4::uuid IS NULL OR whatsapp_account_id = $4) AND ($5::uuid IS NULL OR agent_user_id = $5) AND ($6::text IS NULL OR labels @> ARRAY[$6::text])`;
const PERCENTILES = ['first_response_seconds', 'first_response_business_seconds', 'resolution_seconds', 'resolution_business_seconds']
  .flatMap((column) => [`percentile_disc(0.5) WITHIN GROUP (ORDER BY ${column}) AS ${column}_median`, `percentile_disc(0.9) WITHIN GROUP (ORDER BY ${column}) AS ${column}_p90`])
  .join(', ');

export interface Range {
  from: Date;
  to: Date;
}

/** The reports behind /analytics: every one reads pre-aggregated cycles (or indexed message ranges), org-scoped. */
@Injectable()
export class AnalyticsReportsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async overview(organizationId: string, query: AnalyticsQueryDto) {
    const params = this.params(organizationId, query);
    const [totals] = await this.dataSource.query(
      `SELECT count(*)::int AS opened, count(resolved_at)::int AS resolved, count(*) FILTER (WHERE auto_resolved)::int AS auto_resolved,
              count(handoff_at)::int AS handoffs, COALESCE(sum(inbound_count), 0)::int AS inbound, COALESCE(sum(outbound_count), 0)::int AS outbound, ${PERCENTILES}
       ${CYCLES}`,
      params,
    );
    const series = (await this.dataSource.query(
      `SELECT to_char((opened_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, count(*)::int AS opened, count(resolved_at)::int AS resolved,
              COALESCE(sum(inbound_count), 0)::int AS inbound, COALESCE(sum(outbound_count), 0)::int AS outbound
       ${CYCLES} GROUP BY 1 ORDER BY 1`,
      params,
    )) as Array<Record<string, unknown>>;
    const time = (column: string) => ({ median: totals[`${column}_median`], p90: totals[`${column}_p90`] });
    return {
      range: this.range(query),
      conversations: { opened: totals.opened, resolved: totals.resolved },
      messages: { inbound: totals.inbound, outbound: totals.outbound },
      autoResolutionRate: ratio(totals.auto_resolved, totals.resolved),
      handoffRate: ratio(totals.handoffs, totals.opened),
      firstResponseSeconds: { ...time('first_response_seconds'), business: time('first_response_business_seconds') },
      resolutionSeconds: { ...time('resolution_seconds'), business: time('resolution_business_seconds') },
      series,
    };
  }

  async firstResponseDistribution(organizationId: string, query: AnalyticsQueryDto) {
    const [row] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE first_response_seconds < 3600)::int AS "0-1h",
              count(*) FILTER (WHERE first_response_seconds >= 3600 AND first_response_seconds < 14400)::int AS "1-4h",
              count(*) FILTER (WHERE first_response_seconds >= 14400 AND first_response_seconds < 28800)::int AS "4-8h",
              count(*) FILTER (WHERE first_response_seconds >= 28800 AND first_response_seconds < 86400)::int AS "8-24h",
              count(*) FILTER (WHERE first_response_seconds >= 86400)::int AS ">24h"
       ${CYCLES} AND first_response_seconds IS NOT NULL`,
      this.params(organizationId, query),
    );
    return { range: this.range(query), buckets: Object.entries(row as Record<string, number>).map(([bucket, conversations]) => ({ bucket, conversations })) };
  }

  async agents(organizationId: string, query: AnalyticsQueryDto) {
    const rows = await this.dataSource.query(
      `SELECT a.agent_user_id AS "userId", u.name, u.email, a.conversations, a.replies, a.median_first_response_seconds AS "medianFirstResponseSeconds"
       FROM (SELECT agent_user_id, count(*)::int AS conversations, sum(human_replies)::int AS replies,
                    percentile_disc(0.5) WITHIN GROUP (ORDER BY first_response_seconds) AS median_first_response_seconds
             ${CYCLES} AND agent_user_id IS NOT NULL GROUP BY agent_user_id) a
       LEFT JOIN "user" u ON u.id = a.agent_user_id ORDER BY a.conversations DESC, a.agent_user_id`,
      this.params(organizationId, query),
    );
    return { range: this.range(query), data: rows };
  }

  async window(organizationId: string, query: AnalyticsQueryDto) {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS conversations, count(*) FILTER (WHERE window_expired)::int AS expired ${CYCLES}`, this.params(organizationId, query));
    return { range: this.range(query), conversations: row.conversations, windowExpired: row.expired, share: ratio(row.expired, row.conversations) };
  }

  async templates(organizationId: string, query: AnalyticsQueryDto) {
    const { from, to } = this.range(query);
    const scope = `FROM message WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3 AND ($4::uuid IS NULL OR whatsapp_account_id = $4)
                   AND direction = 'outbound' AND template_name IS NOT NULL`;
    const params = [organizationId, from, to, query.accountId ?? null];
    const rows = (await this.dataSource.query(
      `SELECT template_name AS "templateName", template_language AS language, count(*)::int AS sends,
              count(*) FILTER (WHERE delivered_at IS NOT NULL OR read_at IS NOT NULL)::int AS delivered, count(read_at)::int AS read, count(failed_at)::int AS failed
       ${scope} GROUP BY 1, 2 ORDER BY sends DESC, 1, 2`,
      params,
    )) as Array<{ templateName: string; language: string; sends: number; delivered: number; read: number; failed: number }>;
    const failures = await this.dataSource.query(
      `SELECT template_name AS "templateName", COALESCE(error_code, 'unknown') AS "errorCode", count(*)::int AS count
       ${scope} AND failed_at IS NOT NULL GROUP BY 1, 2 ORDER BY count DESC, 1, 2`,
      params,
    );
    const data = rows.map((row) => ({ ...row, deliveredRate: ratio(row.delivered, row.sends), readRate: ratio(row.read, row.sends) }));
    return { range: { from, to }, data, failures };
  }

  async campaign(organizationId: string, campaignId: string) {
    const found = (await this.dataSource.query(`SELECT 1 FROM campaign WHERE id = $1 AND organization_id = $2`, [campaignId, organizationId])) as unknown[];
    if (found.length === 0) throw new NotFoundError(LifecycleErrorCode.CampaignNotFound, 'campaign');
    const rows = (await this.dataSource.query(
      `SELECT COALESCE(m.metadata->>'variant', m.template_name, 'default') AS variant, count(*)::int AS recipients, count(m.id)::int AS sent,
              count(*) FILTER (WHERE m.delivered_at IS NOT NULL OR m.read_at IS NOT NULL)::int AS delivered, count(m.read_at)::int AS read,
              count(m.reply_received_at)::int AS replied
       FROM campaign_recipient r LEFT JOIN message m ON m.id = r.message_id
       WHERE r.campaign_id = $1 AND r.organization_id = $2 GROUP BY 1 ORDER BY 1`,
      [campaignId, organizationId],
    )) as Array<{ variant: string; recipients: number; sent: number; delivered: number; read: number; replied: number }>;
    return {
      campaignId,
      data: rows.map((row) => ({ ...row, deliveredRate: ratio(row.delivered, row.sent), readRate: ratio(row.read, row.sent), repliedRate: ratio(row.replied, row.sent) })),
    };
  }

  range(query: AnalyticsQueryDto): Range {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    if (!(from < to) || to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
      throw new DomainError(LifecycleErrorCode.InvalidDateRange, `from must be before to, at most ${MAX_RANGE_DAYS} days apart`);
    }
    return { from, to };
  }

  private params(organizationId: string, query: AnalyticsQueryDto): unknown[] {
    const { from, to } = this.range(query);
    return [organizationId, from, to, query.accountId ?? null, query.agent ?? null, query.label ?? null];
  }
}

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10000) / 10000 : null;
}
