import type { DataSource, EntityManager } from 'typeorm';
import { PreparedStatement } from '../../../database/prepared-statement';

/** An enabled ws(s) endpoint with what signing its frames needs. */
export interface WebsocketEndpoint {
  id: string;
  organizationId: string;
  url: string;
  events: string[];
  secretEncrypted: string;
  previousSecretEncrypted: string | null;
  previousSecretExpiresAt: Date | null;
}

export interface ForwardedEvent {
  seq: string;
  xid: string;
  id: string;
  type: string;
  organizationId: string;
  data: unknown;
  createdAt: Date;
}

export interface ForwardBatch {
  events: ForwardedEvent[];
  /** The oldest open transaction when the batch was read: every row below it was final. */
  horizon: string;
}

const ENDPOINTS = new PreparedStatement(
  'websocket-endpoints',
  `SELECT id, organization_id AS "organizationId", url, events, secret_encrypted AS "secretEncrypted",
          previous_secret_encrypted AS "previousSecretEncrypted", previous_secret_expires_at AS "previousSecretExpiresAt"
     FROM webhook_endpoint WHERE enabled AND url ~* '^wss?://' ORDER BY id`,
);

/**
 * The next events after the cursor, in (xid, seq) order, taking only rows of transactions older than the oldest
 * open one: such rows can no longer appear or vanish, so the cursor never passes a row that commits later (seq
 * alone would: a transaction may commit after a later-numbered one). Also answers that horizon: with fewer rows
 * than the limit, everything below it has been read.
 */
const NEXT = new PreparedStatement(
  'websocket-next-events',
  `WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon),
        c AS (SELECT xid, seq FROM websocket_forward_cursor WHERE endpoint_id = $1),
        batch AS (
          SELECT o.seq::text, o.xid::text, o.id, o.type, o.organization_id AS "organizationId", o.data, o.created_at AS "createdAt"
            FROM outbox_event o, c, h
           WHERE o.organization_id = $2 AND (o.xid, o.seq) > (c.xid, c.seq) AND o.xid < h.horizon
             AND (o.type = ANY($3::varchar[]) OR '*' = ANY($3::varchar[]))
           ORDER BY o.xid, o.seq LIMIT $4)
   SELECT (SELECT horizon::text FROM h) AS horizon, (SELECT count(*) FROM c)::int AS cursors,
          COALESCE((SELECT json_agg(b ORDER BY b.xid::bigint, b.seq::bigint) FROM batch b), '[]') AS events`,
);

/** Moves the cursor forward only: a late writer (a process that lost its lock) never moves it back. */
const ADVANCE = new PreparedStatement(
  'websocket-cursor-advance',
  `UPDATE websocket_forward_cursor SET xid = $2, seq = $3, updated_at = now() WHERE endpoint_id = $1 AND (xid, seq) < ($2::bigint, $3::bigint)`,
);

/** A new ws endpoint starts at the oldest open transaction: it gets what commits from now on, nothing older. */
const START = new PreparedStatement(
  'websocket-cursor-start',
  `INSERT INTO websocket_forward_cursor (endpoint_id, xid, seq) VALUES ($1, pg_snapshot_xmin(pg_current_snapshot())::text::bigint, 0) ON CONFLICT (endpoint_id) DO NOTHING`,
);

export async function websocketEndpoints(dataSource: DataSource): Promise<WebsocketEndpoint[]> {
  return ENDPOINTS.run<WebsocketEndpoint>(dataSource.manager, []);
}

/** Null when the endpoint has no cursor (deleted, or not a ws endpoint any more). */
export async function nextEvents(dataSource: DataSource, endpoint: Pick<WebsocketEndpoint, 'id' | 'organizationId' | 'events'>, limit: number): Promise<ForwardBatch | null> {
  const [row] = await NEXT.run<{ horizon: string; cursors: number; events: ForwardedEvent[] }>(dataSource.manager, [endpoint.id, endpoint.organizationId, endpoint.events, limit]);
  return row.cursors === 0 ? null : { events: row.events, horizon: row.horizon };
}

export async function advanceCursor(dataSource: DataSource, endpointId: string, xid: string, seq: string): Promise<void> {
  await ADVANCE.run(dataSource.manager, [endpointId, xid, seq]);
}

export async function startCursor(manager: EntityManager, endpointId: string): Promise<void> {
  await START.run(manager, [endpointId]);
}
