import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataCopies, type ErasureSubject } from '../../communications/retention/data-copies';

/**
 * Chatwoot's webhooks hold what agents wrote to a contact and the conversation's attributes: an erased contact's
 * inbound events go, found by the Conversa conversation they name or by the Chatwoot conversation linked to it
 * (registered before IntegrationsDataCopy, which removes those links).
 */
@Injectable()
export class ChatwootInboundDataCopy implements OnModuleInit {
  constructor(private readonly copies: DataCopies) {}

  onModuleInit(): void {
    this.copies.register({ name: 'chatwootInboundEvents', eraseContact: (manager, subject) => this.eraseContact(manager, subject) });
  }

  private async eraseContact(manager: EntityManager, subject: ErasureSubject): Promise<number> {
    const patterns = [`%${subject.contactId}%`, ...subject.conversationIds.map((id) => `%${id}%`), ...subject.phones.map((phone) => `%${phone.slice(1)}%`)];
    const [, removed] = (await manager.query(
      `DELETE FROM chatwoot_inbound_event e
        WHERE e.organization_id = $1
          AND (e.payload::text LIKE ANY($2::text[])
               OR COALESCE(e.payload -> 'conversation' ->> 'id', e.payload ->> 'id') IN (
                    SELECT l.remote_id::text FROM chatwoot_link l JOIN chatwoot_integration c ON c.id = l.integration_id
                     WHERE c.organization_id = $1 AND l.kind = 'conversation' AND l.local_id = ANY($3::uuid[])))`,
      [subject.organizationId, patterns, subject.conversationIds],
    )) as [unknown, number];
    return removed;
  }
}
