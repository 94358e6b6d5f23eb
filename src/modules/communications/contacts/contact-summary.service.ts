import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../../../common/errors/domain-error';
import { Contact } from '../../../database/entities/contact.entity';
import { CommunicationsErrorCode } from '../communications.errors';

/** A contact's messaging history in numbers: counts by status and direction, reply rate, interest, consent. */
@Injectable()
export class ContactSummaryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async summarize(organizationId: string, contactId: string): Promise<Record<string, unknown>> {
    const contact = await this.dataSource.getRepository(Contact).findOne({ where: { id: contactId, organizationId } });
    if (!contact) throw new NotFoundError(CommunicationsErrorCode.ContactNotFound, 'contact');
    const [byStatus, totals]: [Array<{ status: string; count: number }>, Array<Record<string, unknown>>] = await Promise.all([
      this.dataSource.query(`SELECT status, count(*)::int AS count FROM message WHERE organization_id = $1 AND contact_id = $2 GROUP BY status`, [organizationId, contactId]),
      this.dataSource.query(
        `SELECT max(occurred_at) FILTER (WHERE direction = 'inbound') AS "lastInboundAt",
                max(occurred_at) FILTER (WHERE direction = 'outbound') AS "lastOutboundAt",
                count(*) FILTER (WHERE direction = 'inbound')::int AS inbound,
                count(*) FILTER (WHERE direction = 'outbound')::int AS outbound,
                count(*) FILTER (WHERE direction = 'outbound' AND reply_received_at IS NOT NULL)::int AS replied
           FROM message WHERE organization_id = $1 AND contact_id = $2`,
        [organizationId, contactId],
      ),
    ]);
    const t = totals[0] as { lastInboundAt: Date | null; lastOutboundAt: Date | null; inbound: number; outbound: number; replied: number };
    return {
      contactId,
      counts: Object.fromEntries(byStatus.map((r) => [r.status, r.count])),
      inbound: t.inbound,
      outbound: t.outbound,
      lastInboundAt: t.lastInboundAt,
      lastOutboundAt: t.lastOutboundAt,
      replyRate: t.outbound > 0 ? t.replied / t.outbound : null,
      interest: contact.interest,
      optedOut: Boolean(contact.optedOutAt),
    };
  }}
