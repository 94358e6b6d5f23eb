import type { DataSource } from 'typeorm';

export interface FallbackTemplate {
  name: string;
  language: string;
  variables?: string[] | Record<string, string>;
}

export interface InboundWork {
  id: string;
  organizationId: string;
  integrationId: string;
  eventType: string;
  status: string;
  attempts: number;
  payload: Record<string, unknown>;
  baseUrl: string;
  accountId: number;
  apiAccessTokenEncrypted: string;
  fallbackTemplate: FallbackTemplate | null;
  resumeBotOnResolve: boolean;
}

export async function loadInboundWork(db: DataSource, id: string): Promise<InboundWork | null> {
  const [row] = await db.query(
    `SELECT e.id, e.organization_id AS "organizationId", e.integration_id AS "integrationId", e.event_type AS "eventType", e.status, e.attempts, e.payload,
            c.base_url AS "baseUrl", c.account_id AS "accountId", c.api_access_token_encrypted AS "apiAccessTokenEncrypted",
            c.fallback_template AS "fallbackTemplate", c.resume_bot_on_resolve AS "resumeBotOnResolve"
       FROM chatwoot_inbound_event e JOIN chatwoot_integration c ON c.id = e.integration_id
      WHERE e.id = $1`,
    [id],
  );
  return (row as InboundWork | undefined) ?? null;
}

/** The state guard: only a `received` event is marked, so a second run of the same job changes nothing. */
export async function markInbound(db: DataSource, id: string, status: 'received' | 'applied' | 'failed', outcome: string | null, error: string | null): Promise<void> {
  await db.query(`UPDATE chatwoot_inbound_event SET status = $2, outcome = $3, error = $4, attempts = attempts + 1, updated_at = now() WHERE id = $1 AND status = 'received'`, [
    id,
    status,
    outcome?.slice(0, 64) ?? null,
    error?.slice(0, 500) ?? null,
  ]);
}

/** The Conversa record a Chatwoot id is linked to, if any; `sourceId` is null for an agent reply Conversa sent. */
export async function findLocal(db: DataSource, integrationId: string, kind: 'conversation' | 'message', remoteId: number): Promise<{ localId: string; sourceId: string | null } | null> {
  const [row] = await db.query(`SELECT local_id AS "localId", source_id AS "sourceId" FROM chatwoot_link WHERE integration_id = $1 AND kind = $2 AND remote_id = $3 LIMIT 1`, [
    integrationId,
    kind,
    remoteId,
  ]);
  return row ?? null;
}

export async function conversationOf(db: DataSource, organizationId: string, id: string): Promise<{ id: string; status: string; botPaused: boolean } | null> {
  const [row] = await db.query(`SELECT id, status, bot_paused AS "botPaused" FROM conversation WHERE organization_id = $1 AND id = $2`, [organizationId, id]);
  return row ?? null;
}

export async function userByEmail(db: DataSource, organizationId: string, email: string): Promise<string | null> {
  const [row] = await db.query(`SELECT id FROM "user" WHERE organization_id = $1 AND lower(email) = lower($2)`, [organizationId, email]);
  return row?.id ?? null;
}
