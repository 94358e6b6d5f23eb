import { DURATIONS, NO_AGENT } from './analytics-rollup.sql';

/** Where a report's numbers come from: the daily rollups (whole UTC days) or the cycles themselves. */
export interface ReportSource {
  /** FROM … WHERE … for the counts; `day` and `agent` name the grouping columns. */
  rows: string;
  day: string;
  agent: string;
  sums: Record<'opened' | 'resolved' | 'autoResolved' | 'handoffs' | 'windowExpired' | 'inbound' | 'outbound' | 'humanReplies', string>;
  /** SELECT metric, seconds, agent, cycles … for the duration histograms. */
  durations: string;
  params: unknown[];
}

export interface SourceFilter {
  organizationId: string;
  from: Date;
  to: Date;
  accountId: string | null;
  agent: string | null;
  label: string | null;
}

const DAY_MS = 24 * 3600 * 1000;
const wholeDays = (filter: SourceFilter) => filter.from.getTime() % DAY_MS === 0 && filter.to.getTime() % DAY_MS === 0;

export function sourceFor(filter: SourceFilter): ReportSource {
  return wholeDays(filter) ? dailySource(filter) : cycleSource(filter);
}

function dailySource(f: SourceFilter): ReportSource {
  const where = `WHERE organization_id = $1 AND day >= $2::date AND day < $3::date AND ($4::uuid IS NULL OR whatsapp_account_id = $4) AND ($5::uuid IS NULL OR agent_key = $5)
    AND label = COALESCE($6::text, '')`;
  const sum = (column: string) => `COALESCE(sum(${column}), 0)::int`;
  return {
    rows: `FROM analytics_daily ${where}`,
    day: 'day',
    agent: 'agent_key',
    sums: {
      opened: sum('opened'),
      resolved: sum('resolved'),
      autoResolved: sum('auto_resolved'),
      handoffs: sum('handoffs'),
      windowExpired: sum('window_expired'),
      inbound: sum('inbound'),
      outbound: sum('outbound'),
      humanReplies: sum('human_replies'),
    },
    durations: `SELECT metric, seconds, agent_key AS agent, sum(cycles)::int AS cycles FROM analytics_daily_duration ${where} GROUP BY 1, 2, 3`,
    params: [f.organizationId, day(f.from), day(f.to), f.accountId, f.agent, f.label],
  };
}

function cycleSource(f: SourceFilter): ReportSource {
  const where = `WHERE c.organization_id = $1 AND c.opened_at >= $2 AND c.opened_at < $3 AND ($4::uuid IS NULL OR c.whatsapp_account_id = $4)
    AND ($5::uuid IS NULL OR c.agent_user_id = $5) AND ($6::text IS NULL OR c.labels @> ARRAY[$6::text])`;
  const agent = `COALESCE(c.agent_user_id, '${NO_AGENT}')`;
  return {
    rows: `FROM analytics_cycle c ${where}`,
    day: `(c.opened_at AT TIME ZONE 'UTC')::date`,
    agent,
    sums: {
      opened: 'count(*)::int',
      resolved: 'count(c.resolved_at)::int',
      autoResolved: 'count(*) FILTER (WHERE c.auto_resolved)::int',
      handoffs: 'count(c.handoff_at)::int',
      windowExpired: 'count(*) FILTER (WHERE c.window_expired)::int',
      inbound: 'COALESCE(sum(c.inbound_count), 0)::int',
      outbound: 'COALESCE(sum(c.outbound_count), 0)::int',
      humanReplies: 'COALESCE(sum(c.human_replies), 0)::int',
    },
    durations: `SELECT v.metric, v.s AS seconds, ${agent} AS agent, count(*)::int AS cycles FROM analytics_cycle c, ${DURATIONS} ${where} AND v.s IS NOT NULL GROUP BY 1, 2, 3`,
    params: [f.organizationId, f.from, f.to, f.accountId, f.agent, f.label],
  };
}

function day(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** percentile_disc over a histogram: the first value whose cumulative count reaches p of the total. */
export function quantile(histogram: Array<{ seconds: number; cycles: number }>, p: number): number | null {
  const total = histogram.reduce((sum, bin) => sum + bin.cycles, 0);
  if (total === 0) return null;
  const target = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const bin of [...histogram].sort((x, y) => x.seconds - y.seconds)) {
    seen += bin.cycles;
    if (seen >= target) return bin.seconds;
  }
  return null;
}
