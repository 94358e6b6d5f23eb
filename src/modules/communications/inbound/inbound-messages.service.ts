import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { waIdToE164OrNull } from '../../../common/phone';
import type { WhatsappAccount } from '../../../database/entities/whatsapp-account.entity';
import type { CustomerIdentity, InboundMessageEvent, OutboundEchoEvent } from '../../webhooks/normalizer/normalized-event.types';
import { detectOptKeyword } from '../../webhooks/normalizer/opt-keyword';
import { type ContactIdentity, ContactsService } from '../contacts/contacts.service';
import { ConversationsService, recordInboundParams, recordInboundSql } from '../conversations/conversations.service';
import { MessageStatusService } from '../messages/message-status.service';
import { MediaDownloadsService } from './media-downloads.service';

export interface AppliedMessage {
  inserted: boolean;
  messageId: string | null;
  conversationId: string;
  contactId: string;
  organizationId: string;
  /** A media asset registered for download (enqueue after commit). */
  mediaAssetId?: string;
}

/** Turns normalised inbound messages and business-app echoes into rows. Idempotent per provider id. */
@Injectable()
export class InboundMessagesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly contacts: ContactsService,
    private readonly conversations: ConversationsService,
    private readonly statuses: MessageStatusService,
    private readonly media: MediaDownloadsService,
  ) {}

  async applyInbound(account: WhatsappAccount, event: InboundMessageEvent, manager: EntityManager): Promise<AppliedMessage> {
    const contact = await this.contacts.upsert(account.organizationId, identityOf(event.from), manager);
    // Locked until commit: two workers never apply messages of one conversation at once.
    const conversation = await this.conversations.findOrCreate(account.organizationId, account.id, contact.id, manager, { lock: true });
    // One statement: the row (reply linked to the quoted message, else the latest outbound one), then, only if it
    // is new, the conversation (unread, preview, 24-hour window), the contact's last inbound time and the reply stamp.
    const inserted: Array<{ id: string; reply_to_message_id: string | null }> = await manager.query(INSERT_INBOUND, [
      account.organizationId, account.id, conversation.id, contact.id, event.type, event.content, event.text ?? null, event.timestamp,
      event.providerMessageId, event.contextProviderMessageId ?? null, event.errors?.length ? JSON.stringify(event.errors) : null,
      metadataOf(event), ...recordInboundParams(event.timestamp, previewOf(event)),
    ]);
    const base = { conversationId: conversation.id, contactId: contact.id, organizationId: account.organizationId };
    if (inserted.length === 0) return { ...base, inserted: false, messageId: null, mediaAssetId: await this.pendingMedia(manager, account.id, event.providerMessageId) };
    const messageId = inserted[0].id;
    await this.applyMessageEffects(manager, account, event, contact.id);
    const mediaAssetId = event.media?.id
      ? await this.media.register(manager, { organizationId: account.organizationId, whatsappAccountId: account.id, messageId, media: event.media })
      : undefined;
    return { ...base, inserted: true, messageId, mediaAssetId };
  }

  /** Messages sent from the WhatsApp Business app (coexistence) or reported by Kapso become outbound rows. */
  async applyEcho(account: WhatsappAccount, event: OutboundEchoEvent, manager: EntityManager): Promise<AppliedMessage> {
    const contact = await this.contacts.upsert(account.organizationId, identityOf(event.to), manager);
    const conversation = await this.conversations.findOrCreate(account.organizationId, account.id, contact.id, manager, { lock: true });
    const inserted: Array<{ id: string }> = await manager.query(
      `INSERT INTO message (organization_id, whatsapp_account_id, conversation_id, contact_id, direction, type, status,
         content, text, occurred_at, provider_message_id, sent_at, kind, metadata)
       VALUES ($1, $2, $3, $4, 'outbound', $5, 'sent', $6, $7, $8, $9, $8, 'echo', $10)
       ON CONFLICT (whatsapp_account_id, provider_message_id) DO NOTHING
       RETURNING id`,
      [account.organizationId, account.id, conversation.id, contact.id, event.type, event.content, event.text ?? null, event.timestamp, event.providerMessageId, { source: event.source }],
    );
    const base = { conversationId: conversation.id, contactId: contact.id, organizationId: account.organizationId };
    if (inserted.length === 0) return { ...base, inserted: false, messageId: null };
    await this.conversations.recordOutbound(conversation.id, event.timestamp, event.text ?? null, manager);
    await this.statuses.applyParked(account.id, event.providerMessageId, manager);
    if (event.edit) await this.applyEdit(manager, account.id, event.edit.targetProviderMessageId, event.edit.newText, event.timestamp);
    if (event.revoke) await this.applyRevoke(manager, account.id, event.revoke.targetProviderMessageId, event.timestamp);
    return { ...base, inserted: true, messageId: inserted[0].id };
  }

  private async applyMessageEffects(manager: EntityManager, account: WhatsappAccount, event: InboundMessageEvent, contactId: string): Promise<void> {
    if (event.edit) await this.applyEdit(manager, account.id, event.edit.targetProviderMessageId, event.edit.newText, event.timestamp);
    if (event.revoke) await this.applyRevoke(manager, account.id, event.revoke.targetProviderMessageId, event.timestamp);
    if (event.system?.systemType === 'user_changed_number' && event.system.newWaId) {
      await manager.query(`UPDATE contact SET wa_id = $2 WHERE id = $1`, [contactId, event.system.newWaId]);
    }
    const keyword = event.type === 'text' ? detectOptKeyword(event.text) : null;
    if (keyword) await this.contacts.setMarketingOptOut(contactId, keyword === 'opt_out', 'keyword', event.timestamp, manager);
  }

  private async applyEdit(manager: EntityManager, accountId: string, target: string, newText: string | undefined, at: Date): Promise<void> {
    await manager.query(
      `UPDATE message SET text = COALESCE($3, text), edited_at = $4 WHERE whatsapp_account_id = $1 AND provider_message_id = $2`,
      [accountId, target, newText ?? null, at],
    );
  }

  /** "Deleted for everyone": the text goes; the row stays so the timeline shows where it was. */
  private async applyRevoke(manager: EntityManager, accountId: string, target: string, at: Date): Promise<void> {
    await manager.query(`UPDATE message SET text = NULL, revoked_at = $3 WHERE whatsapp_account_id = $1 AND provider_message_id = $2`, [accountId, target, at]);
  }

  /** A retried event re-requests a download the first attempt registered but may never have enqueued. */
  private async pendingMedia(manager: EntityManager, accountId: string, providerMessageId: string): Promise<string | undefined> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT a.id FROM media_asset a JOIN message m ON m.id = a.message_id
       WHERE m.whatsapp_account_id = $1 AND m.provider_message_id = $2 AND a.status = 'pending'`,
      [accountId, providerMessageId],
    );
    return rows[0]?.id;
  }

}

/** $2 account, $3 conversation, $10 the quoted provider id. */
const REPLY_TARGET = `COALESCE(
  (SELECT q.id FROM message q WHERE q.whatsapp_account_id = $2::uuid AND q.provider_message_id = $10::varchar),
  (SELECT o.id FROM message o WHERE o.conversation_id = $3::uuid AND o.direction = 'outbound' ORDER BY o.occurred_at DESC, o.id DESC LIMIT 1)
)`;

/** $1 organisation … $12 metadata as listed; $13–$16 recordInboundParams (at, preview, window end, open). */
const INSERT_INBOUND = `
WITH inserted AS (
  INSERT INTO message (organization_id, whatsapp_account_id, conversation_id, contact_id, direction, type, status,
    content, text, occurred_at, provider_message_id, context_provider_message_id, reply_to_message_id, errors, metadata)
  VALUES ($1, $2::uuid, $3::uuid, $4::uuid, 'inbound', $5, 'received', $6, $7, $8::timestamptz, $9, $10::varchar, ${REPLY_TARGET}, $11, $12)
  ON CONFLICT (whatsapp_account_id, provider_message_id) DO NOTHING
  RETURNING id, reply_to_message_id),
conversation_update AS (
  ${recordInboundSql({ id: '$3::uuid', at: '$13::timestamptz', preview: '$14::text', windowEnd: '$15::timestamptz', open: '$16::conversation_status' })}
    AND EXISTS (SELECT 1 FROM inserted)),
contact_update AS (
  UPDATE contact SET last_inbound_at = GREATEST(COALESCE(last_inbound_at, $8::timestamptz), $8::timestamptz) WHERE id = $4::uuid AND EXISTS (SELECT 1 FROM inserted)),
reply_stamp AS (
  UPDATE message SET reply_received_at = $8::timestamptz WHERE id = (SELECT reply_to_message_id FROM inserted) AND reply_received_at IS NULL)
SELECT id, reply_to_message_id FROM inserted`;

function identityOf(customer: CustomerIdentity): ContactIdentity {
  return {
    phoneE164: waIdToE164OrNull(customer.waId ?? customer.phone),
    waId: customer.waId ?? null,
    bsuid: customer.bsuid ?? null,
    username: customer.username ?? null,
    profileName: customer.profileName ?? null,
  };
}

function previewOf(event: InboundMessageEvent): string {
  return event.text?.trim() || `[${event.type}]`;
}

function metadataOf(event: InboundMessageEvent): Record<string, unknown> | null {
  const meta: Record<string, unknown> = {};
  if (event.referral) meta.referral = event.referral.raw;
  if (event.forwarded) meta.forwarded = true;
  if (event.frequentlyForwarded) meta.frequentlyForwarded = true;
  if (event.reaction) meta.reaction = event.reaction;
  if (event.kapso?.transcript) meta.transcript = event.kapso.transcript;
  return Object.keys(meta).length > 0 ? meta : null;
}

