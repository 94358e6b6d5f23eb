import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, NotFoundError } from '../../../common/errors/domain-error';
import { LifecycleErrorCode } from '../lifecycle.errors';
import { NO_AGENT } from './analytics-rollup.sql';
import { quantile, type ReportSource, sourceFor } from './analytics-sources';
import type { AnalyticsQueryDto } from './dto/analytics-query.dto';
import { CampaignsErrorCode } from '../../campaigns/campaigns.errors';

const DAY_MS = 24 * 3600 * 1000;
const MAX_RANGE_DAYS = 366;
const METRICS = { firstResponse: 1, firstResponseBusiness: 2, resolution: 3, resolutionBusiness: 4 } as const;
const BUCKETS: Array<[string, number, number]> = [
  ['0-1h', 0, 3600],
  ['1-4h', 3600, 14400],
  ['4-8h', 14400, 28800],
  ['8-24h', 28800, 86400],
  ['>24h', 86400, Infinity],
];

export interface Range {
  from: Date;
  to: Date;
}

interface Bin {
  metric: number;
  seconds: number;
  agent: string;
  cycles: number;
}

/**
 * The reports behind /analytics, org-scoped. Whole-UTC-day ranges read the daily rollups (a few rows per day);
 * other ranges read the cycles. Percentiles come from duration histograms.
 */
@Injectable()
export class AnalyticsReportsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async overview(organizationId: string, query: AnalyticsQueryDto) {
    const source = this.source(organizationId, query);
    const sums = Object.entries(source.sums).map(([name, sql]) => `${sql} AS "${name}"`).join(', ');
    const [[totals], series, bins] = await Promise.all([
      this.dataSource.query(`SELECT ${sums} ${source.rows}`, source.params) as Promise<Array<Record<keyof ReportSource['sums'], number>>>,
      this.dataSource.query(
        `SELECT to_char(${source.day}, 'YYYY-MM-DD') AS day, ${source.sums.opened} AS opened, ${source.sums.resolved} AS resolved,
                ${source.sums.inbound} AS inbound, ${source.sums.outbound} AS outbound ${source.rows} GROUP BY 1 ORDER BY 1`,
        source.params,
      ) as Promise<Array<Record<string, unknown>>>,
      this.bins(source),
    ]);
    const time = (metric: number) => {
      const histogram = bins.filter((bin) => bin.metric === metric);
      return { median: quantile(histogram, 0.5), p90: quantile(histogram, 0.9) };
    };
    return {
      range: this.range(query),
      conversations: { opened: totals.opened, resolved: totals.resolved },
      messages: { inbound: totals.inbound, outbound: totals.outbound },
      autoResolutionRate: ratio(totals.autoResolved, totals.resolved),
      handoffRate: ratio(totals.handoffs, totals.opened),
      firstResponseSeconds: { ...time(METRICS.firstResponse), business: time(METRICS.firstResponseBusiness) },
      resolutionSeconds: { ...time(METRICS.resolution), business: time(METRICS.resolutionBusiness) },
      series,
    };
  }

  async firstResponseDistribution(organizationId: string, query: AnalyticsQueryDto) {
    const bins = (await this.bins(this.source(organizationId, query))).filter((bin) => bin.metric === METRICS.firstResponse);
    const buckets = BUCKETS.map(([bucket, low, high]) => ({
      bucket,
      conversations: bins.filter((bin) => bin.seconds >= low && bin.seconds < high).reduce((sum, bin) => sum + bin.cycles, 0),
    }));
    return { range: this.range(query), buckets };
  }

  async agents(organizationId: string, query: AnalyticsQueryDto) {
    const source = this.source(organizationId, query);
    const [rows, bins] = await Promise.all([
      this.dataSource.query(
        `SELECT a.agent AS "userId", u.name, u.email, a.conversations, a.replies
         FROM (SELECT ${source.agent} AS agent, ${source.sums.opened} AS conversations, ${source.sums.humanReplies} AS replies ${source.rows} GROUP BY 1) a
         LEFT JOIN "user" u ON u.id = a.agent WHERE a.agent <> '${NO_AGENT}' ORDER BY a.conversations DESC, a.agent`,
        source.params,
      ) as Promise<Array<{ userId: string; name: string | null; email: string | null; conversations: number; replies: number }>>,
      this.bins(source),
    ]);
    const data = rows.map((row) => ({
      ...row,
      medianFirstResponseSeconds: quantile(bins.filter((bin) => bin.metric === METRICS.firstResponse && bin.agent === row.userId), 0.5),
    }));
    return { range: this.range(query), data };
  }

  async window(organizationId: string, query: AnalyticsQueryDto) {
    const source = this.source(organizationId, query);
    const [row] = (await this.dataSource.query(`SELECT ${source.sums.opened} AS conversations, ${source.sums.windowExpired} AS expired ${source.rows}`, source.params)) as Array<{
      conversations: number;
      expired: number;
    }>;
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
    if (found.length === 0) throw new NotFoundError(CampaignsErrorCode.CampaignNotFound, 'campaign');
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

  /** Default: the 30 whole UTC days up to the end of today. */
  range(query: AnalyticsQueryDto): Range {
    const to = query.to ? new Date(query.to) : new Date(Math.ceil((Date.now() + 1) / DAY_MS) * DAY_MS);
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    if (!(from < to) || to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
      throw new DomainError(LifecycleErrorCode.InvalidDateRange, `from must be before to, at most ${MAX_RANGE_DAYS} days apart`);
    }
    return { from, to };
  }

  private source(organizationId: string, query: AnalyticsQueryDto): ReportSource {
    return sourceFor({ organizationId, ...this.range(query), accountId: query.accountId ?? null, agent: query.agent ?? null, label: query.label ?? null });
  }

  private bins(source: ReportSource): Promise<Bin[]> {
    return this.dataSource.query(source.durations, source.params) as Promise<Bin[]>;
  }
}

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10000) / 10000 : null;
}
