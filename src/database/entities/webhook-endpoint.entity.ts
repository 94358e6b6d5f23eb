import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';

/** A customer's receiver of events: an http(s) URL (Standard Webhooks POST) or a ws(s) URL (forwarded frames). */
@Entity('webhook_endpoint')
@Index('idx_webhook_endpoint_org', ['organizationId'])
export class WebhookEndpoint extends BaseEntity {
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  /** Event types, or `*` for all. */
  @Column({ type: 'varchar', length: 64, array: true })
  events: string[];

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  @Column({ type: 'text' })
  secretEncrypted: string;

  /** The secret before the last rotation: it signs too until `previousSecretExpiresAt`. */
  @Column({ type: 'text', nullable: true })
  previousSecretEncrypted: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ type: 'varchar', length: 200, nullable: true })
  disabledReason: string | null;

  /** Attempts per second at most (per worker process); null = WEBHOOK_ENDPOINT_MAX_PER_SECOND. */
  @Column({ type: 'integer', nullable: true })
  maxPerSecond: number | null;

  /** Events of one conversation are delivered in order: each waits until the one before has been delivered or died. */
  @Column({ type: 'boolean', default: false })
  ordered: boolean;

  /** First failure since the last success: an endpoint failing for WEBHOOK_DISABLE_AFTER_MS is disabled. */
  @Column({ type: 'timestamptz', nullable: true })
  failingSince: Date | null;
}
