import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { waIdToE164 } from '../../../common/phone';
import { MessageStatus } from '../../../database/entities/enums';
import type { WhatsappAccount } from '../../../database/entities/whatsapp-account.entity';
import { ContactsService } from '../../communications/contacts/contacts.service';
import { InboundMessagesService } from '../../communications/inbound/inbound-messages.service';
import { MessageStatusService } from '../../communications/messages/message-status.service';
import type { RealtimeEvent } from '../../realtime/realtime.events';
import { TemplateEventsService } from '../../templates/template-events.service';
import type { NormalizedEvent, StatusEvent, UserPreferenceEvent } from '../normalizer/normalized-event.types';
import { AccountLookup } from './account-lookup.service';

/** What applying one item produced, for work that must wait until its transaction commits. */
export interface ItemEffects {
  realtime: Array<{ organizationId: string; event: RealtimeEvent }>;
  /** Conversations that received a new inbound message (agents run for them). */
  inboundConversations: Set<string>;
  mediaAssetIds: string[];
}

export class UnknownAccountError extends Error {}

/** Applies one normalised webhook item to the domain. Every branch is idempotent. */
@Injectable()
export class EventApplier {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: AccountLookup,
    private readonly inbound: InboundMessagesService,
    private readonly statuses: MessageStatusService,
    private readonly contacts: ContactsService,
    private readonly templates: TemplateEventsService,
  ) {}

  async apply(event: NormalizedEvent, effects: ItemEffects): Promise<void> {
    switch (event.kind) {
      case 'inbound_message':
        return this.inTransaction(async (m) => {
          const account = await this.accountFor(event.phoneNumberId, m);
          const applied = await this.inbound.applyInbound(account, event, m);
          if (!applied.inserted) return;
          effects.inboundConversations.add(applied.conversationId);
          if (applied.mediaAssetId) effects.mediaAssetIds.push(applied.mediaAssetId);
          effects.realtime.push(
            { organizationId: applied.organizationId, event: { type: 'message.created', conversationId: applied.conversationId, messageId: applied.messageId!, direction: 'inbound' } },
            { organizationId: applied.organizationId, event: { type: 'conversation.updated', conversationId: applied.conversationId, reason: 'inbound_message' } },
          );
        });
      case 'outbound_echo':
        return this.inTransaction(async (m) => {
          const account = await this.accountFor(event.phoneNumberId, m);
          const applied = await this.inbound.applyEcho(account, event, m);
          if (applied.inserted) {
            effects.realtime.push({ organizationId: applied.organizationId, event: { type: 'message.created', conversationId: applied.conversationId, messageId: applied.messageId!, direction: 'outbound' } });
          }
        });
      case 'status':
        return this.applyStatus(event, effects);
      case 'user_preference':
        return this.applyUserPreference(event);
      case 'template_status':
      case 'template_quality':
      case 'template_category':
        await this.templates.apply(event);
        return;
      case 'account_update':
      case 'phone_quality':
      case 'business_capability':
      case 'security':
        return this.accounts.recordProviderState(event);
      default:
        // Recorded in the stored raw event; nothing in the domain changes (calls, Kapso lifecycle, change-level errors…).
        return;
    }
  }

  private async applyStatus(event: StatusEvent, effects: ItemEffects): Promise<void> {
    await this.inTransaction(async (m) => {
      const account = await this.accountFor(event.phoneNumberId, m);
      const result = await this.statuses.apply(
        {
          whatsappAccountId: account.id,
          providerMessageId: event.providerMessageId,
          status: event.status as MessageStatus,
          occurredAt: event.timestamp,
          errors: event.errors?.map((e) => ({ code: e.code, title: e.title, message: e.message, details: e.details })) ?? null,
          bizOpaqueCallbackData: event.bizOpaqueCallbackData ?? null,
        },
        m,
      );
      if (result.outcome === 'applied') {
        const { message } = result;
        effects.realtime.push({ organizationId: message.organizationId, event: { type: 'message.status', conversationId: message.conversationId, messageId: message.id, status: event.status } });
      }
    });
  }

  private async applyUserPreference(event: UserPreferenceEvent): Promise<void> {
    if (!event.marketingOpt || !event.phoneNumberId) return;
    await this.inTransaction(async (m) => {
      const account = await this.accountFor(event.phoneNumberId!, m);
      const digits = event.user.waId ?? event.user.phone;
      const phoneE164 = digits ? safeE164(digits) : null;
      const contact = await this.contacts.upsert(account.organizationId, { phoneE164, waId: event.user.waId ?? null, bsuid: event.user.bsuid ?? null }, m);
      await this.contacts.setMarketingOptOut(contact.id, event.marketingOpt === 'opt_out', 'user_preferences', event.timestamp ?? new Date(), m);
    });
  }

  private async accountFor(phoneNumberId: string, manager: EntityManager): Promise<WhatsappAccount> {
    const account = await this.accounts.byPhoneNumberId(phoneNumberId, manager);
    if (!account) throw new UnknownAccountError(`No WhatsApp account with phone_number_id ${phoneNumberId}`);
    return account;
  }

  private inTransaction(work: (manager: EntityManager) => Promise<void>): Promise<void> {
    return this.dataSource.transaction(work);
  }
}

function safeE164(digits: string): string | null {
  try {
    return waIdToE164(digits.replace(/^\+/, ''));
  } catch {
    return null;
  }
}
