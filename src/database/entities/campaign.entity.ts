import type { JsonObject } from './json';
import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';
import { CampaignStatus } from './enums';

/** A campaign (also a bulk send, the `jobs/:id` of the API): one message per recipient. */
@Entity('campaign')
@Index('uq_campaign_idempotency_key', ['organizationId', 'idempotencyKey'], { unique: true })
@Index('idx_campaign_status', ['status'])
export class Campaign extends BaseEntity {
  @Index('idx_campaign_organization')
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  whatsappAccountId: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name: string | null;

  @Column({ type: 'enum', enum: CampaignStatus, enumName: 'campaign_status', default: CampaignStatus.Draft })
  status: CampaignStatus;

  /** The content shared by every recipient (per-recipient overrides live on the recipient). */
  @Column({ type: 'jsonb', nullable: true })
  content: JsonObject | null;

  /** How the audience was chosen (contact ids, labels, filter, explicit list size, CSV uploads). */
  @Column({ type: 'jsonb', nullable: true })
  audience: JsonObject | null;

  /** Sending window in each recipient's timezone and expiry: `{window?: {start, end}, expiresAt?}`. */
  @Column({ type: 'jsonb', nullable: true })
  schedule: JsonObject | null;

  /** `{variants: [{name, percent, content?}], testFraction?, decideAfterMs?, metric?}`. */
  @Column({ type: 'jsonb', nullable: true })
  abTest: JsonObject | null;

  /** Index into abTest.variants once the test phase chose one. */
  @Column({ type: 'smallint', nullable: true })
  winnerVariant: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  testPhaseEndsAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  totalRecipients: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  idempotencyKey: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requestHash: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  /** When it starts (`schedule.startAt` of the API). */
  @Column({ type: 'timestamptz', nullable: true })
  sendAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  pausedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** When the last campaign.progress event was written (at most one a second). */
  @Column({ type: 'timestamptz', nullable: true })
  progressEmittedAt: Date | null;
}
