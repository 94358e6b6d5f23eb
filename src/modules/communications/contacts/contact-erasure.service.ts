import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { NotFoundError } from '../../../common/errors/domain-error';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { phoneVariants } from '../../../common/phone';
import { writeEvents } from '../../../database/outbox';
import { RealtimePublisher } from '../../realtime/realtime.publisher';
import type { ErasureResultDto } from './dto/contact.dto';
import { CommunicationsErrorCode } from '../communications.errors';
import { DataCopies, type ErasureSubject } from '../retention/data-copies';
import { MediaFiles } from '../retention/media-files.service';

/**
 * Right to erasure: removes a contact and everything that carries its words or its number, in one transaction,
 * including every copy other modules registered in DataCopies (raw webhook events, …). Media files go after the
 * commit (a rolled-back erasure must not lose files). `contact.erased` goes into the outbox in the same transaction
 * and to dashboards once it is done.
 */
@Injectable()
export class ContactErasureService {
  private readonly logger: Logger;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly copies: DataCopies,
    private readonly files: MediaFiles,
    private readonly realtime: RealtimePublisher,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ module: 'communications' });
  }

  async erase(organizationId: string, contactId: string): Promise<ErasureResultDto> {
    const { result, storageKeys } = await this.dataSource.transaction((manager) => this.eraseRows(manager, organizationId, contactId));
    await this.files.remove(storageKeys);
    await this.realtime.publish(organizationId, { type: 'contact.erased', contactId });
    this.logger.info({ contactId, removed: result.removed }, 'contact erased');
    return result;
  }

  private async eraseRows(manager: EntityManager, organizationId: string, contactId: string) {
    const [contact] = (await manager.query(`SELECT phone_e164 FROM contact WHERE id = $1 AND organization_id = $2 FOR UPDATE`, [contactId, organizationId])) as Array<{
      phone_e164: string | null;
    }>;
    if (!contact) throw new NotFoundError(CommunicationsErrorCode.ContactNotFound, 'contact');
    const scope = [contactId, organizationId];
    const conversationIds = ((await manager.query(`SELECT id FROM conversation WHERE contact_id = $1 AND organization_id = $2`, scope)) as Array<{ id: string }>).map(
      (row) => row.id,
    );
    const subject = await this.subjectOf(manager, organizationId, contactId, contact.phone_e164, conversationIds);
    const media = await this.deleted<{ storage_key: string | null }>(
      manager,
      `DELETE FROM media_asset WHERE organization_id = $2 AND message_id IN (SELECT id FROM message WHERE contact_id = $1 AND organization_id = $2) RETURNING storage_key`,
      scope,
    );
    await manager.query(`DELETE FROM agent_run WHERE organization_id = $1 AND conversation_id = ANY($2::uuid[])`, [organizationId, conversationIds]);
    await manager.query(
      `DELETE FROM parked_status WHERE provider_message_id = ANY($1::varchar[])
       AND whatsapp_account_id IN (SELECT id FROM whatsapp_account WHERE organization_id = $2)`,
      [subject.providerMessageIds, organizationId],
    );
    const recipients = await this.deleted(
      manager,
      `DELETE FROM campaign_recipient WHERE organization_id = $2 AND (contact_id = $1 OR phone_e164 = ANY($3::varchar[])) RETURNING id`,
      [...scope, subject.phones],
    );
    const messages = await this.deleted(
      manager,
      `DELETE FROM message WHERE organization_id = $2 AND (contact_id = $1 OR conversation_id = ANY($3::uuid[])) RETURNING id`,
      [...scope, conversationIds],
    );
    const notes = await this.deleted(manager, `DELETE FROM contact_note WHERE contact_id = $1 AND organization_id = $2 RETURNING id`, scope);
    const conversations = await this.deleted(manager, `DELETE FROM conversation WHERE contact_id = $1 AND organization_id = $2 RETURNING id`, scope);
    await manager.query(`DELETE FROM contact WHERE id = $1 AND organization_id = $2`, scope);
    const copies: Record<string, number> = {};
    for (const copy of this.copies.all()) if (copy.eraseContact) copies[copy.name] = await copy.eraseContact(manager, subject);
    // After the copies are gone (the outbox's included): the event carries the id only, nothing of the person.
    await writeEvents(manager, [{ organizationId, type: 'contact.erased', data: { contactId } }]);
    const result: ErasureResultDto = {
      removed: { messages: messages.length, conversations: conversations.length, notes: notes.length, media: media.length, campaignRecipients: recipients.length, ...copies },
    };
    return { result, storageKeys: media.map((row) => row.storage_key).filter((key): key is string => Boolean(key)) };
  }

  private async subjectOf(manager: EntityManager, organizationId: string, contactId: string, phone: string | null, conversationIds: string[]): Promise<ErasureSubject> {
    const rows = (await manager.query(`SELECT provider_message_id FROM message WHERE contact_id = $1 AND organization_id = $2 AND provider_message_id IS NOT NULL`, [
      contactId,
      organizationId,
    ])) as Array<{ provider_message_id: string }>;
    return { organizationId, contactId, conversationIds, phones: phone ? phoneVariants(phone) : [], providerMessageIds: rows.map((row) => row.provider_message_id) };
  }

  private async deleted<T = { id: string }>(manager: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
    const [rows] = (await manager.query(sql, params)) as [T[], number];
    return rows;
  }
}
