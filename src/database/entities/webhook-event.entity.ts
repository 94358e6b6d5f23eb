import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { WebhookEventStatus, WebhookProvider } from './enums';

@Entity('webhook_event')
@Index('idx_webhook_event_status', ['status', 'receivedAt'])
@Index('idx_webhook_event_processed', ['processedAt'], { where: "status = 'processed'" })
export class WebhookEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'enum', enum: WebhookProvider, enumName: 'webhook_provider' })
  provider: WebhookProvider;

  /** Provider idempotency header, else SHA-256 of the raw body. */
  @Index('uq_webhook_event_idempotency_key', { unique: true })
  @Column({ type: 'varchar', length: 128 })
  idempotencyKey: string;

  /** Set when the event came through a per-account route. */
  @Column({ type: 'uuid', nullable: true })
  whatsappAccountId: string | null;

  /** Kapso's `X-Webhook-Event`; null for Meta. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  eventName: string | null;

  /** The body as received; null when PostgreSQL's jsonb rejected it (then `rawBody` holds it). */
  @Column({ type: 'jsonb', nullable: true })
  payload: unknown;

  /** The exact bytes of a body jsonb could not hold (`\u0000`, a lone surrogate, too deep, a number out of range). */
  @Column({ type: 'bytea', nullable: true })
  rawBody: Buffer | null;

  /** Phone number ids the payload concerns (set when processed): which organisations may see the event. */
  @Column({ type: 'varchar', length: 64, array: true, default: () => "'{}'" })
  phoneNumberIds: string[];

  @Column({ type: 'enum', enum: WebhookEventStatus, enumName: 'webhook_event_status', default: WebhookEventStatus.Received })
  status: WebhookEventStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** Items of the payload that could not be applied (the rest were). */
  @Column({ type: 'jsonb', nullable: true })
  itemErrors: Array<{ path: string; error: string }> | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  processedAt: Date | null;
}
