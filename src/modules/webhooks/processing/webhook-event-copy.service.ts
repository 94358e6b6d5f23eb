import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataCopies, type ErasureSubject, type RetentionScope } from '../../communications/retention/data-copies';

/** Raw events of the organisation's numbers, once processed (an unprocessed event still has to be applied). */
const ORG_EVENTS = `status IN ('processed', 'failed') AND phone_number_ids && ARRAY(SELECT phone_number_id FROM whatsapp_account WHERE organization_id = $1)::varchar[]`;

/** Raw webhook events are copies of messages and numbers: they follow retention and erasure of what they carry. */
@Injectable()
export class WebhookEventCopy implements OnModuleInit {
  constructor(private readonly copies: DataCopies) {}

  onModuleInit(): void {
    this.copies.register({
      name: 'webhookEvents',
      eraseContact: (manager, subject) => this.eraseContact(manager, subject),
      retention: {
        kind: 'webhookEvents',
        count: async (manager, scope) => {
          const [row] = (await manager.query(`SELECT count(*)::int AS n FROM webhook_event WHERE ${expired()}`, params(scope))) as Array<{ n: number }>;
          return row.n;
        },
        removeBatch: async (manager, scope, limit) => {
          const [, count] = (await manager.query(
            `DELETE FROM webhook_event WHERE id IN (SELECT id FROM webhook_event WHERE ${expired()} ORDER BY received_at LIMIT ${Math.trunc(limit)})`,
            params(scope),
          )) as [unknown, number];
          return count;
        },
      },
    });
  }

  /** Payloads name the customer by wa_id (digits of the number); every spelling of it is matched. */
  private async eraseContact(manager: EntityManager, subject: ErasureSubject): Promise<number> {
    const patterns = [...subject.phones.map((phone) => `%${phone.slice(1)}%`), ...subject.providerMessageIds.map((id) => `%${id}%`)];
    if (patterns.length === 0) return 0;
    const [, count] = (await manager.query(`DELETE FROM webhook_event WHERE ${ORG_EVENTS} AND payload::text LIKE ANY($2::text[])`, [
      subject.organizationId,
      patterns,
    ])) as [unknown, number];
    return count;
  }
}

function expired(): string {
  return `${ORG_EVENTS} AND received_at < $2 AND NOT payload::text LIKE ANY($3::text[])`;
}

/** Events that mention a held contact's number stay. */
function params(scope: RetentionScope): unknown[] {
  return [scope.organizationId, scope.cutoff, scope.heldPhones.map((phone) => `%${phone.slice(1)}%`)];
}
