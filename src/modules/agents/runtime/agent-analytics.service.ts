import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ValidationFailedError } from '../../../common/errors/domain-error';

export interface ResponseAnalytics {
  from: string;
  to: string;
  /** Agent runs = inbound bursts considered (one per burst). */
  bursts: number;
  replied: number;
  handoffs: number;
  skipped: number;
  failed: number;
  /** Bursts answered with at least one reply / bursts. */
  autoResponseRate: number;
  handoffRate: number;
  aiReplies: number;
  perAgent: Array<{ agent: string; runs: number; meanConfidence: number | null }>;
  meanConfidence: number | null;
  /** Inbound stored → first reply sent (or the run's creation when not sent yet), in ms. */
  timeToReplyMs: { mean: number | null; p50: number | null; p95: number | null; samples: number };
}

const DAY_MS = 24 * 3600_000;

@Injectable()
export class AgentAnalyticsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async responses(organizationId: string, fromRaw?: string, toRaw?: string): Promise<ResponseAnalytics> {
    const to = toRaw ? new Date(toRaw) : new Date();
    const from = fromRaw ? new Date(fromRaw) : new Date(to.getTime() - 30 * DAY_MS);
    const problems = [
      Number.isNaN(from.getTime()) && { field: 'from', message: 'must be an ISO date' },
      Number.isNaN(to.getTime()) && { field: 'to', message: 'must be an ISO date' },
    ].filter((p): p is { field: string; message: string } => Boolean(p));
    if (problems.length === 0 && from > to) problems.push({ field: 'from', message: 'must be before to' });
    if (problems.length > 0) throw new ValidationFailedError('Invalid analytics range', problems);
    const params = [organizationId, from, to];
    const [totals] = (await this.dataSource.query(
      `SELECT count(*)::int AS bursts,
              count(*) FILTER (WHERE cardinality(reply_message_ids) > 0)::int AS replied,
              count(*) FILTER (WHERE outcome = 'handoff')::int AS handoffs,
              count(*) FILTER (WHERE outcome = 'skipped')::int AS skipped,
              count(*) FILTER (WHERE outcome = 'failed')::int AS failed,
              count(*) FILTER (WHERE is_ai)::int AS ai_replies,
              avg(confidence) FILTER (WHERE agent_name IS NOT NULL)::float AS mean_confidence
         FROM agent_run WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3`,
      params,
    )) as Array<{ bursts: number; replied: number; handoffs: number; skipped: number; failed: number; ai_replies: number; mean_confidence: number | null }>;
    const perAgent = (await this.dataSource.query(
      `SELECT agent_name AS agent, count(*)::int AS runs, avg(confidence)::float AS mean_confidence
         FROM agent_run WHERE organization_id = $1 AND created_at >= $2 AND created_at < $3 AND agent_name IS NOT NULL
        GROUP BY agent_name ORDER BY runs DESC, agent_name`,
      params,
    )) as Array<{ agent: string; runs: number; mean_confidence: number | null }>;
    const [timing] = (await this.dataSource.query(
      `WITH t AS (
         SELECT EXTRACT(EPOCH FROM (COALESCE(
                  (SELECT min(m.sent_at) FROM message m WHERE m.id = ANY(r.reply_message_ids)), r.created_at) - r.inbound_at)) * 1000 AS ms
           FROM agent_run r
          WHERE r.organization_id = $1 AND r.created_at >= $2 AND r.created_at < $3
            AND cardinality(r.reply_message_ids) > 0 AND r.inbound_at IS NOT NULL)
       SELECT count(*)::int AS samples, avg(ms)::float AS mean,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::float AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY ms)::float AS p95
         FROM t`,
      params,
    )) as Array<{ samples: number; mean: number | null; p50: number | null; p95: number | null }>;
    const ratio = (part: number) => (totals.bursts > 0 ? round(part / totals.bursts) : 0);
    const ms = (value: number | null) => (value === null ? null : Math.round(value));
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      bursts: totals.bursts,
      replied: totals.replied,
      handoffs: totals.handoffs,
      skipped: totals.skipped,
      failed: totals.failed,
      autoResponseRate: ratio(totals.replied),
      handoffRate: ratio(totals.handoffs),
      aiReplies: totals.ai_replies,
      perAgent: perAgent.map((row) => ({ agent: row.agent, runs: row.runs, meanConfidence: row.mean_confidence === null ? null : round(row.mean_confidence) })),
      meanConfidence: totals.mean_confidence === null ? null : round(totals.mean_confidence),
      timeToReplyMs: { mean: ms(timing.mean), p50: ms(timing.p50), p95: ms(timing.p95), samples: timing.samples },
    };
  }
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}
