import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { GroupCommit } from '../../../common/batching/group-commit';
import { PreparedStatement } from '../../../database/prepared-statement';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import type { WhatsappAccount } from '../../../database/entities/whatsapp-account.entity';
import type { InboundMessageEvent } from '../../../domain/normalized-event.types';
import { type ContactIdentity, contactMatch, identityPatch } from '../contacts/contacts.service';
import { type AppliedMessage, hasMessageEffects } from './inbound-messages.service';
import { inboundRow, senderIdentity, writeInboundRows } from './inbound-rows';

interface Pending {
  account: Pick<WhatsappAccount, 'id' | 'organizationId'>;
  event: InboundMessageEvent;
  /** Worked out once per message (phone parsing is not free): who wrote, and how to find them. */
  identity: ContactIdentity;
  match: NonNullable<ReturnType<typeof contactMatch>>;
}

interface KnownSender {
  i: number;
  id: string;
  phoneE164: string | null;
  waId: string | null;
  bsuid: string | null;
  username: string | null;
  profileName: string | null;
  conversationId: string | null;
}

const MAX_BATCH = 100;

/** One index lookup per identity given: phone variants, BSUID, else the raw wa_id (rare: no index, one organisation's contacts). */
const LOOK_UP_SENDERS = new PreparedStatement(
  'inbound-look-up-senders',
  `SELECT DISTINCT ON (q.i) q.i, c.id, c.phone_e164 AS "phoneE164", c.wa_id AS "waId", c.bsuid, c.username, c.profile_name AS "profileName",
          v.id AS "conversationId"
     FROM unnest($1::int[], $2::uuid[], $3::uuid[], $4::varchar[], $5::varchar[], $6::varchar[]) AS q(i, organization_id, account_id, phone, bsuid, wa_id)
    CROSS JOIN LATERAL (
          SELECT * FROM contact WHERE organization_id = q.organization_id AND phone_e164 = q.phone
          UNION ALL SELECT * FROM contact WHERE organization_id = q.organization_id AND bsuid = q.bsuid
          UNION ALL SELECT * FROM contact WHERE q.wa_id IS NOT NULL AND organization_id = q.organization_id AND wa_id = q.wa_id) c
     LEFT JOIN conversation v ON v.contact_id = c.id AND v.whatsapp_account_id = q.account_id
    ORDER BY q.i, c.phone_e164 IS NULL, c.created_at`,
);

/**
 * The common inbound case — a known customer writes again, plainly, in an existing conversation — applied for
 * all concurrent jobs at once: one lock-free lookup of every sender, then one statement that writes every message
 * (see `writeInboundRows`), with no transaction around them. A job gets null when the general path
 * (`InboundMessagesService.applyInbound`) must run instead: a new contact or conversation, a changed name or
 * identity, media, an edit, a revoke, a number change or an opt-out keyword — or the batch failed as a whole
 * (e.g. a deadlock), which the general path then settles message by message.
 */
@Injectable()
export class KnownSenderInbound {
  private readonly batches = new GroupCommit((items: Pending[]) => this.applyBatch(items), { maxBatch: MAX_BATCH, maxInFlight: 2 });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  apply(account: Pick<WhatsappAccount, 'id' | 'organizationId'>, event: InboundMessageEvent): Promise<AppliedMessage | null> {
    if (event.media?.id || hasMessageEffects(event)) return Promise.resolve(null);
    const identity = senderIdentity(event.from);
    const match = contactMatch(identity);
    if (!match) return Promise.resolve(null);
    return this.batches.submit({ account, event, identity, match });
  }

  private async applyBatch(items: Pending[]): Promise<Array<AppliedMessage | null>> {
    const results: Array<AppliedMessage | null> = items.map(() => null);
    try {
      const senders = await this.lookUp(items);
      const seen = new Set<string>();
      const writable = items.flatMap((item, i) => {
        const known = senders.get(i);
        // One row per provider id: a message delivered twice at once is settled by the general path.
        const key = `${item.account.id}:${item.event.providerMessageId}`;
        if (!known?.conversationId || Object.keys(identityPatch(known, item.identity)).length > 0 || seen.has(key)) return [];
        seen.add(key);
        return [{ i, item, contactId: known.id, conversationId: known.conversationId }];
      });
      const outcomes = await writeInboundRows(
        this.dataSource.manager,
        writable.map(({ item, contactId, conversationId }) => inboundRow(item.account, item.event, conversationId, contactId)),
      );
      writable.forEach(({ i, item, contactId, conversationId }, n) => {
        const messageId = outcomes[n];
        // undefined: the conversation went away meanwhile (erasure); the general path recreates what is needed.
        if (messageId === undefined) return;
        results[i] = { inserted: messageId !== null, messageId, conversationId, contactId, organizationId: item.account.organizationId };
      });
    } catch (error) {
      // Every job of the batch falls back to the general path, one message at a time.
      this.logger.warn({ err: { message: (error as Error).message, code: (error as { code?: string }).code }, messages: items.length }, 'inbound batch fell back to the general path');
      return items.map(() => null);
    }
    return results;
  }

  /** Each sender's contact (matched as `ContactsService.findByIdentity` does) and its conversation with the account. */
  private async lookUp(items: Pending[]): Promise<Map<number, KnownSender>> {
    const query: { i: number[]; organization: string[]; account: string[]; phone: Array<string | null>; bsuid: Array<string | null>; waId: Array<string | null> } = {
      i: [], organization: [], account: [], phone: [], bsuid: [], waId: [],
    };
    items.forEach(({ account, match }, i) => {
      for (const phone of match.phones.length > 0 ? match.phones : [null]) {
        query.i.push(i);
        query.organization.push(account.organizationId);
        query.account.push(account.id);
        query.phone.push(phone);
        query.bsuid.push(match.bsuid);
        query.waId.push(match.waId);
      }
    });
    const rows = await LOOK_UP_SENDERS.run<KnownSender>(this.dataSource.manager, [query.i, query.organization, query.account, query.phone, query.bsuid, query.waId]);
    return new Map(rows.map((row) => [row.i, row]));
  }
}

