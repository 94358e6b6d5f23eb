import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { decryptSecret } from '../../../common/crypto';
import { DomainError } from '../../../common/errors/domain-error';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { AppConfig } from '../../../config/app-config';
import type { JobName } from '../../../queues/job-names';
import type { JobPayload } from '../../../queues/job-payloads';
import { ConversationActionsService } from '../../communications/conversations/conversation-actions.service';
import { CommunicationsErrorCode } from '../../communications/communications.errors';
import { SendMessageService } from '../../communications/outbound/send-message.service';
import { ChatwootApiClient, ChatwootCallError } from './chatwoot-api.client';
import { withChatwootConversationLock } from './chatwoot-lock';
import { conversationOf, findLocal, type InboundWork, loadInboundWork, markInbound, userByEmail } from './chatwoot-inbound.store';
import { type AgentReply, agentReplyKey, agentReplyOf, conversationChangeOf } from './chatwoot-payload';
import { saveLink } from './chatwoot-store';

const WINDOW_NOTE =
  'Not sent to WhatsApp: the 24-hour customer service window is closed, so only an approved template can reach this customer. ' +
  'Send a template from Conversa, or configure a fallback template for the Chatwoot integration.';

/**
 * Applies one stored Chatwoot webhook: a person's reply goes to WhatsApp through the send pipeline (and the bot
 * steps back), resolving closes the Conversa conversation, reopening reopens it. Echoes of Conversa's own messages
 * and everything else are recorded as ignored.
 */
@Injectable()
export class ChatwootInboundService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly send: SendMessageService,
    private readonly actions: ConversationActionsService,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async handle(job: Job<JobPayload<JobName.ApplyChatwootEvent>>): Promise<string> {
    const work = await loadInboundWork(this.dataSource, job.data.inboundEventId);
    if (!work || work.status !== 'received') return 'skipped';
    try {
      const outcome = await this.apply(work);
      await markInbound(this.dataSource, work.id, 'applied', outcome, null);
      this.logger.info({ chatwootEventId: work.id, eventType: work.eventType, outcome }, 'chatwoot event applied');
      return outcome;
    } catch (error) {
      const message = (error as Error).message;
      const permanent = (error instanceof DomainError && error.status < 500) || (error instanceof ChatwootCallError && !error.retryable);
      const final = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (final) await markInbound(this.dataSource, work.id, 'failed', null, message);
      this.logger.warn({ chatwootEventId: work.id, eventType: work.eventType, err: { message } }, 'chatwoot event not applied');
      throw permanent ? new UnrecoverableError(message) : error;
    }
  }

  private apply(work: InboundWork): Promise<string> {
    switch (work.eventType) {
      case 'message_created':
        return this.applyMessage(work);
      case 'conversation_status_changed':
      case 'conversation_updated':
        return this.applyConversationChange(work);
      default:
        return Promise.resolve('ignored:unsupported');
    }
  }

  private async applyMessage(work: InboundWork): Promise<string> {
    const reply = agentReplyOf(work.payload);
    if ('ignored' in reply) return `ignored:${reply.ignored}`;
    // The sync links every message it writes in Chatwoot (one found here is Conversa's own, echoed back), and a sent
    // agent reply is linked too (a re-run after a lost acknowledgement).
    const linked = await findLocal(this.dataSource, work.integrationId, 'message', reply.remoteMessageId);
    if (linked) return linked.sourceId === null ? 'ignored:already_sent' : 'ignored:echo';
    const conversationId = await this.localConversation(work, reply.remoteConversationId, reply.conversaConversationId);
    if (!conversationId) return 'ignored:unknown_conversation';
    // A person now owns the conversation, whether or not this reply can reach WhatsApp.
    await this.actions.pauseBot(work.organizationId, conversationId);
    try {
      await this.sendReply(work, conversationId, reply);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500) throw error;
      const note = error.code === CommunicationsErrorCode.WindowClosed ? WINDOW_NOTE : `Not sent to WhatsApp: ${error.message} (${error.code}).`;
      await this.privateNote(work, reply, note);
      return `note:${error.code}`.toLowerCase();
    }
    return 'sent';
  }

  /**
   * Sent under the sync's lock for this conversation, and linked before the lock is released: the sync then finds
   * the link and does not write the agent's message into Chatwoot a second time.
   */
  private async sendReply(work: InboundWork, conversationId: string, reply: AgentReply): Promise<void> {
    await withChatwootConversationLock(this.dataSource, conversationId, async () => {
      const dto = { conversationId, type: 'text' as const, text: { body: reply.content }, ...(work.fallbackTemplate ? { fallbackTemplate: work.fallbackTemplate } : {}) };
      const { body } = await this.send.send(work.organizationId, dto, agentReplyKey(work.integrationId, reply.remoteMessageId));
      await saveLink(this.dataSource, work.integrationId, 'message', body.id, { remoteId: reply.remoteMessageId, sourceId: null });
    });
  }

  private async privateNote(work: InboundWork, reply: AgentReply, content: string): Promise<void> {
    const api = new ChatwootApiClient({ baseUrl: work.baseUrl, accountId: work.accountId, apiAccessToken: decryptSecret(work.apiAccessTokenEncrypted, this.config.encryptionKey) });
    const sourceId = `conversa-note:${reply.remoteMessageId}`;
    // A retry after a lost answer finds the note instead of writing it twice.
    if (work.attempts > 0 && (await api.listMessages(reply.remoteConversationId)).payload.some((m) => m.source_id === sourceId)) return;
    await api.createMessage(reply.remoteConversationId, { content, message_type: 'outgoing', private: true, source_id: sourceId });
  }

  private async applyConversationChange(work: InboundWork): Promise<string> {
    const change = conversationChangeOf(work.payload);
    if (!change) return 'ignored:malformed';
    const id = await this.localConversation(work, change.remoteConversationId, change.conversaConversationId);
    if (!id) return 'ignored:unknown_conversation';
    const current = await conversationOf(this.dataSource, work.organizationId, id);
    if (!current) return 'ignored:unknown_conversation';
    const done: string[] = [];
    if (change.status === 'resolved' && current.status !== 'closed') {
      await this.actions.close(work.organizationId, id);
      done.push('closed');
      if (work.resumeBotOnResolve && current.botPaused) {
        await this.actions.resumeBot(work.organizationId, id);
        done.push('bot_resumed');
      }
    } else if (change.status === 'open' && current.status === 'closed') {
      await this.actions.reopen(work.organizationId, id);
      done.push('reopened');
    }
    if (work.eventType === 'conversation_updated') done.push(...(await this.applyAssignmentAndLabels(work, id, change)));
    return done.length > 0 ? done.join(',') : 'unchanged';
  }

  /** Best effort: Chatwoot's assignee is mapped to the Conversa user with the same email; labels are added, never removed. */
  private async applyAssignmentAndLabels(work: InboundWork, id: string, change: ReturnType<typeof conversationChangeOf> & object): Promise<string[]> {
    const done: string[] = [];
    const userId = change.assigneeEmail ? await userByEmail(this.dataSource, work.organizationId, change.assigneeEmail) : null;
    if (userId) {
      await this.actions.assign(work.organizationId, id, userId);
      done.push('assigned');
    }
    if (change.labels?.length) {
      await this.actions.changeLabels(work.organizationId, id, { add: change.labels });
      done.push('labels');
    }
    return done;
  }

  private async localConversation(work: InboundWork, remoteId: number, fromAttributes: string | null): Promise<string | null> {
    const linked = await findLocal(this.dataSource, work.integrationId, 'conversation', remoteId);
    if (linked) return linked.localId;
    if (!fromAttributes || !/^[0-9a-f-]{36}$/i.test(fromAttributes)) return null;
    return (await conversationOf(this.dataSource, work.organizationId, fromAttributes))?.id ?? null;
  }
}
