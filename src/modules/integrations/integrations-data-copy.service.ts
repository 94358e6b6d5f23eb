import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataCopies, type ErasureSubject } from '../communications/retention/data-copies';

/**
 * The outbox keeps the public form of messages (text, phone numbers) until it is pruned, and the Chatwoot map names
 * the contact and its conversations: an erased contact must leave none of it behind. Deliveries and Chatwoot sync
 * rows of the erased events go with them.
 */
@Injectable()
export class IntegrationsDataCopy implements OnModuleInit {
  constructor(private readonly copies: DataCopies) {}

  onModuleInit(): void {
    this.copies.register({ name: 'outboxEvents', eraseContact: (manager, subject) => this.eraseContact(manager, subject) });
  }

  private async eraseContact(manager: EntityManager, subject: ErasureSubject): Promise<number> {
    const patterns = [`%${subject.contactId}%`, ...subject.phones.map((phone) => `%${phone.slice(1)}%`), ...subject.providerMessageIds.map((id) => `%${id}%`)];
    const [row] = (await manager.query(
      `WITH gone AS (
         DELETE FROM outbox_event WHERE organization_id = $1 AND (conversation_id = ANY($2::uuid[]) OR data::text LIKE ANY($3::text[])) RETURNING id),
       deliveries AS (DELETE FROM webhook_delivery d USING gone WHERE d.event_id = gone.id),
       syncs AS (DELETE FROM chatwoot_sync_event s WHERE s.organization_id = $1 AND (s.conversation_id = ANY($2::uuid[]) OR s.event_id IN (SELECT id FROM gone))),
       links AS (
         DELETE FROM chatwoot_link l USING chatwoot_integration c
          WHERE l.integration_id = c.id AND c.organization_id = $1 AND (l.local_id = $4::uuid OR l.local_id = ANY($2::uuid[])))
       SELECT count(*)::int AS n FROM gone`,
      [subject.organizationId, subject.conversationIds, patterns, subject.contactId],
    )) as Array<{ n: number }>;
    return row.n;
  }
}
