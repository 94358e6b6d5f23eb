import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { ROOT_LOGGER } from '../../common/logging/logging.module';
import type { Campaign } from '../../database/entities/campaign.entity';
import { pickWinner, variantBounds, type VariantStats } from './ab-split';

export interface AbTestSpec {
  variants: Array<{ name: string; percent: number; content?: Record<string, unknown> }>;
  testFraction?: number;
  decideAfterMs?: number;
  metric?: 'read' | 'replied';
}

export const DEFAULT_DECIDE_AFTER_MS = 4 * 3600_000;

/** An inbound message within this long after delivery counts as a reply to a campaign message. */
export const REPLY_WINDOW = `interval '72 hours'`;

/** A/B: variants assigned in a random but exact split; with a test phase, the rest waits (`held`) for the winner. */
@Injectable()
export class CampaignAbTest {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** At start: ranks pending recipients by a hash of their id, then cuts the ranking by the percentages. */
  async assign(manager: EntityManager, campaign: Pick<Campaign, 'id'>, spec: AbTestSpec): Promise<void> {
    const [{ total }] = await manager.query(`SELECT count(*)::int AS total FROM campaign_recipient WHERE campaign_id = $1 AND status = 'pending'`, [campaign.id]);
    const tested = spec.testFraction ? Math.round(total * spec.testFraction) : total;
    const bounds = variantBounds(spec.variants.map((v) => v.percent), tested);
    await manager.query(
      `WITH ranked AS (SELECT id, row_number() OVER (ORDER BY md5(id::text || $1::text)) - 1 AS rn FROM campaign_recipient WHERE campaign_id = $1 AND status = 'pending')
       UPDATE campaign_recipient cr SET
         variant = CASE WHEN ranked.rn < $3 THEN (SELECT count(*) FROM unnest($2::int[]) AS b WHERE b <= ranked.rn) END,
         status = (CASE WHEN ranked.rn < $3 THEN 'pending' ELSE 'held' END)::campaign_recipient_status, updated_at = now()
         FROM ranked WHERE cr.id = ranked.id`,
      [campaign.id, bounds, tested],
    );
  }

  /** After the test phase: the variant with the best read (or reply) rate goes to the held recipients. */
  async decideIfDue(campaign: Campaign, now: Date): Promise<void> {
    const spec = campaign.abTest as AbTestSpec | null;
    if (!spec?.testFraction || campaign.winnerVariant !== null || !campaign.testPhaseEndsAt || now < campaign.testPhaseEndsAt) return;
    const stats = await this.variantStats(campaign.id);
    const winner = pickWinner(
      spec.variants.map((_, variant) => stats.find((s) => s.variant === variant) ?? { variant, sent: 0, read: 0, replied: 0 }),
      spec.metric ?? 'read',
    );
    await this.dataSource.transaction(async (manager) => {
      const [, count] = await manager.query(`UPDATE campaign SET winner_variant = $2, updated_at = now() WHERE id = $1 AND winner_variant IS NULL`, [campaign.id, winner]);
      if (count !== 1) return;
      await manager.query(`UPDATE campaign_recipient SET status = 'pending', variant = $2, updated_at = now() WHERE campaign_id = $1 AND status = 'held'`, [campaign.id, winner]);
    });
    campaign.winnerVariant = winner;
    this.logger.info({ campaignId: campaign.id, winner, stats }, 'A/B test decided');
  }

  variantStats(campaignId: string): Promise<VariantStats[]> {
    return this.dataSource.query(
      `SELECT cr.variant,
              count(*) FILTER (WHERE m.status IN ('sent', 'delivered', 'read', 'played'))::int AS sent,
              count(*) FILTER (WHERE m.status IN ('read', 'played'))::int AS read,
              count(*) FILTER (WHERE m.reply_received_at IS NOT NULL OR ct.last_inbound_at BETWEEN coalesce(m.delivered_at, m.sent_at) AND coalesce(m.delivered_at, m.sent_at) + ${REPLY_WINDOW})::int AS replied
         FROM campaign_recipient cr JOIN message m ON m.id = cr.message_id LEFT JOIN contact ct ON ct.id = cr.contact_id
        WHERE cr.campaign_id = $1 AND cr.variant IS NOT NULL GROUP BY cr.variant`,
      [campaignId],
    );
  }
}
