import type { DataSource, EntityManager } from 'typeorm';
import type { EventData, EventType } from '../../../domain/events/event-catalogue';

/** `note`: a private note written for an event (its local id is the outbox event's id). */
/** A pool (DataSource) or one connection (a lock holder's EntityManager). */
export type Queryable = Pick<DataSource | EntityManager, 'query'>;

export type LinkKind = 'contact' | 'conversation' | 'message' | 'note';

export interface Link {
  remoteId: number;
  sourceId: string | null;
  /** Created by this call (not found in the map or in Chatwoot). */
  fresh?: boolean;
}

export interface SyncWork {
  id: string;
  organizationId: string;
  integrationId: string;
  status: string;
  attempts: number;
  eventType: EventType;
  eventSeq: string;
  conversationId: string | null;
  data: EventData[EventType];
  baseUrl: string;
  accountId: number;
  inboxId: number;
  apiAccessTokenEncrypted: string;
}

export async function loadSyncWork(db: Queryable, id: string): Promise<SyncWork | null> {
  const [row] = await db.query(
    `SELECT s.id, s.organization_id AS "organizationId", s.integration_id AS "integrationId", s.status, s.attempts, s.event_type AS "eventType", s.event_seq AS "eventSeq", s.conversation_id AS "conversationId", o.data,
            c.base_url AS "baseUrl", c.account_id AS "accountId", c.inbox_id AS "inboxId", c.api_access_token_encrypted AS "apiAccessTokenEncrypted"
       FROM chatwoot_sync_event s JOIN outbox_event o ON o.id = s.event_id JOIN chatwoot_integration c ON c.id = s.integration_id
      WHERE s.id = $1`,
    [id],
  );
  return (row as SyncWork | undefined) ?? null;
}

/** The conversation's pending events up to and including `work`, oldest first. */
export async function pendingBefore(db: Queryable, work: SyncWork): Promise<string[]> {
  if (!work.conversationId) return [work.id];
  const rows = await db.query(
    `SELECT id FROM chatwoot_sync_event WHERE integration_id = $1 AND conversation_id = $2 AND status = 'pending' AND event_seq <= $3 ORDER BY event_seq`,
    [work.integrationId, work.conversationId, work.eventSeq],
  );
  return rows.map((r: { id: string }) => r.id);
}

export async function markSyncWork(db: Queryable, id: string, status: 'pending' | 'synced' | 'failed', error: string | null): Promise<void> {
  await db.query(`UPDATE chatwoot_sync_event SET status = $2, attempts = attempts + 1, error = $3, updated_at = now() WHERE id = $1`, [id, status, error?.slice(0, 500) ?? null]);
  if (status === 'synced') await db.query(`UPDATE chatwoot_integration c SET last_synced_at = now() FROM chatwoot_sync_event s WHERE s.id = $1 AND c.id = s.integration_id`, [id]);
}

export async function findLink(db: Queryable, integrationId: string, kind: LinkKind, localId: string): Promise<Link | null> {
  const [row] = await db.query(`SELECT remote_id AS "remoteId", source_id AS "sourceId" FROM chatwoot_link WHERE integration_id = $1 AND kind = $2 AND local_id = $3`, [
    integrationId,
    kind,
    localId,
  ]);
  return row ? { remoteId: Number(row.remoteId), sourceId: row.sourceId } : null;
}

export async function saveLink(db: Queryable, integrationId: string, kind: LinkKind, localId: string, link: Link): Promise<void> {
  await db.query(`INSERT INTO chatwoot_link (integration_id, kind, local_id, remote_id, source_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [
    integrationId,
    kind,
    localId,
    link.remoteId,
    link.sourceId,
  ]);
}

export async function loadContact(db: Queryable, organizationId: string, contactId: string): Promise<{ phoneE164: string | null; name: string | null } | null> {
  const [row] = await db.query(`SELECT phone_e164 AS "phoneE164", COALESCE(name, profile_name) AS name FROM contact WHERE organization_id = $1 AND id = $2`, [organizationId, contactId]);
  return row ?? null;
}

/** The bot's flow state (`bot_state.flow`: current state and computed values such as the quote), or null. */
export async function loadFlowState(db: Queryable, organizationId: string, conversationId: string): Promise<{ current: string; vars: Record<string, unknown> } | null> {
  const [row] = await db.query(`SELECT bot_state -> 'flow' AS flow FROM conversation WHERE organization_id = $1 AND id = $2`, [organizationId, conversationId]);
  const flow = row?.flow as { current?: string; vars?: Record<string, unknown> } | null | undefined;
  return flow?.current ? { current: flow.current, vars: flow.vars ?? {} } : null;
}

export interface IntegrationRow {
  id: string;
  organizationId: string;
  baseUrl: string;
  accountId: number;
  inboxId: number;
  apiAccessTokenEncrypted: string;
}

const INTEGRATION_COLUMNS = `id, organization_id AS "organizationId", base_url AS "baseUrl", account_id AS "accountId", inbox_id AS "inboxId", api_access_token_encrypted AS "apiAccessTokenEncrypted"`;

export async function loadIntegration(db: Queryable, integrationId: string): Promise<IntegrationRow | null> {
  const [row] = await db.query(`SELECT ${INTEGRATION_COLUMNS} FROM chatwoot_integration WHERE id = $1 AND enabled`, [integrationId]);
  return (row as IntegrationRow | undefined) ?? null;
}

export async function enabledIntegrations(db: DataSource): Promise<IntegrationRow[]> {
  return db.query(`SELECT ${INTEGRATION_COLUMNS} FROM chatwoot_integration WHERE enabled ORDER BY created_at`);
}

export interface LocalConversation {
  id: string;
  contactId: string;
  status: 'open' | 'closed';
  labels: string[];
}

export async function loadConversation(db: Queryable, organizationId: string, conversationId: string): Promise<LocalConversation | null> {
  const [row] = await db.query(`SELECT id, contact_id AS "contactId", status, labels FROM conversation WHERE organization_id = $1 AND id = $2`, [organizationId, conversationId]);
  return (row as LocalConversation | undefined) ?? null;
}

export interface LocalMessage {
  id: string;
  direction: 'inbound' | 'outbound';
  type: string;
  text: string | null;
}

/** A conversation's messages, oldest first (the order Chatwoot shows them in). */
export async function loadMessages(db: Queryable, organizationId: string, conversationId: string): Promise<LocalMessage[]> {
  return db.query(`SELECT id, direction, type, text FROM message WHERE organization_id = $1 AND conversation_id = $2 ORDER BY occurred_at, created_at`, [organizationId, conversationId]);
}

/** The key a message was sent with (an agent's Chatwoot reply carries `chatwoot:<integration>:<message id>`). */
export async function loadIdempotencyKey(db: Queryable, organizationId: string, messageId: string): Promise<string | null> {
  const [row] = await db.query(`SELECT idempotency_key AS key FROM message WHERE organization_id = $1 AND id = $2`, [organizationId, messageId]);
  return row?.key ?? null;
}

/** Which of `localIds` the id map already links. */
export async function linkedIds(db: Queryable, integrationId: string, kind: LinkKind, localIds: string[]): Promise<Map<string, Link>> {
  if (localIds.length === 0) return new Map();
  const rows: Array<{ localId: string; remoteId: string; sourceId: string | null }> = await db.query(
    `SELECT local_id AS "localId", remote_id AS "remoteId", source_id AS "sourceId" FROM chatwoot_link WHERE integration_id = $1 AND kind = $2 AND local_id = ANY($3::uuid[])`,
    [integrationId, kind, localIds],
  );
  return new Map(rows.map((r) => [r.localId, { remoteId: Number(r.remoteId), sourceId: r.sourceId }]));
}

/** Forgets links whose Chatwoot record is gone (deleted there), so the next sync creates it again. */
export async function forgetLinks(db: Queryable, integrationId: string, kind: LinkKind, localIds: string[]): Promise<void> {
  if (localIds.length === 0) return;
  await db.query(`DELETE FROM chatwoot_link WHERE integration_id = $1 AND kind = $2 AND local_id = ANY($3::uuid[])`, [integrationId, kind, localIds]);
}

export interface LocalMedia {
  status: 'pending' | 'stored' | 'failed';
  storageKey: string | null;
  mimeType: string | null;
  filename: string | null;
  ageSeconds: number;
}

/** The media a message carries (downloaded from WhatsApp or uploaded), if any. */
export async function loadMediaOf(db: Queryable, organizationId: string, messageId: string): Promise<LocalMedia | null> {
  const [row] = await db.query(
    `SELECT status, storage_key AS "storageKey", mime_type AS "mimeType", filename, EXTRACT(EPOCH FROM now() - created_at)::float8 AS "ageSeconds"
       FROM media_asset WHERE organization_id = $1 AND message_id = $2 ORDER BY created_at LIMIT 1`,
    [organizationId, messageId],
  );
  return (row as LocalMedia | undefined) ?? null;
}
