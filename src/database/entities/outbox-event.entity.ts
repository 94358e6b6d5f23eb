import { Column, Entity, Generated, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The transactional outbox: one row per domain event, written by the owning module in the same transaction as the
 * change; the integrations relay fans undispatched rows out to endpoints and the SSE stream. `seq` orders events
 * and is the SSE `id`; `id` is the envelope id (`webhook-id`).
 */
@Entity('outbox_event')
@Index('idx_outbox_event_undispatched', ['seq'], { where: 'dispatched_at IS NULL' })
@Index('idx_outbox_event_org_time', ['organizationId', 'createdAt'])
@Index('idx_outbox_event_org_xid', ['organizationId', 'xid', 'seq'])
export class OutboxEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  seq: string;

  @Index('uq_outbox_event_id', { unique: true })
  @Column({ type: 'uuid' })
  @Generated('uuid')
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'varchar', length: 64 })
  type: string;

  @Column({ type: 'uuid', nullable: true })
  conversationId: string | null;

  @Column({ type: 'jsonb' })
  data: unknown;

  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  dispatchedAt: Date | null;

  /**
   * The writing transaction's id: every row below the oldest open transaction's id is final (committed or never
   * will be), so WebSocket forwarding reads in (xid, seq) order without skipping a late commit. Null on rows
   * written before it existed.
   */
  @Column({ type: 'bigint', nullable: true, default: () => 'conversa_current_xid()' })
  xid: string | null;
}
