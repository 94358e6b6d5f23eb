import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../../common/errors/domain-error';
import { ROOT_LOGGER } from '../../common/logging/logging.module';
import { ConversationStatus, MessageDirection } from '../../database/entities/enums';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import { WhatsappProviders } from '../whatsapp/whatsapp-providers.service';
import type { ConversationDto, ConversationLabelsDto, ReadReceiptResultDto } from './dto/conversation.dto';
import { InboxConversationsService } from './inbox-conversations.service';
import { AuthErrorCode } from '../auth/auth.errors';
import { CommunicationsErrorCode } from '../communications/communications.errors';

/** What a person does to a conversation from the dashboard; every change is pushed as `conversation.updated`. */
@Injectable()
export class ConversationActionsService {
  private readonly logger: Logger;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly conversations: InboxConversationsService,
    private readonly providers: WhatsappProviders,
    private readonly realtime: RealtimePublisher,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ module: 'inbox' });
  }

  /**
   * Zeroes the unread count, then sends the read receipt for the latest inbound message.
   * The receipt is best effort: a provider failure is reported as `receiptSent: false`.
   */
  async markRead(organizationId: string, id: string): Promise<ReadReceiptResultDto> {
    const accountId = await this.update(organizationId, id, 'unread_count = 0', [], 'read');
    const [latest] = (await this.dataSource.query(
      `SELECT provider_message_id FROM message
       WHERE conversation_id = $1 AND direction = $2 AND provider_message_id IS NOT NULL
       ORDER BY occurred_at DESC, id DESC LIMIT 1`,
      [id, MessageDirection.Inbound],
    )) as Array<{ provider_message_id: string }>;
    let receiptSent = false;
    if (latest) {
      try {
        const { client, account } = await this.providers.forAccount(accountId);
        await client.markAsRead(account, latest.provider_message_id);
        receiptSent = true;
      } catch (error) {
        const code = (error as { code?: string }).code ?? (error as Error).name;
        this.logger.warn({ conversationId: id, accountId, code }, 'read receipt not sent');
      }
    }
    return { ...(await this.conversations.get(organizationId, id)), receiptSent };
  }

  async close(organizationId: string, id: string): Promise<ConversationDto> {
    await this.update(organizationId, id, `status = $3, closed_at = now()`, [ConversationStatus.Closed], 'closed');
    return this.conversations.get(organizationId, id);
  }

  async reopen(organizationId: string, id: string): Promise<ConversationDto> {
    await this.update(organizationId, id, `status = $3, closed_at = NULL`, [ConversationStatus.Open], 'reopened');
    return this.conversations.get(organizationId, id);
  }

  async assign(organizationId: string, id: string, userId: string | null): Promise<ConversationDto> {
    if (userId) {
      const found: unknown[] = await this.dataSource.query(`SELECT 1 FROM "user" WHERE id = $1 AND organization_id = $2`, [userId, organizationId]);
      if (found.length === 0) throw new NotFoundError(AuthErrorCode.UserNotFound, 'user');
    }
    await this.update(organizationId, id, `assignee_user_id = $3`, [userId], userId ? 'assigned' : 'unassigned');
    return this.conversations.get(organizationId, id);
  }

  /** Handoff to a person: the bot stays quiet on this conversation until resumed. */
  async pauseBot(organizationId: string, id: string): Promise<ConversationDto> {
    await this.update(organizationId, id, `bot_paused = true, bot_paused_at = COALESCE(bot_paused_at, now())`, [], 'bot_paused');
    return this.conversations.get(organizationId, id);
  }

  async resumeBot(organizationId: string, id: string): Promise<ConversationDto> {
    await this.update(organizationId, id, `bot_paused = false, bot_paused_at = NULL, handoff_requested_at = NULL`, [], 'bot_resumed');
    return this.conversations.get(organizationId, id);
  }

  async changeLabels(organizationId: string, id: string, body: ConversationLabelsDto): Promise<ConversationDto> {
    const add = [...new Set((body.add ?? []).filter((label) => label.length > 0))];
    await this.update(
      organizationId,
      id,
      `labels = ARRAY(SELECT DISTINCT l FROM unnest(array_cat(labels, $3::text[])) AS l WHERE l <> ALL($4::text[]) ORDER BY l)`,
      [add, body.remove ?? []],
      'labels',
    );
    return this.conversations.get(organizationId, id);
  }

  /** `set` may use $3…; $1 is the id and $2 the organisation. Returns the conversation's account id. */
  private async update(organizationId: string, id: string, set: string, params: unknown[], reason: string): Promise<string> {
    const [rows] = (await this.dataSource.query(
      `UPDATE conversation SET ${set}, updated_at = now() WHERE id = $1 AND organization_id = $2 RETURNING whatsapp_account_id`,
      [id, organizationId, ...params],
    )) as [Array<{ whatsapp_account_id: string }>, number];
    if (!rows[0]) throw new NotFoundError(CommunicationsErrorCode.ConversationNotFound, 'conversation');
    await this.realtime.publish(organizationId, { type: 'conversation.updated', conversationId: id, reason });
    return rows[0].whatsapp_account_id;
  }
}
