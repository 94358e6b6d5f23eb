import type { JsonObject } from './json';
import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';
import { CampaignStatus } from './enums';

/** A bulk send (the `jobs/:id` of the API) or a named campaign: one message per recipient. */
@Entity('campaign')
@Index('uq_campaign_idempotency_key', ['organizationId', 'idempotencyKey'], { unique: true })
export class Campaign extends BaseEntity {
  @Index('idx_campaign_organization')
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  whatsappAccountId: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name: string | null;

  @Column({ type: 'enum', enum: CampaignStatus, enumName: 'campaign_status', default: CampaignStatus.Queued })
  status: CampaignStatus;

  /** The content shared by every recipient (per-recipient overrides live on the recipient). */
  @Column({ type: 'jsonb', nullable: true })
  content: JsonObject | null;

  @Column({ type: 'integer', default: 0 })
  totalRecipients: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  idempotencyKey: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requestHash: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  sendAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;
}
