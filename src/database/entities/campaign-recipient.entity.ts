import type { JsonObject } from './json';
import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';
import { CampaignRecipientStatus } from './enums';

@Entity('campaign_recipient')
@Index('uq_campaign_recipient_phone', ['campaignId', 'phoneE164'], { unique: true })
@Index('idx_campaign_recipient_status', ['campaignId', 'status', 'id'])
export class CampaignRecipient extends BaseEntity {
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  campaignId: string;

  @Column({ type: 'varchar', length: 20 })
  phoneE164: string;

  @Column({ type: 'uuid', nullable: true })
  contactId: string | null;

  @Column({ type: 'uuid', nullable: true })
  messageId: string | null;

  /** Per-recipient content override or template variables. */
  @Column({ type: 'jsonb', nullable: true })
  content: JsonObject | null;

  @Column({ type: 'enum', enum: CampaignRecipientStatus, enumName: 'campaign_recipient_status', default: CampaignRecipientStatus.Pending })
  status: CampaignRecipientStatus;

  @Column({ type: 'varchar', length: 64, nullable: true })
  errorCode: string | null;

  @Column({ type: 'text', nullable: true })
  errorMessage: string | null;
}
