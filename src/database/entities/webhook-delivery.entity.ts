import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';
import { WebhookDeliveryStatus } from './enums';

/** One event to one endpoint: its attempts, last outcome and next attempt. */
@Entity('webhook_delivery')
@Index('idx_webhook_delivery_endpoint', ['endpointId', 'createdAt'])
@Index('idx_webhook_delivery_pending', ['nextAttemptAt'], { where: "status = 'pending'" })
@Index('idx_webhook_delivery_ordered', ['endpointId', 'conversationId', 'eventSeq'], { where: "status = 'pending' AND conversation_id IS NOT NULL" })
export class WebhookDelivery extends BaseEntity {
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  endpointId: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @Column({ type: 'varchar', length: 64 })
  eventType: string;

  @Column({ type: 'enum', enum: WebhookDeliveryStatus, enumName: 'webhook_delivery_status', default: WebhookDeliveryStatus.Pending })
  status: WebhookDeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'integer', nullable: true })
  responseCode: number | null;

  @Column({ type: 'integer', nullable: true })
  latencyMs: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  /** Set only for an ordered endpoint's delivery of a conversation's event: the order it waits its turn in. */
  @Column({ type: 'uuid', nullable: true })
  conversationId: string | null;

  /** The event's outbox `seq` (with `conversationId`). */
  @Column({ type: 'bigint', nullable: true })
  eventSeq: string | null;
}
