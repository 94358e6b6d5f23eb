/** The nil uuid stands for "no human agent" in the daily rollups' key. */
export const NO_AGENT = '00000000-0000-0000-0000-000000000000';

/** Duration kept in the histograms: exact below 10 min, then 10 s, 1 min (below a day) and 10 min steps (floored). */
export const histogramSeconds = (column: string) =>
  `CASE WHEN ${column} < 600 THEN ${column} WHEN ${column} < 7200 THEN ${column} / 10 * 10 WHEN ${column} < 86400 THEN ${column} / 60 * 60 ELSE ${column} / 600 * 600 END`;

/** The four duration metrics of a cycle row `c`, as (metric, seconds) rows. */
export const DURATIONS = `LATERAL (VALUES (1, c.first_response_seconds), (2, c.first_response_business_seconds), (3, c.resolution_seconds), (4, c.resolution_business_seconds)) AS v(metric, s)`;

/** Cycles of the (organisation, account, UTC day) keys in $1 (jsonb [{o, a, d}]). */
const KEYED_CYCLES = `FROM analytics_cycle c JOIN (SELECT DISTINCT * FROM jsonb_to_recordset($1::jsonb) AS k(o uuid, a uuid, d date)) k
  ON c.organization_id = k.o AND c.whatsapp_account_id = k.a AND c.opened_at >= (k.d::timestamp AT TIME ZONE 'UTC') AND c.opened_at < ((k.d + 1)::timestamp AT TIME ZONE 'UTC')`;

const KEY_MATCH = `(organization_id, whatsapp_account_id, day) IN (SELECT o, a, d FROM jsonb_to_recordset($1::jsonb) AS k(o uuid, a uuid, d date))`;

export const DELETE_DAILY = [`DELETE FROM analytics_daily WHERE ${KEY_MATCH}`, `DELETE FROM analytics_daily_duration WHERE ${KEY_MATCH}`];

/** Each cycle once for all conversations ('') and once per label it carries. */
const LABELS = `LATERAL unnest(array_prepend(''::text, c.labels)) AS l(label)`;

export const INSERT_DAILY = `INSERT INTO analytics_daily (organization_id, day, whatsapp_account_id, agent_key, label, opened, resolved, auto_resolved, handoffs, window_expired, inbound, outbound, human_replies)
  SELECT c.organization_id, (c.opened_at AT TIME ZONE 'UTC')::date, c.whatsapp_account_id, COALESCE(c.agent_user_id, '${NO_AGENT}'), left(l.label, 100), count(*), count(c.resolved_at),
         count(*) FILTER (WHERE c.auto_resolved), count(c.handoff_at), count(*) FILTER (WHERE c.window_expired), sum(c.inbound_count), sum(c.outbound_count), sum(c.human_replies)
  ${KEYED_CYCLES}, ${LABELS} GROUP BY 1, 2, 3, 4, 5`;

export const INSERT_DAILY_DURATIONS = `INSERT INTO analytics_daily_duration (organization_id, day, whatsapp_account_id, agent_key, label, metric, seconds, cycles)
  SELECT c.organization_id, (c.opened_at AT TIME ZONE 'UTC')::date, c.whatsapp_account_id, COALESCE(c.agent_user_id, '${NO_AGENT}'), left(l.label, 100), v.metric,
         ${histogramSeconds('v.s')}, count(*)
  ${KEYED_CYCLES}, ${LABELS}, ${DURATIONS} WHERE v.s IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7`;
