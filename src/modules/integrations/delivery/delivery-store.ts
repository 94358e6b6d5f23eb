import type { DataSource } from 'typeorm';
import { PreparedStatement } from '../../../database/prepared-statement';

/** A delivery with what sending it needs: its endpoint and its event. */
export interface DeliveryToSend {
  id: string;
  status: string;
  attempts: number;
  endpointId: string;
  url: string;
  enabled: boolean;
  /** Attempts per second at most (per worker process); null = WEBHOOK_ENDPOINT_MAX_PER_SECOND. */
  maxPerSecond: number | null;
  /** The endpoint delivers each conversation's events in order. */
  ordered: boolean;
  /** Set on an ordered endpoint's delivery of a conversation's event (see `holdIfBlocked`). */
  conversationId: string | null;
  eventSeq: string | null;
  secretEncrypted: string;
  previousSecretEncrypted: string | null;
  previousSecretExpiresAt: Date | null;
  eventId: string;
  eventType: string;
  organizationId: string;
  data: unknown;
  eventCreatedAt: Date;
}

export interface DeliveryOutcome {
  id: string;
  endpointId: string;
  status: 'pending' | 'delivered' | 'dead';
  responseCode: number | null;
  latencyMs: number;
  error: string | null;
  nextAttemptAt: Date | null;
}

const LOAD = new PreparedStatement(
  'webhook-deliveries-load',
  `SELECT d.id, d.status, d.attempts, d.endpoint_id AS "endpointId", e.url, e.enabled, e.max_per_second AS "maxPerSecond", e.ordered,
          d.conversation_id AS "conversationId", d.event_seq::text AS "eventSeq", e.secret_encrypted AS "secretEncrypted",
          e.previous_secret_encrypted AS "previousSecretEncrypted", e.previous_secret_expires_at AS "previousSecretExpiresAt",
          ev.id AS "eventId", ev.type AS "eventType", ev.organization_id AS "organizationId", ev.data, ev.created_at AS "eventCreatedAt"
     FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id JOIN outbox_event ev ON ev.id = d.event_id
    WHERE d.id = ANY($1::uuid[])`,
);

/**
 * Records attempts (only on deliveries still pending: a late duplicate changes nothing), keeps each endpoint's
 * `failing_since` (cleared by any success), and answers the endpoints that have now failed for longer than $7 ms.
 */
const MARK = new PreparedStatement(
  'webhook-deliveries-mark',
  `WITH o AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::webhook_delivery_status[], $4::int[], $5::int[], $6::varchar[], $8::timestamptz[])
              AS t(id, endpoint_id, status, code, latency, error, next_at)),
   marked AS (
     UPDATE webhook_delivery d SET status = o.status, attempts = d.attempts + 1, response_code = o.code, latency_ms = o.latency,
            error = o.error, next_attempt_at = o.next_at, delivered_at = CASE WHEN o.status = 'delivered' THEN now() END, updated_at = now()
       FROM o WHERE d.id = o.id AND d.status = 'pending'),
   ok AS (SELECT DISTINCT endpoint_id FROM o WHERE status = 'delivered'),
   healthy AS (UPDATE webhook_endpoint e SET failing_since = NULL FROM ok WHERE e.id = ok.endpoint_id AND e.failing_since IS NOT NULL),
   failing AS (
     UPDATE webhook_endpoint e SET failing_since = COALESCE(e.failing_since, now())
       FROM (SELECT DISTINCT endpoint_id FROM o WHERE status <> 'delivered' AND endpoint_id NOT IN (SELECT endpoint_id FROM ok)) f
      WHERE e.id = f.endpoint_id AND e.enabled
      RETURNING e.id, e.failing_since)
   SELECT id FROM failing WHERE failing_since < now() - $7::int * interval '1 millisecond'`,
);

/** Disables an endpoint and tells its owner through the other channels, in one transaction. */
const DISABLE = new PreparedStatement(
  'webhook-endpoint-disable',
  `WITH disabled AS (
     UPDATE webhook_endpoint SET enabled = false, disabled_reason = $2, updated_at = now() WHERE id = $1 AND enabled
     RETURNING id, organization_id, url)
   INSERT INTO outbox_event (organization_id, type, data)
   SELECT organization_id, 'webhook_endpoint.disabled', jsonb_build_object('endpointId', id, 'url', url, 'reason', $2::text) FROM disabled
   RETURNING organization_id AS "organizationId"`,
);

/**
 * For an ordered delivery ($1): holds it (answers until when) while an earlier delivery of the same endpoint and
 * conversation is still pending, or an earlier event of the conversation is not fanned out yet (another worker's relay
 * batch, uncommitted: it may become a delivery that must go first). It waits until that earlier one is next due plus
 * $5 ms, at most $6 ms; its `next_attempt_at` says so, so the sweep leaves it alone until then.
 */
const HOLD_IF_BLOCKED = new PreparedStatement(
  'webhook-delivery-hold-if-blocked',
  `WITH block AS (
     SELECT (SELECT next_attempt_at FROM webhook_delivery
              WHERE endpoint_id = $2 AND conversation_id = $3 AND status = 'pending' AND event_seq < $4::bigint
              ORDER BY event_seq LIMIT 1) AS earlier_due_at,
            EXISTS (SELECT 1 FROM outbox_event WHERE dispatched_at IS NULL AND seq < $4::bigint AND conversation_id = $3) AS earlier_undispatched),
   held AS (
     UPDATE webhook_delivery d
        SET next_attempt_at = LEAST(GREATEST(COALESCE(b.earlier_due_at, now()), now()) + $5::int * interval '1 millisecond', now() + $6::int * interval '1 millisecond')
       FROM block b
      WHERE d.id = $1 AND d.status = 'pending' AND (b.earlier_due_at IS NOT NULL OR b.earlier_undispatched)
     RETURNING d.next_attempt_at)
   SELECT (SELECT earlier_due_at IS NOT NULL OR earlier_undispatched FROM block) AS blocked, (SELECT next_attempt_at FROM held) AS "heldUntil"`,
);

/** The next pending delivery of an ordered endpoint's conversation after outbox sequence $3. */
const NEXT_IN_ORDER = new PreparedStatement(
  'webhook-delivery-next-in-order',
  `SELECT id FROM webhook_delivery
    WHERE endpoint_id = $1 AND conversation_id = $2 AND status = 'pending' AND event_seq > $3::bigint
    ORDER BY event_seq LIMIT 1`,
);

export async function loadDeliveries(dataSource: DataSource, ids: string[]): Promise<Array<DeliveryToSend | null>> {
  const rows = await LOAD.run<DeliveryToSend>(dataSource.manager, [ids]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}

export async function markDeliveries(dataSource: DataSource, outcomes: DeliveryOutcome[], disableAfterMs: number): Promise<string[]> {
  const rows = await MARK.run<{ id: string }>(dataSource.manager, [
    outcomes.map((o) => o.id),
    outcomes.map((o) => o.endpointId),
    outcomes.map((o) => o.status),
    outcomes.map((o) => o.responseCode),
    outcomes.map((o) => o.latencyMs),
    outcomes.map((o) => o.error),
    disableAfterMs,
    outcomes.map((o) => o.nextAttemptAt),
  ]);
  return rows.map((row) => row.id);
}

/** True when this call disabled it (it was enabled). */
export async function disableEndpoint(dataSource: DataSource, endpointId: string, reason: string): Promise<boolean> {
  const rows = await DISABLE.run(dataSource.manager, [endpointId, reason.slice(0, 200)]);
  return rows.length > 0;
}

/**
 * `go` when the delivery may be attempted now; else until when it is held (its predecessor's completion may wake it
 * sooner), or `settled` when it is blocked but no longer pending (a duplicate job of it finished meanwhile).
 */
export async function holdIfBlocked(
  dataSource: DataSource,
  delivery: Pick<DeliveryToSend, 'id' | 'endpointId' | 'conversationId' | 'eventSeq'>,
  recheckMs: number,
  maxHoldMs: number,
): Promise<'go' | 'settled' | { heldUntil: number }> {
  const [row] = await HOLD_IF_BLOCKED.run<{ blocked: boolean; heldUntil: Date | null }>(dataSource.manager, [delivery.id, delivery.endpointId, delivery.conversationId, delivery.eventSeq, recheckMs, maxHoldMs]);
  if (!row.blocked) return 'go';
  return row.heldUntil ? { heldUntil: new Date(row.heldUntil).getTime() } : 'settled';
}

export async function nextInOrder(dataSource: DataSource, delivery: Pick<DeliveryToSend, 'endpointId' | 'conversationId' | 'eventSeq'>): Promise<string | null> {
  const [row] = await NEXT_IN_ORDER.run<{ id: string }>(dataSource.manager, [delivery.endpointId, delivery.conversationId, delivery.eventSeq]);
  return row?.id ?? null;
}
