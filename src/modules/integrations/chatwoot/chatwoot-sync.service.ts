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
import { findLink, type Link, loadContact, loadSyncWork, markSyncWork, saveLink, type SyncWork } from './chatwoot-store';

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
    try {
      await this.apply({ work, api });
    } catch (error) {
      const final = !(error instanceof ChatwootCallError && error.retryable) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await markSyncWork(this.dataSource, work.id, final ? 'failed' : 'pending', (error as Error).message);
      this.logger.warn({ syncEventId: work.id, err: { message: (error as Error).message } }, 'chatwoot sync attempt failed');
      throw ChatwootApiClient.asJobError(error);
    }
    await markSyncWork(this.dataSource, work.id, 'synced', null);
    return 'synced';
  }

  private async apply(ctx: SyncContext): Promise<void> {
    if (ctx.work.eventType !== 'message.received') return;
    const { message } = ctx.work.data as EventData['message.received'];
    await this.withConversationLock(message.conversationId, async () => {
      const contact = await this.ensureContact(ctx, message.contactId);
      const conversationId = await this.ensureConversation(ctx, message.conversationId, contact);
      await this.ensureMessage(ctx, conversationId, message, 'incoming');
    });
  }

  /** A session-level advisory lock (no transaction stays open across the HTTP calls). */
  private async withConversationLock(conversationId: string, fn: () => Promise<void>): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [`chatwoot:${conversationId}`]);
      try {
        await fn();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`chatwoot:${conversationId}`]);
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
