import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { decryptSecret } from '../../../common/crypto';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { AppConfig } from '../../../config/app-config';
import type { EventData } from '../../../domain/events/event-catalogue';
import type { JobName } from '../../../queues/job-names';
import type { JobPayload } from '../../../queues/job-payloads';
import { withChatwootConversationLock } from './chatwoot-lock';
import { type ChatwootAttachment, ChatwootApiClient, ChatwootCallError, type ChatwootConversationStatus } from './chatwoot-api.client';
import {
  findLink,
  type IntegrationRow,
  type Link,
  linkedIds,
  loadContact,
  loadConversation,
  loadFlowState,
  loadIdempotencyKey,
  loadIntegration,
  loadMediaOf,
  loadMessages,
  type LocalConversation,
  type LocalMessage,
  loadSyncWork,
  markSyncWork,
  pendingBefore,
  saveLink,
  type Queryable,
  type SyncWork,
} from './chatwoot-store';
import { handoffNoteOf } from './chatwoot-handoff-note';
import { agentReplyIdOf } from './chatwoot-payload';

/** Where a sync writes: one integration's Chatwoot account and inbox. `retrying`: an earlier attempt may have written already. */
export interface SyncScope {
  integrationId: string;
  organizationId: string;
  inboxId: number;
  api: ChatwootApiClient;
  retrying: boolean;
  db: Queryable;
}

interface SyncContext {
  work: SyncWork;
  scope: SyncScope;
}

const identifierOf = (contactId: string) => `conversa:${contactId}`;
const sourceIdOf = (messageId: string) => `conversa:${messageId}`;
const noteSourceIdOf = (eventId: string) => `conversa:note:${eventId}`;

/** How long a message waits for its media to be downloaded before it is mirrored without the file. */
const MEDIA_WAIT_SECONDS = 600;

/** Conversa's open/closed as Chatwoot's status. */
export const remoteStatusOf = (status: LocalConversation['status']): ChatwootConversationStatus => (status === 'closed' ? 'resolved' : 'open');

/**
 * Applies one outbox event in Chatwoot. Every create is first looked up in the id map and, when a previous attempt
 * may have reached Chatwoot before failing, in Chatwoot itself; all of it under a lock per Conversa conversation.
 * Backfill and reconcile go through the same creates (`syncConversation`).
 */
@Injectable()
export class ChatwootSyncService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  clientFor(target: Pick<IntegrationRow, 'baseUrl' | 'accountId' | 'apiAccessTokenEncrypted'>): ChatwootApiClient {
    return new ChatwootApiClient({ baseUrl: target.baseUrl, accountId: target.accountId, apiAccessToken: decryptSecret(target.apiAccessTokenEncrypted, this.config.encryptionKey) });
  }

  scopeOf(integration: IntegrationRow, retrying: boolean): SyncScope {
    return { integrationId: integration.id, organizationId: integration.organizationId, inboxId: integration.inboxId, api: this.clientFor(integration), retrying, db: this.dataSource };
  }

  async handle(job: Job<JobPayload<JobName.SyncChatwoot>>): Promise<'synced' | 'skipped'> {
    const work = await loadSyncWork(this.dataSource, job.data.syncEventId);
    if (!work || work.status !== 'pending') return 'skipped';
    const api = this.clientFor(work);
    const scopeOfWork = (w: SyncWork, db: Queryable): SyncScope => ({ integrationId: w.integrationId, organizationId: w.organizationId, inboxId: w.inboxId, api, retrying: w.attempts > 0, db });
    // A conversation's events are applied oldest first, so Chatwoot shows them in order: this job applies the
    // pending ones before its own, and stops (to retry) at the first that fails.
    await this.withConversationLock(work.conversationId ?? work.id, async (db) => {
      for (const id of await pendingBefore(db, work)) {
        const current = id === work.id ? work : await loadSyncWork(db, id);
        if (current?.status === 'pending') await this.applyOne({ work: current, scope: scopeOfWork(current, db) }, id === work.id ? job : null);
      }
    });
    return 'synced';
  }

  /** Backfill's job: one whole conversation (contact, conversation, every message) through the id-mapped creates. */
  async handleBackfill(job: Job<JobPayload<JobName.BackfillChatwoot>>): Promise<'synced' | 'skipped'> {
    const integration = await loadIntegration(this.dataSource, job.data.integrationId);
    if (!integration) return 'skipped';
    const scope = this.scopeOf(integration, job.attemptsMade > 0);
    try {
      await this.withConversationLock(job.data.conversationId, (db) => this.syncConversation({ ...scope, db }, job.data.conversationId).then(() => undefined));
    } catch (error) {
      throw ChatwootApiClient.asJobError(error);
    }
    // Once a second at most: a backfill's concurrent jobs would otherwise queue on this row.
    await this.dataSource.query(`UPDATE chatwoot_integration SET last_synced_at = now() WHERE id = $1 AND (last_synced_at IS NULL OR last_synced_at < now() - interval '1 second')`, [
      integration.id,
    ]);
    return 'synced';
  }

  /**
   * Creates whatever of the conversation Chatwoot lacks; the caller holds the conversation's lock. A conversation
   * created here also gets its status, labels and flow state; an existing one is left to the events and reconcile.
   * Answers how many messages it created.
   */
  async syncConversation(scope: SyncScope, conversationId: string): Promise<{ createdConversation: boolean; createdMessages: number } | null> {
    const local = await loadConversation(scope.db, scope.organizationId, conversationId);
    if (!local) return null;
    const known = await findLink(scope.db, scope.integrationId, 'conversation', conversationId);
    const remoteId = known?.remoteId ?? (await this.ensureConversation(scope, conversationId, await this.ensureContact(scope, local.contactId)));
    const messages = await loadMessages(scope.db, scope.organizationId, conversationId);
    const linked = await linkedIds(scope.db, scope.integrationId, 'message', messages.map((m) => m.id));
    const missing = messages.filter((m) => !linked.has(m.id));
    // A conversation that existed already may hold some of them from an attempt whose answer was lost.
    const earlier = missing.length > 0 && (known || scope.retrying) ? await this.remoteSourceIds(scope, remoteId) : new Map<string, number>();
    for (const message of missing) await this.ensureMessage(scope, remoteId, message, earlier);
    if (!known) {
      if (local.status === 'closed') await scope.api.toggleStatus(remoteId, 'resolved');
      if (local.labels.length > 0) await scope.api.setLabels(remoteId, local.labels);
      await this.mirrorFlowState(scope, conversationId, remoteId);
    }
    return { createdConversation: !known, createdMessages: missing.length };
  }

  withConversationLock(conversationId: string, fn: (db: Queryable) => Promise<void>): Promise<void> {
    return withChatwootConversationLock(this.dataSource, conversationId, fn);
  }

  /** `job` is the event's own job (its last attempt marks it failed); null when applied ahead by a later event's job. */
  private async applyOne(ctx: SyncContext, job: Job | null): Promise<void> {
    try {
      await this.apply(ctx);
    } catch (error) {
      // Only Chatwoot's refusals are permanent: a database error or a crash bug retries like a 5xx.
      const permanent = error instanceof ChatwootCallError && !error.retryable;
      const final = permanent || (job !== null && job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
      await markSyncWork(ctx.scope.db, ctx.work.id, final ? 'failed' : 'pending', (error as Error).message);
      this.logger.warn({ syncEventId: ctx.work.id, err: { message: (error as Error).message } }, 'chatwoot sync attempt failed');
      // A permanently failed earlier event must not hold the conversation back.
      if (permanent && job === null) return;
      throw ChatwootApiClient.asJobError(error);
    }
    await markSyncWork(ctx.scope.db, ctx.work.id, 'synced', null);
  }

  private async apply(ctx: SyncContext): Promise<void> {
    const { work, scope } = ctx;
    switch (work.eventType) {
      case 'message.received':
      case 'message.created': {
        const { message } = work.data as EventData['message.received' | 'message.created'];
        const contact = await this.ensureContact(scope, message.contactId);
        const remoteId = await this.ensureConversation(scope, message.conversationId, contact);
        const earlier = scope.retrying ? await this.remoteSourceIds(scope, remoteId) : new Map<string, number>();
        await this.ensureMessage(scope, remoteId, message, earlier);
        await this.mirrorFlowState(scope, message.conversationId, remoteId);
        return;
      }
      case 'conversation.updated':
        return this.applyConversationChange(ctx, work.data as EventData['conversation.updated']);
      case 'message.status':
        return this.applyMessageStatus(scope, work.data as EventData['message.status']);
      default:
        return;
    }
  }

  /** Bot state and labels as Chatwoot sees them: a handoff opens the conversation for a person, a close resolves it. */
  private async applyConversationChange(ctx: SyncContext, data: EventData['conversation.updated']): Promise<void> {
    const { scope } = ctx;
    const mirrored = ['handoff', 'closed', 'auto_closed', 'reopened', 'labels', 'flow_state'];
    if (!mirrored.includes(data.change)) return;
    const remoteId = await this.ensureConversation(scope, data.conversationId, await this.ensureContact(scope, data.conversation.contactId));
    switch (data.change) {
      case 'handoff': {
        await scope.api.toggleStatus(remoteId, 'open');
        await scope.api.assign(remoteId, null);
        await this.ensureNote(ctx, remoteId, handoffNoteOf(data.reason));
        return;
      }
      case 'closed':
      case 'auto_closed':
        return void (await scope.api.toggleStatus(remoteId, 'resolved'));
      case 'reopened':
        return void (await scope.api.toggleStatus(remoteId, 'open'));
      case 'labels':
        return void (await scope.api.setLabels(remoteId, data.conversation.labels));
      case 'flow_state':
        return this.mirrorFlowState(scope, data.conversationId, remoteId);
    }
  }

  /** A message WhatsApp refused shows as failed in Chatwoot, with the provider's error (API-channel inboxes allow this). */
  private async applyMessageStatus(scope: SyncScope, data: EventData['message.status']): Promise<void> {
    if (data.status !== 'failed') return;
    const message = await findLink(scope.db, scope.integrationId, 'message', data.messageId);
    const conversation = await findLink(scope.db, scope.integrationId, 'conversation', data.conversationId);
    // Never mirrored (sent before the integration existed): nothing in Chatwoot to mark.
    if (!message || !conversation) return;
    const error = data.error ? [data.error.code, data.error.title, data.error.message].filter(Boolean).join(' ') : '';
    await scope.api.updateMessageStatus(conversation.remoteId, message.remoteId, { status: 'failed', external_error: error || 'failed' });
  }

  /** A private note for the agents, written once per event (looked up by its source_id when retried). */
  private async ensureNote(ctx: SyncContext, remoteConversationId: number, content: string): Promise<void> {
    const { scope, work } = ctx;
    const eventId = await this.eventIdOf(scope, work.id);
    if (await findLink(scope.db, scope.integrationId, 'note', eventId)) return;
    const sourceId = noteSourceIdOf(eventId);
    const earlier = scope.retrying ? (await scope.api.allMessages(remoteConversationId)).find((m) => m.source_id === sourceId) : undefined;
    const remote = earlier ?? (await scope.api.createMessage(remoteConversationId, { content, message_type: 'outgoing', private: true, source_id: sourceId }));
    await saveLink(scope.db, scope.integrationId, 'note', eventId, { remoteId: remote.id, sourceId });
  }

  private async eventIdOf(scope: SyncScope, syncEventId: string): Promise<string> {
    const [row] = await scope.db.query(`SELECT event_id AS "eventId" FROM chatwoot_sync_event WHERE id = $1`, [syncEventId]);
    return row.eventId;
  }

  /** The flow's current state (e.g. COTIZACION) and its computed values as conversation attributes; idempotent. */
  private async mirrorFlowState(scope: SyncScope, conversationId: string, remoteConversationId: number): Promise<void> {
    const flow = await loadFlowState(scope.db, scope.organizationId, conversationId);
    if (!flow) return;
    await scope.api.setConversationAttributes(remoteConversationId, { conversa_conversation_id: conversationId, ...flow.vars, flow_state: flow.current });
  }

  private async ensureContact(scope: SyncScope, contactId: string): Promise<Link> {
    const { integrationId, organizationId, inboxId } = scope;
    const known = await findLink(scope.db, integrationId, 'contact', contactId);
    if (known) return known;
    const local = await loadContact(scope.db, organizationId, contactId);
    const identifier = identifierOf(contactId);
    const found = (await scope.api.searchContacts(identifier)).payload[0];
    let link: Link;
    if (found) {
      const inInbox = found.contact_inboxes?.find((ci) => ci.inbox.id === inboxId);
      link = { remoteId: found.id, sourceId: inInbox?.source_id ?? (await scope.api.createContactInbox(found.id, { inbox_id: inboxId })).source_id };
    } else {
      const phone = local?.phoneE164 ?? '';
      const created = await scope.api.createContact({ inbox_id: inboxId, name: local?.name ?? phone, phone_number: phone, identifier });
      link = { remoteId: created.payload.contact.id, sourceId: created.payload.contact_inbox.source_id, fresh: true };
    }
    await saveLink(scope.db, integrationId, 'contact', contactId, link);
    return link;
  }

  private async ensureConversation(scope: SyncScope, conversationId: string, contact: Link): Promise<number> {
    const { integrationId, inboxId } = scope;
    const known = await findLink(scope.db, integrationId, 'conversation', conversationId);
    if (known) return known.remoteId;
    // A contact created just now has no conversation to find.
    const existing = contact.fresh
      ? undefined
      : (await scope.api.contactConversations(contact.remoteId)).payload.find((c) => c.inbox_id === inboxId && c.custom_attributes?.conversa_conversation_id === conversationId);
    const remote =
      existing ??
      (await scope.api.createConversation({ source_id: contact.sourceId ?? '', inbox_id: inboxId, contact_id: contact.remoteId, custom_attributes: { conversa_conversation_id: conversationId } }));
    await saveLink(scope.db, integrationId, 'conversation', conversationId, { remoteId: remote.id, sourceId: null });
    return remote.id;
  }

  /** The conversation's messages in Chatwoot that carry a Conversa source_id: source_id → Chatwoot id. */
  private async remoteSourceIds(scope: SyncScope, remoteConversationId: number): Promise<Map<string, number>> {
    const payload = await scope.api.allMessages(remoteConversationId);
    return new Map(payload.filter((m) => m.source_id).map((m) => [m.source_id as string, m.id]));
  }

  /** `earlier`: what Chatwoot already holds (an attempt may have written and then lost its answer: timeout, 5xx after the write). */
  private async ensureMessage(scope: SyncScope, remoteConversationId: number, message: LocalMessage, earlier: Map<string, number>): Promise<void> {
    const { integrationId } = scope;
    if (await findLink(scope.db, integrationId, 'message', message.id)) return;
    if (message.direction === 'outbound' && (await this.linkAgentReply(scope, remoteConversationId, message.id))) return;
    const sourceId = sourceIdOf(message.id);
    const known = earlier.get(sourceId);
    const attachment = known ? undefined : await this.attachmentOf(scope, message);
    const remoteId =
      known ??
      (
        await scope.api.createMessage(
          remoteConversationId,
          {
            // With a file attached an empty text shows as the file alone; without one the type stands in.
            content: message.text ?? (attachment ? '' : `[${message.type}]`),
            message_type: message.direction === 'inbound' ? 'incoming' : 'outgoing',
            private: false,
            source_id: sourceId,
          },
          attachment,
        )
      ).id;
    await saveLink(scope.db, integrationId, 'message', message.id, { remoteId, sourceId });
  }

  /**
   * An agent's Chatwoot reply that Conversa sent but never linked (its worker died in between) is already in
   * Chatwoot: it is linked to the agent's message there, not written a second time.
   */
  private async linkAgentReply(scope: SyncScope, remoteConversationId: number, messageId: string): Promise<boolean> {
    const remoteId = agentReplyIdOf(await loadIdempotencyKey(scope.db, scope.organizationId, messageId), scope.integrationId);
    if (!remoteId) return false;
    // Only where it still is: a conversation made again in Chatwoot (the old one deleted) gets the reply as a message of its own.
    if (!(await scope.api.allMessages(remoteConversationId)).some((m) => m.id === remoteId)) return false;
    await saveLink(scope.db, scope.integrationId, 'message', messageId, { remoteId, sourceId: null });
    return true;
  }

  /**
   * The message's file from Conversa's media storage. A download still under way makes the attempt retry (so the
   * agent sees the file, not a placeholder); one that failed, or never finished, leaves the message without it.
   */
  private async attachmentOf(scope: SyncScope, message: LocalMessage): Promise<ChatwootAttachment | undefined> {
    const media = await loadMediaOf(scope.db, scope.organizationId, message.id);
    if (!media) return undefined;
    if (media.status === 'pending' && media.ageSeconds < MEDIA_WAIT_SECONDS) throw new ChatwootCallError(null, 'media not downloaded yet');
    if (media.status !== 'stored' || !media.storageKey) return undefined;
    const root = resolve(this.config.MEDIA_DIR);
    const path = resolve(root, media.storageKey);
    if (!path.startsWith(root + sep)) return undefined;
    const data = await readFile(path).catch(() => null);
    if (!data) return undefined;
    const mimeType = media.mimeType ?? 'application/octet-stream';
    return { data, mimeType, fileName: media.filename ?? `${message.type}-${message.id}.${mimeType.split('/')[1]?.split(';')[0] ?? 'bin'}` };
  }
}
