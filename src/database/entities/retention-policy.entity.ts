import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';

/** An organisation's retention ages in days, per kind of data; `null` keeps that kind forever. */
@Entity('retention_policy')
export class RetentionPolicy extends BaseEntity {
  @Index('uq_retention_policy_organization', { unique: true })
  @Column({ type: 'uuid' })
  organizationId: string;

  /** Message text and captions are scrubbed; the row and its status stay. */
  @Column({ type: 'integer', nullable: true })
  messageBodyDays: number | null;

  @Column({ type: 'integer', nullable: true })
  mediaDays: number | null;

  @Column({ type: 'integer', nullable: true })
  webhookEventDays: number | null;

  @Column({ type: 'integer', nullable: true })
  agentRunDays: number | null;

  /** Closed conversations whose close is older than this go with their messages, media and agent runs. */
  @Column({ type: 'integer', nullable: true })
  closedConversationDays: number | null;

  @Column({ type: 'integer', nullable: true })
  campaignRecipientDays: number | null;
}
