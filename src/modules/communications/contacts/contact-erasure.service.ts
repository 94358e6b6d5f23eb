import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { rm } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { NotFoundError } from '../../../common/errors/domain-error';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { phoneVariants } from '../../../common/phone';
import { AppConfig } from '../../../config/app-config';
import type { ErasureResultDto } from './dto/contact.dto';
import { CommunicationsErrorCode } from '../communications.errors';

/**
 * Right to erasure: removes a contact and everything that carries its words or its number, in one
 * transaction. Media files go after the commit (a rolled-back erasure must not lose files).
 * Not covered: parked_status rows (keyed by provider message id only, no link to a contact) and
 * raw webhook_event payloads (kept WEBHOOK_EVENT_RETENTION_DAYS, then swept).
 */
@Injectable()
export class ContactErasureService {
  private readonly logger: Logger;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ module: 'inbox' });
  }

  async erase(organizationId: string, contactId: string): Promise<ErasureResultDto> {
    const { result, storageKeys } = await this.dataSource.transaction((manager) => this.eraseRows(manager, organizationId, contactId));
    await this.removeFiles(storageKeys);
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
    const media = await this.deleted<{ storage_key: string | null }>(
      manager,
      `DELETE FROM media_asset WHERE organization_id = $2 AND message_id IN (SELECT id FROM message WHERE contact_id = $1 AND organization_id = $2) RETURNING storage_key`,
      scope,
    );
    await manager.query(`DELETE FROM agent_run WHERE organization_id = $1 AND conversation_id = ANY($2::uuid[])`, [organizationId, conversationIds]);
    const phones = contact.phone_e164 ? phoneVariants(contact.phone_e164) : [];
    const recipients = await this.deleted(
      manager,
      `DELETE FROM campaign_recipient WHERE organization_id = $2 AND (contact_id = $1 OR phone_e164 = ANY($3::varchar[])) RETURNING id`,
      [...scope, phones],
    );
    const messages = await this.deleted(
      manager,
      `DELETE FROM message WHERE organization_id = $2 AND (contact_id = $1 OR conversation_id = ANY($3::uuid[])) RETURNING id`,
      [...scope, conversationIds],
    );
    const notes = await this.deleted(manager, `DELETE FROM contact_note WHERE contact_id = $1 AND organization_id = $2 RETURNING id`, scope);
    const conversations = await this.deleted(manager, `DELETE FROM conversation WHERE contact_id = $1 AND organization_id = $2 RETURNING id`, scope);
    await manager.query(`DELETE FROM contact WHERE id = $1 AND organization_id = $2`, scope);
    const result: ErasureResultDto = {
      removed: { messages: messages.length, conversations: conversations.length, notes: notes.length, media: media.length, campaignRecipients: recipients.length },
    };
    return { result, storageKeys: media.map((row) => row.storage_key).filter((key): key is string => Boolean(key)) };
  }

  private async deleted<T = { id: string }>(manager: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
    const [rows] = (await manager.query(sql, params)) as [T[], number];
    return rows;
  }

  /** Only inside MEDIA_DIR: a storage key never escapes it. */
  private async removeFiles(storageKeys: string[]): Promise<void> {
    const root = resolve(this.config.MEDIA_DIR);
    for (const key of storageKeys) {
      const path = resolve(root, key);
      if (!path.startsWith(root + sep)) continue;
      await rm(path, { force: true }).catch((error: Error) => this.logger.error({ code: (error as { code?: string }).code }, 'media file not removed'));
    }
  }
}
