import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { WhatsappAccount } from '../../../database/entities/whatsapp-account.entity';
import { messagePublicSql } from '../../../database/outbox';
import type { InboundMessageEvent, OutboundEchoEvent } from '../../../domain/normalized-event.types';
import { contactEventsSql } from '../communications-events';
import { detectOptKeyword } from '../contacts/opt-keyword';
import { ContactsService } from '../contacts/contacts.service';
import { ConversationsService } from '../conversations/conversations.service';
import { MessageStatusService } from '../messages/message-status.service';
import { inboundRow, senderIdentity, writeInboundRows } from './inbound-rows';
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
    const contact = await this.contacts.upsert(account.organizationId, senderIdentity(event.from), manager);
    // Locked until commit: two workers never apply messages of one conversation at once.
    const conversation = await this.conversations.findOrCreate(account.organizationId, account.id, contact.id, manager, { lock: true });
    const [messageId] = await writeInboundRows(manager, [inboundRow(account, event, conversation.id, contact.id)]);
    // Found or created under its lock in this transaction: it cannot be missing, and a message must never be dropped as if a duplicate.
    if (messageId === undefined) throw new Error(`conversation ${conversation.id} missing while applying an inbound message`);
    const base = { conversationId: conversation.id, contactId: contact.id, organizationId: account.organizationId };
    if (!messageId) return { ...base, inserted: false, messageId: null, mediaAssetId: await this.pendingMedia(manager, account.id, event.providerMessageId) };
    if (hasMessageEffects(event)) await this.applyMessageEffects(manager, account, event, contact.id);
    const mediaAssetId = event.media?.id
      ? await this.media.register(manager, { organizationId: account.organizationId, whatsappAccountId: account.id, messageId, media: event.media })
      : undefined;
    return { ...base, inserted: true, messageId, mediaAssetId };
  }

  /** Messages sent from the WhatsApp Business app (coexistence) or reported by Kapso become outbound rows. */
  async applyEcho(account: WhatsappAccount, event: OutboundEchoEvent, manager: EntityManager): Promise<AppliedMessage> {
    const contact = await this.contacts.upsert(account.organizationId, senderIdentity(event.to), manager);
    const conversation = await this.conversations.findOrCreate(account.organizationId, account.id, contact.id, manager, { lock: true });
    // message.created is written by the same statement (and reaches dashboards from the outbox relay).
    const inserted: Array<{ id: string }> = await manager.query(
      `WITH inserted AS (
         INSERT INTO message (organization_id, whatsapp_account_id, conversation_id, contact_id, direction, type, status,
           content, text, occurred_at, provider_message_id, sent_at, kind, metadata)
         VALUES ($1, $2, $3, $4, 'outbound', $5, 'sent', $6, $7, $8, $9, $8, 'echo', $10)
         ON CONFLICT (whatsapp_account_id, provider_message_id) DO NOTHING
         RETURNING *),
       outbox AS (
         INSERT INTO outbox_event (organization_id, type, conversation_id, data)
         SELECT organization_id, 'message.created', conversation_id, ${messagePublicSql('inserted')} FROM inserted)
       SELECT id FROM inserted`,
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

  /** What `hasMessageEffects` announces; a new effect goes into both. */
  private async applyMessageEffects(manager: EntityManager, account: WhatsappAccount, event: InboundMessageEvent, contactId: string): Promise<void> {
    if (event.edit) await this.applyEdit(manager, account.id, event.edit.targetProviderMessageId, event.edit.newText, event.timestamp);
    if (event.revoke) await this.applyRevoke(manager, account.id, event.revoke.targetProviderMessageId, event.timestamp);
    if (event.system?.systemType === 'user_changed_number' && event.system.newWaId) {
      await manager.query(`WITH changed AS (UPDATE contact SET wa_id = $2, updated_at = now() WHERE id = $1 AND wa_id IS DISTINCT FROM $2 RETURNING *) ${contactEventsSql('changed', 'contact.updated')}`, [
        contactId,
        event.system.newWaId,
      ]);
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

/**
 * Whether a new inbound message changes more than its own row, its conversation and its contact's last inbound
 * time: an edit, a revoke, a number change or an opt-out keyword (`applyMessageEffects`). Only messages without
 * such effects (and without media) may take KnownSenderInbound's batched path.
 */
export function hasMessageEffects(event: InboundMessageEvent): boolean {
  if (event.edit || event.revoke) return true;
  if (event.system?.systemType === 'user_changed_number' && event.system.newWaId) return true;
  return event.type === 'text' && detectOptKeyword(event.text) !== null;
}
