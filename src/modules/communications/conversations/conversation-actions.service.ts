import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../../../common/errors/domain-error';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { ConversationStatus, MessageDirection } from '../../../database/entities/enums';
import { RealtimePublisher } from '../../realtime/realtime.publisher';
import { WhatsappProviders } from '../../whatsapp/whatsapp-providers.service';
import type { ConversationDto, ConversationLabelsDto, ReadReceiptResultDto } from './dto/conversation.dto';
import { BOT_RESET_KEYS } from './bot-state';
import { normalizePhone, phoneVariants } from '../../../common/phone';
import { ConversationQueriesService } from './conversation-queries.service';
import { changeLiteral, conversationEventsSql } from '../communications-events';
import { AuthErrorCode } from '../../auth/auth.errors';
import { CommunicationsErrorCode } from '../communications.errors';
import type { ConversationChange as CatalogueChange } from '../../../domain/events/event-catalogue';

/** What a person does to a conversation from the dashboard; every change is pushed as `conversation.updated`. */
@Injectable()
export class ConversationActionsService {
  private readonly logger: Logger;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly conversations: ConversationQueriesService,
    private readonly providers: WhatsappProviders,
    private readonly realtime: RealtimePublisher,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ module: 'communications' });
  }

  /**
   * Zeroes the unread count, then sends the read receipt for the latest inbound message.
   * The receipt is best effort: a provider failure is reported as `receiptSent: false`.
   */
  async markRead(organizationId: string, id: string): Promise<ReadReceiptResultDto> {
    const { whatsapp_account_id: accountId } = await this.change(organizationId, id, 'read');
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
    await this.change(organizationId, id, 'closed');
    return this.conversations.get(organizationId, id);
  }

  async reopen(organizationId: string, id: string): Promise<ConversationDto> {
    await this.change(organizationId, id, 'reopened');
    return this.conversations.get(organizationId, id);
  }

  async assign(organizationId: string, id: string, userId: string | null): Promise<ConversationDto> {
    if (userId) {
      const found: unknown[] = await this.dataSource.query(`SELECT 1 FROM "user" WHERE id = $1 AND organization_id = $2`, [userId, organizationId]);
      if (found.length === 0) throw new NotFoundError(AuthErrorCode.UserNotFound, 'user');
      await this.change(organizationId, id, 'assigned', [userId]);
    } else {
      await this.change(organizationId, id, 'unassigned');
    }
    return this.conversations.get(organizationId, id);
  }

  /** Handoff to a person: the bot stays quiet on this conversation until resumed. */
  async pauseBot(organizationId: string, id: string): Promise<ConversationDto> {
    await this.change(organizationId, id, 'bot_paused');
    return this.conversations.get(organizationId, id);
  }

  async resumeBot(organizationId: string, id: string): Promise<ConversationDto> {
    await this.change(organizationId, id, 'bot_resumed');
    return this.conversations.get(organizationId, id);
  }

  async changeLabels(organizationId: string, id: string, body: ConversationLabelsDto): Promise<ConversationDto> {
    const add = [...new Set((body.add ?? []).filter((label) => label.length > 0))];
    await this.change(organizationId, id, 'labels', [add, body.remove ?? []]);
    return this.conversations.get(organizationId, id);
  }

  /** Clears the active flow (state, slots) and the labels it added, the unsure streak and the out-of-hours marker; optionally hands the conversation back to the bot. */
  async resetBot(organizationId: string, id: string, options: { resumeBot?: boolean } = {}): Promise<BotResetResult> {
    const row = await this.change<ResetRow>(organizationId, id, options.resumeBot ? 'bot_reset_resumed' : 'bot_reset', [BOT_RESET_KEYS]);
    this.logger.info({ organizationId, conversationId: id, resumed: Boolean(options.resumeBot) }, 'bot state reset');
    return { conversationId: row.id, botState: row.bot_state, botPaused: row.bot_paused, labels: row.labels };
  }

  /** The same reset on every conversation of one contact, found by id or by phone number (any format). */
  async resetBotForContact(organizationId: string, contactIdOrPhone: string, options: { resumeBot?: boolean } = {}): Promise<{ contactId: string; conversations: BotResetResult[] }> {
    const contactId = await this.contactId(organizationId, contactIdOrPhone);
    const rows = (await this.dataSource.query(`SELECT id FROM conversation WHERE contact_id = $1 AND organization_id = $2 ORDER BY created_at`, [contactId, organizationId])) as Array<{ id: string }>;
    const conversations: BotResetResult[] = [];
    for (const row of rows) conversations.push(await this.resetBot(organizationId, row.id, options));
    return { contactId, conversations };
  }

  private async contactId(organizationId: string, contactIdOrPhone: string): Promise<string> {
    const byId = UUID.test(contactIdOrPhone);
    const [row] = (await this.dataSource.query(
      byId ? `SELECT id FROM contact WHERE id = $1 AND organization_id = $2` : `SELECT id FROM contact WHERE phone_e164 = ANY($1::text[]) AND organization_id = $2 ORDER BY created_at LIMIT 1`,
      [byId ? contactIdOrPhone : phoneVariants(normalizePhone(contactIdOrPhone)), organizationId],
    )) as Array<{ id: string }>;
    if (!row) throw new NotFoundError(CommunicationsErrorCode.ContactNotFound, 'contact');
    return row.id;
  }

  /** One fixed statement per kind of change (see CHANGES), published as `conversation.updated` with that reason. */
  private async change<R = ChangedRow>(organizationId: string, id: string, reason: ConversationChange, params: unknown[] = []): Promise<R & ChangedRow> {
    // conversation.updated is written by the same statement (transactional outbox), unless nothing changed (closing a closed one).
    const rows = (await this.dataSource.query(
      `WITH before AS (SELECT id AS before_id, ${FINGERPRINT} AS old FROM conversation WHERE id = $1 AND organization_id = $2 FOR UPDATE),
       changed AS (
         UPDATE conversation SET ${CHANGES[reason]}, updated_at = now() FROM before WHERE id = before_id RETURNING conversation.*, old),
       outbox AS (${conversationEventsSql('changed', 'conversation.updated', { change: changeLiteral(reason), where: `${FINGERPRINT} IS DISTINCT FROM old` })})
       SELECT id, whatsapp_account_id, bot_state, bot_paused, labels FROM changed`,
      [id, organizationId, ...params],
    )) as Array<R & ChangedRow>;
    if (!rows[0]) throw new NotFoundError(CommunicationsErrorCode.ConversationNotFound, 'conversation');
    const milestone = MILESTONES[reason as keyof typeof MILESTONES];
    // The action log analytics derives cycles from (lifecycle reads it; closes and reopens leave no message behind).
    if (milestone) await this.dataSource.query(`INSERT INTO analytics_milestone (organization_id, conversation_id, kind, occurred_at) VALUES ($2, $1, $3, now())`, [id, organizationId, milestone]);
    await this.realtime.publish(organizationId, { type: 'conversation.updated', conversationId: id, reason });
    return rows[0];
  }
}

export interface BotResetResult {
  conversationId: string;
  botState: Record<string, unknown>;
  botPaused: boolean;
  labels: string[];
}

interface ResetRow {
  id: string;
  bot_state: Record<string, unknown>;
  bot_paused: boolean;
  labels: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The labels recorded in `bot_state.flowLabels` leave `labels` (order kept); SET sees the row before the update. */
const WITHOUT_FLOW_LABELS = `labels = ARRAY(SELECT l FROM unnest(labels) WITH ORDINALITY AS t(l, i)
  WHERE l <> ALL(CASE WHEN jsonb_typeof(bot_state -> 'flowLabels') = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(bot_state -> 'flowLabels')) ELSE '{}'::text[] END)
  ORDER BY i)`;
const RESUMED = 'bot_paused = false, bot_paused_at = NULL, handoff_requested_at = NULL';

/** What a person's change may alter; equal before and after means nothing changed and no event is written. */
const FINGERPRINT = 'ROW(status, unread_count, assignee_user_id, labels, bot_paused, bot_state)';

interface ChangedRow {
  id: string;
  whatsapp_account_id: string;
}

/** What a person may change, each as a fixed SET clause ($1 is the id, $2 the organisation, $3… its parameters). */
const CHANGES = {
  read: 'unread_count = 0',
  closed: `status = '${ConversationStatus.Closed}', closed_at = now()`,
  reopened: `status = '${ConversationStatus.Open}', closed_at = NULL`,
  assigned: 'assignee_user_id = $3',
  unassigned: 'assignee_user_id = NULL',
  bot_paused: 'bot_paused = true, bot_paused_at = COALESCE(bot_paused_at, now())',
  bot_resumed: RESUMED,
  bot_reset: `bot_state = bot_state - $3::text[], ${WITHOUT_FLOW_LABELS}`,
  bot_reset_resumed: `bot_state = bot_state - $3::text[], ${WITHOUT_FLOW_LABELS}, ${RESUMED}`,
  labels: 'labels = ARRAY(SELECT DISTINCT l FROM unnest(array_cat(labels, $3::text[])) AS l WHERE l <> ALL($4::text[]) ORDER BY l)',
} as const;

type ConversationChange = keyof typeof CHANGES & CatalogueChange;

const MILESTONES = { closed: 'closed', reopened: 'reopened', bot_paused: 'handoff' } as const;
