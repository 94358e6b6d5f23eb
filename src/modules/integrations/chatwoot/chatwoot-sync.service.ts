import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { decryptSecret } from '../../../common/crypto';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { AppConfig } from '../../../config/app-config';
import type { EventData, MessagePublic } from '../../../domain/events/event-catalogue';
import type { JobName } from '../../../queues/job-names';
import type { JobPayload } from '../../../queues/job-payloads';
import { ChatwootApiClient, ChatwootCallError } from './chatwoot-api.client';
import { findLink, type Link, loadContact, loadFlowState, loadSyncWork, markSyncWork, pendingBefore, saveLink, type SyncWork } from './chatwoot-store';

interface SyncContext {
  work: SyncWork;
  api: ChatwootApiClient;
}

const identifierOf = (contactId: string) => `conversa:${contactId}`;
const sourceIdOf = (messageId: string) => `conversa:${messageId}`;

/**
 * Applies one outbox event in Chatwoot. Every create is first looked up in the id map and, when a previous attempt
 * may have reached Chatwoot before failing, in Chatwoot itself; all of it under a lock per Conversa conversation.
 */
@Injectable()
export class ChatwootSyncService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async handle(job: Job<JobPayload<JobName.SyncChatwoot>>): Promise<'synced' | 'skipped'> {
    const work = await loadSyncWork(this.dataSource, job.data.syncEventId);
    if (!work || work.status !== 'pending') return 'skipped';
    const api = new ChatwootApiClient({ baseUrl: work.baseUrl, accountId: work.accountId, apiAccessToken: decryptSecret(work.apiAccessTokenEncrypted, this.config.encryptionKey) });
    // A conversation's events are applied oldest first, so Chatwoot shows them in order: this job applies the
    // pending ones before its own, and stops (to retry) at the first that fails.
    await this.withConversationLock(work.conversationId ?? work.id, async () => {
      for (const id of await pendingBefore(this.dataSource, work)) {
        const current = id === work.id ? work : await loadSyncWork(this.dataSource, id);
        if (current?.status === 'pending') await this.applyOne({ work: current, api }, id === work.id ? job : null);
      }
    });
    return 'synced';
  }

  /** `job` is the event's own job (its last attempt marks it failed); null when applied ahead by a later event's job. */
  private async applyOne(ctx: SyncContext, job: Job | null): Promise<void> {
    try {
      await this.apply(ctx);
    } catch (error) {
      const permanent = !(error instanceof ChatwootCallError && error.retryable);
      const final = permanent || (job !== null && job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
      await markSyncWork(this.dataSource, ctx.work.id, final ? 'failed' : 'pending', (error as Error).message);
      this.logger.warn({ syncEventId: ctx.work.id, err: { message: (error as Error).message } }, 'chatwoot sync attempt failed');
      // A permanently failed earlier event must not hold the conversation back.
      if (permanent && job === null) return;
      throw ChatwootApiClient.asJobError(error);
    }
    await markSyncWork(this.dataSource, ctx.work.id, 'synced', null);
  }

  private async apply(ctx: SyncContext): Promise<void> {
    if (ctx.work.eventType !== 'message.received' && ctx.work.eventType !== 'message.created') return;
    const { message } = ctx.work.data as EventData['message.received' | 'message.created'];
    const contact = await this.ensureContact(ctx, message.contactId);
    const conversationId = await this.ensureConversation(ctx, message.conversationId, contact);
    await this.ensureMessage(ctx, conversationId, message, message.direction === 'inbound' ? 'incoming' : 'outgoing');
    await this.mirrorFlowState(ctx, message.conversationId, conversationId);
  }

  /** The flow's current state (e.g. COTIZACION) and its computed values as conversation attributes; idempotent. */
  private async mirrorFlowState(ctx: SyncContext, conversationId: string, remoteConversationId: number): Promise<void> {
    const flow = await loadFlowState(this.dataSource, ctx.work.organizationId, conversationId);
    if (!flow) return;
    await ctx.api.setConversationAttributes(remoteConversationId, { conversa_conversation_id: conversationId, ...flow.vars, flow_state: flow.current });
  }

  /** A session-level advisory lock (no transaction stays open across the HTTP calls). */
  private async withConversationLock(key: string, fn: () => Promise<void>): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [`chatwoot:${key}`]);
      try {
        await fn();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`chatwoot:${key}`]);
      }
    } finally {
      await runner.release();
    }
  }

  private async ensureContact(ctx: SyncContext, contactId: string): Promise<Link> {
    const { integrationId, organizationId, inboxId } = ctx.work;
    const known = await findLink(this.dataSource, integrationId, 'contact', contactId);
    if (known) return known;
    const local = await loadContact(this.dataSource, organizationId, contactId);
    const identifier = identifierOf(contactId);
    const found = (await ctx.api.searchContacts(identifier)).payload[0];
    let link: Link;
    if (found) {
      const inInbox = found.contact_inboxes?.find((ci) => ci.inbox.id === inboxId);
      link = { remoteId: found.id, sourceId: inInbox?.source_id ?? (await ctx.api.createContactInbox(found.id, { inbox_id: inboxId })).source_id };
    } else {
      const phone = local?.phoneE164 ?? '';
      const created = await ctx.api.createContact({ inbox_id: inboxId, name: local?.name ?? phone, phone_number: phone, identifier });
      link = { remoteId: created.payload.contact.id, sourceId: created.payload.contact_inbox.source_id };
    }
    await saveLink(this.dataSource, integrationId, 'contact', contactId, link);
    return link;
  }

  private async ensureConversation(ctx: SyncContext, conversationId: string, contact: Link): Promise<number> {
    const { integrationId, inboxId } = ctx.work;
    const known = await findLink(this.dataSource, integrationId, 'conversation', conversationId);
    if (known) return known.remoteId;
    const existing = (await ctx.api.contactConversations(contact.remoteId)).payload.find(
      (c) => c.inbox_id === inboxId && c.custom_attributes?.conversa_conversation_id === conversationId,
    );
    const remote =
      existing ??
      (await ctx.api.createConversation({ source_id: contact.sourceId ?? '', inbox_id: inboxId, contact_id: contact.remoteId, custom_attributes: { conversa_conversation_id: conversationId } }));
    await saveLink(this.dataSource, integrationId, 'conversation', conversationId, { remoteId: remote.id, sourceId: null });
    return remote.id;
  }

  private async ensureMessage(ctx: SyncContext, remoteConversationId: number, message: MessagePublic, messageType: 'incoming' | 'outgoing'): Promise<void> {
    const { integrationId } = ctx.work;
    if (await findLink(this.dataSource, integrationId, 'message', message.id)) return;
    const sourceId = sourceIdOf(message.id);
    // An earlier attempt may have been created in Chatwoot and then lost its answer (timeout, 5xx after the write).
    const earlier = ctx.work.attempts > 0 ? (await ctx.api.listMessages(remoteConversationId)).payload.find((m) => m.source_id === sourceId) : undefined;
    const remote = earlier ?? (await ctx.api.createMessage(remoteConversationId, { content: message.text ?? `[${message.type}]`, message_type: messageType, private: false, source_id: sourceId }));
    await saveLink(this.dataSource, integrationId, 'message', message.id, { remoteId: remote.id, sourceId });
  }
}
