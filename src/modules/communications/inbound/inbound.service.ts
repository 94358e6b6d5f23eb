import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { waIdToE164OrNull } from '../../../common/phone';
import { MessageStatus } from '../../../database/entities/enums';
import type { WhatsappAccount } from '../../../database/entities/whatsapp-account.entity';
import type { NormalizedEvent, StatusEvent, UserPreferenceEvent } from '../../../domain/normalized-event.types';
import type { RealtimeEvent } from '../../realtime/realtime.events';
import { TemplateEventsService } from '../../templates/template-events.service';
import { WhatsappAccountsService } from '../../whatsapp/accounts/whatsapp-accounts.service';
import { ContactsService } from '../contacts/contacts.service';
import { MessageStatusService, type StatusUpdate } from '../messages/message-status.service';
import { InboundMessagesService } from './inbound-messages.service';
import { KnownSenderInbound } from './known-sender-inbound.service';

/** What applying one item produced, for work that must wait until its transaction commits. */
export interface ItemEffects {
  realtime: Array<{ organizationId: string; event: RealtimeEvent }>;
  /** Conversations that received a new inbound message (agents run for them). */
  inboundConversations: Set<string>;
  mediaAssetIds: string[];
}

export class UnknownAccountError extends Error {}

/** The organisation switch changes rarely; a change takes effect within this. */
const ORG_SWITCH_TTL_MS = 10_000;

/**
 * The one entry point for a normalised webhook item: it chooses the batched fast path or the general
 * path (one transaction per message) and owns those transactions. Every branch is idempotent.
 */
@Injectable()
export class InboundService {
  private readonly orgAutoReplies = new Map<string, { enabled: boolean; expires: number }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: WhatsappAccountsService,
    private readonly inbound: InboundMessagesService,
    private readonly knownSenders: KnownSenderInbound,
    private readonly statuses: MessageStatusService,
    private readonly contacts: ContactsService,
    private readonly templates: TemplateEventsService,
  ) {}

  /**
   * `routeAccountId`: the event came through `/webhooks/meta/:accountId`, signed with that account's own app
   * secret, so it may only touch that account's number.
   */
  async apply(event: NormalizedEvent, effects: ItemEffects, routeAccountId: string | null = null): Promise<void> {
    switch (event.kind) {
      case 'inbound_message': {
        const account = await this.accountFor(event.phoneNumberId, this.dataSource.manager, routeAccountId);
        const applied =
          (await this.knownSenders.apply(account, event)) ?? (await this.inTransaction((m) => this.inbound.applyInbound(account, event, m)));
        // Follow-up work is requested again on a retry too (the first attempt may have died before
        // enqueueing it): agent runs and media downloads are idempotent. No agent job at all while
        // auto-replies are off for the account or the organisation.
        if (await this.autoRepliesEnabled(account)) effects.inboundConversations.add(applied.conversationId);
        if (applied.mediaAssetId) effects.mediaAssetIds.push(applied.mediaAssetId);
        if (!applied.inserted) return;
        // message.created reaches dashboards from the outbox relay (message.received), with its SSE id.
        effects.realtime.push({ organizationId: applied.organizationId, event: { type: 'conversation.updated', conversationId: applied.conversationId, reason: 'inbound_message' } });
        return;
      }
      case 'outbound_echo':
        // message.created reaches dashboards from the outbox relay, with its SSE id.
        return this.inTransaction(async (m) => {
          const account = await this.accountFor(event.phoneNumberId, m, routeAccountId);
          await this.inbound.applyEcho(account, event, m);
        });
      case 'status':
        return this.applyStatus(event, routeAccountId);
      case 'user_preference':
        return this.applyUserPreference(event, routeAccountId);
      case 'template_status':
      case 'template_quality':
      case 'template_category':
        await this.assertRouteOwnsWaba(routeAccountId, event.wabaId);
        await this.templates.apply(event);
        return;
      case 'account_update':
      case 'phone_quality':
      case 'business_capability':
      case 'security':
        await this.assertRouteOwnsWaba(routeAccountId, event.wabaId);
        return this.accounts.recordProviderState(event);
      default:
        // Recorded in the stored raw event; nothing in the domain changes (calls, Kapso lifecycle, change-level errors…).
        return;
    }
  }

  private async applyStatus(event: StatusEvent, routeAccountId: string | null): Promise<void> {
    const account = await this.accountFor(event.phoneNumberId, this.dataSource.manager, routeAccountId);
    const update = statusUpdate(event, account.id);
    // An applied status reaches dashboards from the outbox relay (message.status), with its SSE id.
    if (!(await this.statuses.applyToKnown(update))) await this.inTransaction((m) => this.statuses.apply(update, m));
  }

  /**
   * A batch of statuses (Meta sends up to 1,000 in one webhook under volume) in a few statements. True for each one
   * done; the rest (unknown account or provider id, failures, a message changed meanwhile) go through `apply`.
   */
  async applyStatusesInBulk(events: StatusEvent[], routeAccountId: string | null): Promise<boolean[]> {
    const accounts = new Map<string, string | null>();
    for (const phoneNumberId of new Set(events.map((e) => e.phoneNumberId))) {
      const account = await this.accountFor(phoneNumberId, this.dataSource.manager, routeAccountId).catch(() => null);
      accounts.set(phoneNumberId, account?.id ?? null);
    }
    const known = events.map((event, index) => ({ event, index, accountId: accounts.get(event.phoneNumberId) ?? null })).filter((e) => e.accountId !== null);
    const done = await this.statuses.applyKnownInBulk(known.map((e) => statusUpdate(e.event, e.accountId!)));
    const result = events.map(() => false);
    known.forEach((e, i) => (result[e.index] = done[i]));
    return result;
  }

  private async applyUserPreference(event: UserPreferenceEvent, routeAccountId: string | null): Promise<void> {
    if (!event.marketingOpt || !event.phoneNumberId) return;
    await this.inTransaction(async (m) => {
      const account = await this.accountFor(event.phoneNumberId!, m, routeAccountId);
      const digits = event.user.waId ?? event.user.phone;
      const phoneE164 = waIdToE164OrNull(digits);
      const contact = await this.contacts.upsert(account.organizationId, { phoneE164, waId: event.user.waId ?? null, bsuid: event.user.bsuid ?? null }, m);
      await this.contacts.setMarketingOptOut(contact.id, event.marketingOpt === 'opt_out', 'user_preferences', event.timestamp ?? new Date(), m);
    });
  }

  /** WABA-level events through a per-account route may only concern that account's own WABA. */
  private async assertRouteOwnsWaba(routeAccountId: string | null, wabaId: string | undefined): Promise<void> {
    if (!routeAccountId) return;
    const [row] = await this.dataSource.query(`SELECT waba_id FROM whatsapp_account WHERE id = $1`, [routeAccountId]);
    if (!row || !wabaId || row.waba_id !== wabaId) throw new UnknownAccountError(`WABA ${wabaId ?? '(none)'} does not belong to the account this event was posted for`);
  }

  private async accountFor(phoneNumberId: string, manager: EntityManager, routeAccountId: string | null): Promise<WhatsappAccount> {
    const account = await this.accounts.findByPhoneNumberId(phoneNumberId, manager);
    if (!account) throw new UnknownAccountError(`No WhatsApp account with phone_number_id ${phoneNumberId}`);
    if (routeAccountId && account.id !== routeAccountId) {
      throw new UnknownAccountError(`phone_number_id ${phoneNumberId} does not belong to the account this event was posted for`);
    }
    return account;
  }

  /** Whether inbound messages of this account should reach the agents at all (account and organisation switches). */
  private async autoRepliesEnabled(account: WhatsappAccount): Promise<boolean> {
    if (!account.autoRepliesEnabled) return false;
    const hit = this.orgAutoReplies.get(account.organizationId);
    if (hit && hit.expires > Date.now()) return hit.enabled;
    const [row] = await this.dataSource.query(`SELECT settings->>'autoRepliesEnabled' AS flag FROM organization WHERE id = $1`, [account.organizationId]);
    const enabled = row?.flag !== 'false';
    this.orgAutoReplies.set(account.organizationId, { enabled, expires: Date.now() + ORG_SWITCH_TTL_MS });
    return enabled;
  }

  private inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}

function statusUpdate(event: StatusEvent, whatsappAccountId: string): StatusUpdate {
  return {
    whatsappAccountId,
    providerMessageId: event.providerMessageId,
    status: event.status as MessageStatus,
    occurredAt: event.timestamp,
    errors: event.errors?.map((e) => ({ code: e.code, title: e.title, message: e.message, details: e.details })) ?? null,
    bizOpaqueCallbackData: event.bizOpaqueCallbackData ?? null,
  };
}
