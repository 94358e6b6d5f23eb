import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { RetentionScope } from './data-copies';
import { MediaFiles } from './media-files.service';

/** Kinds of communications data an organisation's retention policy ages out. */
export type CommunicationsRetentionKind = 'conversations' | 'media' | 'messageBodies' | 'agentRuns' | 'campaignRecipients';

export interface CommunicationsRetentionScope extends RetentionScope {
  /** Closed-conversation cutoff when that policy is set: rows in those conversations go with them, not on their own. */
  conversationCutoff: Date | null;
}

export interface RetentionBatch {
  count: number;
  /** Media files (MEDIA_DIR-relative keys) to delete once the batch has committed. */
  storageKeys: string[];
}

const HELD_MESSAGE = `(m.contact_id = ANY($3::uuid[]) OR m.conversation_id = ANY($4::uuid[]))`;
/** Conversations the closed-conversation policy removes whole ($5: its cutoff, null when unset). */
const doomed = (column: string) =>
  `EXISTS (SELECT 1 FROM conversation c WHERE c.id = ${column} AND c.status = 'closed' AND $5::timestamptz IS NOT NULL AND c.closed_at < $5::timestamptz)`;

/** Candidate rows per kind ($1 organisation, $2 cutoff, $3 held contacts, $4 held conversations). */
const CANDIDATES: Record<CommunicationsRetentionKind, { sql: string; doomed: boolean }> = {
  conversations: {
    sql: `SELECT c.id FROM conversation c WHERE c.organization_id = $1 AND c.status = 'closed' AND c.closed_at < $2
          AND NOT (c.contact_id = ANY($3::uuid[]) OR c.id = ANY($4::uuid[]))`,
    doomed: false,
  },
  media: {
    sql: `SELECT ma.id FROM media_asset ma JOIN message m ON m.id = ma.message_id
          WHERE ma.organization_id = $1 AND ma.created_at < $2 AND NOT ${HELD_MESSAGE} AND NOT ${doomed('m.conversation_id')}`,
    doomed: true,
  },
  messageBodies: {
    sql: `SELECT m.id FROM message m WHERE m.organization_id = $1 AND m.created_at < $2
          AND (m.text IS NOT NULL OR m.content <> '{}'::jsonb OR m.template_variables IS NOT NULL)
          AND NOT ${HELD_MESSAGE} AND NOT ${doomed('m.conversation_id')}`,
    doomed: true,
  },
  agentRuns: {
    sql: `SELECT r.id FROM agent_run r WHERE r.organization_id = $1 AND r.created_at < $2 AND NOT r.conversation_id = ANY($4::uuid[])
          AND NOT EXISTS (SELECT 1 FROM conversation h WHERE h.id = r.conversation_id AND h.contact_id = ANY($3::uuid[]))
          AND NOT ${doomed('r.conversation_id')}`,
    doomed: true,
  },
  campaignRecipients: {
    sql: `SELECT r.id FROM campaign_recipient r WHERE r.organization_id = $1 AND r.created_at < $2
          AND NOT COALESCE(r.contact_id = ANY($3::uuid[]), false)
          AND NOT EXISTS (SELECT 1 FROM message m WHERE m.id = r.message_id AND m.conversation_id = ANY($4::uuid[]))`,
    doomed: false,
  },
};

/** What one batch does to its candidate ids ($1). */
const ACTIONS: Record<Exclude<CommunicationsRetentionKind, 'conversations'>, string> = {
  media: `DELETE FROM media_asset WHERE id = ANY($1::uuid[]) RETURNING storage_key`,
  // The row and its status stay; the search vector follows `text` through its trigger.
  messageBodies: `UPDATE message SET text = NULL, content = '{}'::jsonb, template_variables = NULL, error_message = NULL, updated_at = now()
                  WHERE id = ANY($1::uuid[]) RETURNING NULL::text AS storage_key`,
  agentRuns: `DELETE FROM agent_run WHERE id = ANY($1::uuid[]) RETURNING NULL::text AS storage_key`,
  campaignRecipients: `DELETE FROM campaign_recipient WHERE id = ANY($1::uuid[]) RETURNING NULL::text AS storage_key`,
};

/**
 * Communications' side of retention: counts and removes aged rows of the tables it owns, in small batches, each
 * its own short transaction (no long locks; a stopped run resumes where it left off since the criteria are the state).
 */
@Injectable()
export class RetentionStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly files: MediaFiles,
  ) {}

  async count(kind: CommunicationsRetentionKind, scope: CommunicationsRetentionScope): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM (${CANDIDATES[kind].sql}) AS candidates`, paramsFor(kind, scope))) as Array<{ n: number }>;
    return row.n;
  }

  /** Removes up to `limit` rows of one kind (a conversation counts as one), then the files they named. */
  async removeBatch(kind: CommunicationsRetentionKind, scope: CommunicationsRetentionScope, limit: number): Promise<RetentionBatch> {
    const batch = await this.dataSource.transaction(async (manager) => {
      const ids = ((await manager.query(`${CANDIDATES[kind].sql} ORDER BY 1 LIMIT ${Math.trunc(limit)}`, paramsFor(kind, scope))) as Array<{ id: string }>).map((r) => r.id);
      if (ids.length === 0) return { count: 0, storageKeys: [] };
      if (kind === 'conversations') return this.removeConversations(manager, ids);
      const [rows] = (await manager.query(ACTIONS[kind], [ids])) as [Array<{ storage_key: string | null }>, number];
      return { count: rows.length, storageKeys: keys(rows) };
    });
    await this.files.remove(batch.storageKeys);
    return batch;
  }

  /** Previews keep the latest text of a conversation: scrubbed with the bodies they copy. */
  async scrubPreviews(scope: CommunicationsRetentionScope): Promise<void> {
    await this.dataSource.query(
      `UPDATE conversation SET last_message_preview = NULL WHERE organization_id = $1 AND last_message_at < $2 AND last_message_preview IS NOT NULL
       AND NOT (contact_id = ANY($3::uuid[]) OR id = ANY($4::uuid[]))`,
      [scope.organizationId, scope.cutoff, scope.heldContactIds, scope.heldConversationIds],
    );
  }

  /** A conversation goes with its messages (and their search vectors), media, parked statuses and agent runs. */
  private async removeConversations(manager: EntityManager, candidateIds: string[]): Promise<RetentionBatch> {
    const locked = (await manager.query(`SELECT id FROM conversation WHERE id = ANY($1::uuid[]) AND status = 'closed' ORDER BY id FOR UPDATE SKIP LOCKED`, [
      candidateIds,
    ])) as Array<{ id: string }>;
    const ids = locked.map((row) => row.id);
    const [media] = (await manager.query(
      `DELETE FROM media_asset WHERE message_id IN (SELECT id FROM message WHERE conversation_id = ANY($1::uuid[])) RETURNING storage_key`,
      [ids],
    )) as [Array<{ storage_key: string | null }>, number];
    await manager.query(
      `DELETE FROM parked_status p USING message m WHERE m.conversation_id = ANY($1::uuid[])
       AND p.whatsapp_account_id = m.whatsapp_account_id AND p.provider_message_id = m.provider_message_id`,
      [ids],
    );
    await manager.query(`DELETE FROM agent_run WHERE conversation_id = ANY($1::uuid[])`, [ids]);
    await manager.query(`DELETE FROM message WHERE conversation_id = ANY($1::uuid[])`, [ids]);
    await manager.query(`DELETE FROM conversation WHERE id = ANY($1::uuid[])`, [ids]);
    return { count: ids.length, storageKeys: keys(media) };
  }
}

function paramsFor(kind: CommunicationsRetentionKind, scope: CommunicationsRetentionScope): unknown[] {
  const cutoff = kind === 'conversations' ? scope.conversationCutoff : scope.cutoff;
  const base = [scope.organizationId, cutoff, scope.heldContactIds, scope.heldConversationIds];
  return CANDIDATES[kind].doomed ? [...base, scope.conversationCutoff] : base;
}

function keys(rows: Array<{ storage_key: string | null }>): string[] {
  return rows.map((row) => row.storage_key).filter((key): key is string => Boolean(key));
}
