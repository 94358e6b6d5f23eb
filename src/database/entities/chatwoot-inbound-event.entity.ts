import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';

/**
 * One webhook from Chatwoot, stored before it is acknowledged and applied by a job. The key (the Chatwoot message
 * id, or the delivery) is unique per integration, so a redelivery is stored and applied once.
 */
@Entity('chatwoot_inbound_event')
@Index('uq_chatwoot_inbound_event', ['integrationId', 'eventKey'], { unique: true })
export class ChatwootInboundEvent extends BaseEntity {
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  integrationId: string;

  @Column({ type: 'varchar', length: 200 })
  eventKey: string;

  @Column({ type: 'varchar', length: 64 })
  eventType: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16, default: 'received' })
  status: 'received' | 'applied' | 'failed';

  /** What applying it did: `sent`, `ignored:echo`, `note:window_closed`, `closed`… */
  @Column({ type: 'varchar', length: 64, nullable: true })
  outcome: string | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;
}
