import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, NotFoundError } from '../../../common/errors/domain-error';
import { Contact } from '../../../database/entities/contact.entity';
import { Conversation } from '../../../database/entities/conversation.entity';
import type { WhatsappAccount } from '../../../database/entities/whatsapp-account.entity';
import { CommunicationsErrorCode } from '../../communications/communications.errors';
import { WhatsappAccountsService } from '../../whatsapp/accounts/whatsapp-accounts.service';
import { WhatsappErrorCode } from '../../whatsapp/whatsapp.errors';
import { AgentSettingsService, type OrganizationAgentSettings } from '../config/agent-settings.service';
import type { AgentContext, BotState, HistoryEntry, InboundText } from '../engine/agent.types';
import { type BurstMessage, toInboundText } from './reply-mapping';

/** At most this many inbound messages form one burst (the newest). */
const MAX_BURST = 10;
/** Older unanswered messages than this before the newest one are not part of the burst. */
const BURST_WINDOW_MS = 30 * 60_000;
const HISTORY_LIMIT = 20;
const DEFAULT_TIMEZONE = 'America/Santiago';

/** What one agent run answers: the conversation as it stands and the burst of unanswered inbound messages. */
export interface Turn {
  conversation: Pick<Conversation, 'id' | 'organizationId' | 'contactId' | 'botState' | 'botPaused'>;
  contact: Pick<Contact, 'id' | 'name' | 'profileName' | 'phoneE164' | 'customAttributes'>;
  account: Pick<WhatsappAccount, 'timezone' | 'businessHours' | 'autoRepliesEnabled'>;
  org: OrganizationAgentSettings;
  /** Oldest first; empty when everything was answered already. */
  burst: BurstMessage[];
}

export interface PreviewRequest {
  text: string;
  /** Use this contact's name and, when it has a conversation, its bot state (read only). */
  contactId?: string;
  /** Route as if it were this instant (business hours); default now. */
  at?: Date;
}

interface ContextParts {
  organizationId: string;
  conversation: { id: string; botState: BotState | null; botPaused: boolean };
  contact: Pick<Contact, 'id' | 'name' | 'profileName' | 'phoneE164'> | { id: string };
  account: Pick<WhatsappAccount, 'timezone' | 'businessHours'> | undefined;
  org: OrganizationAgentSettings | undefined;
  messages: InboundText[];
  history: HistoryEntry[];
  now: Date;
}

/** Builds the routing context, the one way for the worker's runs and for test-response previews. */
@Injectable()
export class TurnLoader {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: AgentSettingsService,
    private readonly accounts: WhatsappAccountsService,
  ) {}

  async load(conversationId: string): Promise<Turn | undefined> {
    const conversation = await this.dataSource.getRepository(Conversation).findOne({ where: { id: conversationId } });
    if (!conversation) return undefined;
    const [contact, account, org, burst] = await Promise.all([
      this.dataSource.getRepository(Contact).findOneByOrFail({ id: conversation.contactId }),
      this.accounts.getById(conversation.whatsappAccountId),
      this.settings.load(conversation.organizationId),
      this.loadBurst(conversationId),
    ]);
    return { conversation, contact, account, org, burst };
  }

  /** The turn's context, with the conversation's recent history (read only once the run is sure to route). */
  async context(turn: Turn): Promise<AgentContext> {
    const history = (await this.dataSource.query(
      `SELECT direction, text, occurred_at FROM message
        WHERE conversation_id = $1 AND NOT (id = ANY($2::uuid[]))
        ORDER BY occurred_at DESC, created_at DESC LIMIT ${HISTORY_LIMIT}`,
      [turn.conversation.id, turn.burst.map((message) => message.id)],
    )) as Array<{ direction: HistoryEntry['direction']; text: string | null; occurred_at: Date }>;
    return this.contextOf({
      organizationId: turn.conversation.organizationId,
      conversation: turn.conversation,
      contact: turn.contact,
      account: turn.account,
      org: turn.org,
      messages: turn.burst.map(toInboundText),
      history: history.reverse().map((row) => ({ direction: row.direction, text: row.text ?? undefined, at: new Date(row.occurred_at) })),
      now: new Date(),
    });
  }

  /** A text routed as the worker would route it; `organizationId` undefined: the defaults (CLI without --organization). */
  async preview(organizationId: string | undefined, request: PreviewRequest): Promise<AgentContext> {
    const org = organizationId ? await this.settings.load(organizationId) : undefined;
    const account = organizationId ? await this.defaultAccount(organizationId) : undefined;
    const contact = request.contactId && organizationId ? await this.previewContact(organizationId, request.contactId) : undefined;
    const botState = contact && organizationId ? await this.latestBotState(organizationId, contact.id, account?.id) : {};
    const now = request.at ?? new Date();
    return this.contextOf({
      organizationId: organizationId ?? 'preview',
      conversation: { id: 'preview', botState, botPaused: false },
      contact: contact ?? { id: 'preview' },
      account,
      org,
      messages: [{ text: request.text, type: 'text', timestamp: now }],
      history: [],
      now,
    });
  }

  private contextOf(parts: ContextParts): AgentContext {
    const botState = parts.conversation.botState ?? {};
    const streak = Number(botState.unsureStreak);
    const contact = parts.contact as Partial<Pick<Contact, 'name' | 'profileName' | 'phoneE164'>> & { id: string };
    return {
      organizationId: parts.organizationId,
      messages: parts.messages,
      contact: { id: contact.id, name: contact.name ?? contact.profileName ?? undefined, phone: contact.phoneE164 ?? undefined, optedOut: false },
      history: parts.history,
      conversation: {
        id: parts.conversation.id,
        botState,
        botPaused: parts.conversation.botPaused,
        accountTimezone: parts.account?.timezone ?? DEFAULT_TIMEZONE,
        unsureStreak: Number.isFinite(streak) ? streak : 0,
      },
      config: this.settings.resolve(parts.org, parts.account?.businessHours),
      now: parts.now,
    };
  }

  /** Inbound messages stored after the latest finished run's newest message, oldest first. */
  private async loadBurst(conversationId: string): Promise<BurstMessage[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, type, text, content, occurred_at, created_at FROM message
        WHERE conversation_id = $1 AND direction = 'inbound'
          AND created_at > COALESCE((SELECT max(inbound_at) FROM agent_run WHERE conversation_id = $1 AND outcome <> 'failed'), '-infinity'::timestamptz)
        ORDER BY created_at DESC, occurred_at DESC
        LIMIT ${MAX_BURST}`,
      [conversationId],
    )) as BurstMessage[];
    const newest = rows[0] ? new Date(rows[0].created_at).getTime() : 0;
    return rows.filter((row) => newest - new Date(row.created_at).getTime() <= BURST_WINDOW_MS).reverse();
  }

  private async previewContact(organizationId: string, contactId: string): Promise<Contact> {
    const contact = await this.dataSource.getRepository(Contact).findOne({ where: { id: contactId, organizationId } });
    if (!contact) throw new NotFoundError(CommunicationsErrorCode.ContactNotFound, 'contact');
    return contact;
  }

  private async latestBotState(organizationId: string, contactId: string, accountId: string | undefined): Promise<BotState> {
    const conversation = await this.dataSource.getRepository(Conversation).findOne({
      where: { organizationId, contactId, ...(accountId ? { whatsappAccountId: accountId } : {}) },
      order: { lastMessageAt: { direction: 'DESC', nulls: 'LAST' } },
      select: { id: true, botState: true },
    });
    return conversation?.botState ?? {};
  }

  private async defaultAccount(organizationId: string): Promise<WhatsappAccount | undefined> {
    try {
      return await this.accounts.getDefault(organizationId);
    } catch (error) {
      if (error instanceof DomainError && error.code === WhatsappErrorCode.AccountNotFound) return undefined;
      throw error;
    }
  }
}
