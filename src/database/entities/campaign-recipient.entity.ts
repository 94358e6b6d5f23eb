import type { JsonObject } from './json';
import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';
import { CampaignRecipientStatus } from './enums';

@Entity('campaign_recipient')
@Index('uq_campaign_recipient_phone', ['campaignId', 'phoneE164'], { unique: true })
@Index('idx_campaign_recipient_status', ['campaignId', 'status', 'id'])
@Index('idx_campaign_recipient_claimed', ['claimedAt'])
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

  /** A/B variant index (null: no test, or waiting for the winner). */
  @Column({ type: 'smallint', nullable: true })
  variant: number | null;

  /** IANA zone for quiet hours (contact attribute, else the phone's country, else the account's). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  timezone: string | null;

  /** Sends tried for this recipient (a 131049 reschedule adds one). */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  /** When its current message was created: counts towards the account's messaging tier for 24 h. */
  @Column({ type: 'timestamptz', nullable: true })
  claimedAt: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  errorCode: string | null;

  @Column({ type: 'text', nullable: true })
  errorMessage: string | null;
}
