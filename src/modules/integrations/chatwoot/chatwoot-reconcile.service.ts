import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { AppConfig } from '../../../config/app-config';
import { ChatwootCallError, type ChatwootConversation } from './chatwoot-api.client';
import { enabledIntegrations, findLink, forgetLinks, type IntegrationRow, linkedIds, loadMessages } from './chatwoot-store';
import { ChatwootSyncService, remoteStatusOf, type SyncScope } from './chatwoot-sync.service';

/** What one reconcile found (and repaired) for an integration. */
export interface ChatwootDrift {
  conversationsChecked: number;
  missingConversations: number;
  missingMessages: number;
  statusMismatches: number;
  /** Chatwoot conversations of the inbox that claim a Conversa conversation mapped to another one (made outside the sync); reported, not deleted. */
  duplicateConversations: number;
  repaired: number;
  errors: number;
}

const MAX_CONVERSATIONS = 500;
const MAX_PAGES = 20;

interface RecentConversation {
  id: string;
  status: 'open' | 'closed';
}

/**
 * Compares the conversations active within the window on both sides and repairs drift: a conversation or
 * messages missing in Chatwoot (never synced, or deleted there) are created through the sync's id-mapped creates,
 * and a status that differs is set again. Runs as the scheduled `integrations.reconcile-chatwoot`.
 */
@Injectable()
export class ChatwootReconcileService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sync: ChatwootSyncService,
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async handle(): Promise<Record<string, ChatwootDrift>> {
    const report: Record<string, ChatwootDrift> = {};
    for (const integration of await enabledIntegrations(this.dataSource)) report[integration.id] = await this.reconcile(integration);
    return report;
  }

  async reconcile(integration: IntegrationRow): Promise<ChatwootDrift> {
    const drift: ChatwootDrift = { conversationsChecked: 0, missingConversations: 0, missingMessages: 0, statusMismatches: 0, duplicateConversations: 0, repaired: 0, errors: 0 };
    const scope = this.sync.scopeOf(integration, true);
    const since = new Date(Date.now() - this.config.CHATWOOT_RECONCILE_WINDOW_HOURS * 3600_000);
    const recent: RecentConversation[] = await this.dataSource.query(
      `SELECT id, status FROM conversation WHERE organization_id = $1 AND COALESCE(last_message_at, created_at) >= $2 ORDER BY COALESCE(last_message_at, created_at) DESC LIMIT $3`,
      [integration.organizationId, since, MAX_CONVERSATIONS],
    );
    for (const conversation of recent) {
      drift.conversationsChecked += 1;
      try {
        await this.sync.withConversationLock(conversation.id, (db) => this.reconcileOne({ ...scope, db }, conversation, drift));
      } catch (error) {
        drift.errors += 1;
        this.logger.warn({ integrationId: integration.id, conversationId: conversation.id, err: { message: (error as Error).message } }, 'chatwoot reconcile of a conversation failed');
      }
    }
    try {
      drift.duplicateConversations = await this.countDuplicates(scope, since);
    } catch (error) {
      drift.errors += 1;
      this.logger.warn({ integrationId: integration.id, err: { message: (error as Error).message } }, 'chatwoot reconcile could not list the inbox');
    }
    await this.dataSource.query(`UPDATE chatwoot_integration SET last_reconciled_at = now(), drift = $2 WHERE id = $1`, [integration.id, JSON.stringify(drift)]);
    return drift;
  }

  private async reconcileOne(scope: SyncScope, conversation: RecentConversation, drift: ChatwootDrift): Promise<void> {
    const link = await findLink(scope.db, scope.integrationId, 'conversation', conversation.id);
    const remote = link ? await this.remoteConversation(scope, link.remoteId) : null;
    const messageIds = (await loadMessages(scope.db, scope.organizationId, conversation.id)).map((m) => m.id);
    const linked = await linkedIds(scope.db, scope.integrationId, 'message', messageIds);
    let repairs = 0;
    if (!remote) {
      drift.missingConversations += 1;
      drift.missingMessages += messageIds.length;
      repairs += 1;
      // Deleted in Chatwoot: forget the links so the conversation and its messages are created again.
      if (link) await forgetLinks(scope.db, scope.integrationId, 'conversation', [conversation.id]);
      await forgetLinks(scope.db, scope.integrationId, 'message', [...linked.keys()]);
    } else {
      const present = new Set((await scope.api.allMessages(link!.remoteId)).map((m) => m.id));
      const gone = [...linked].filter(([, l]) => !present.has(l.remoteId)).map(([id]) => id);
      await forgetLinks(scope.db, scope.integrationId, 'message', gone);
      const missing = messageIds.length - linked.size + gone.length;
      drift.missingMessages += missing;
      if (missing > 0) repairs += 1;
      const wanted = remoteStatusOf(conversation.status);
      // `pending` and `snoozed` are open conversations for Conversa's purposes.
      if ((remote.status === 'resolved') !== (wanted === 'resolved')) {
        drift.statusMismatches += 1;
        await scope.api.toggleStatus(link!.remoteId, wanted);
        drift.repaired += 1;
      }
    }
    if (repairs === 0) return;
    await this.sync.syncConversation(scope, conversation.id);
    drift.repaired += repairs;
  }

  /** Chatwoot's side: the inbox's conversations active within the window, checked against the id map. */
  private async countDuplicates(scope: SyncScope, since: Date): Promise<number> {
    const claimed = new Map<string, number[]>();
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const { payload } = (await scope.api.listConversations(scope.inboxId, page)).data;
      for (const c of payload) {
        const local = c.custom_attributes?.conversa_conversation_id;
        if (typeof local === 'string') claimed.set(local, [...(claimed.get(local) ?? []), c.id]);
      }
      const oldest = Math.min(...payload.map((c) => c.last_activity_at ?? Infinity));
      if (payload.length === 0 || oldest * 1000 < since.getTime()) break;
    }
    const ids = [...claimed.keys()].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    const links = await linkedIds(this.dataSource, scope.integrationId, 'conversation', ids);
    return ids.reduce((n, id) => n + (claimed.get(id) ?? []).filter((remoteId) => links.has(id) && links.get(id)!.remoteId !== remoteId).length, 0);
  }

  private async remoteConversation(scope: SyncScope, remoteId: number): Promise<ChatwootConversation | null> {
    try {
      return await scope.api.getConversation(remoteId);
    } catch (error) {
      if (error instanceof ChatwootCallError && error.status === 404) return null;
      throw error;
    }
  }
}
