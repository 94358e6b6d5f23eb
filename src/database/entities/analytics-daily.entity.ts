import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Daily rollup of analytics cycles per account and human agent (by the UTC day the cycle opened): the counts every
 * report sums. `agentKey` is the agent's user id, or the nil uuid for cycles no person answered.
 */
@Entity('analytics_daily')
export class AnalyticsDaily {
  @PrimaryColumn({ type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @PrimaryColumn({ type: 'uuid' })
  whatsappAccountId: string;

  @PrimaryColumn({ type: 'uuid' })
  agentKey: string;

  /** One of the conversations' labels, or '' for all conversations (each cycle counts once under '' and once per label). */
  @PrimaryColumn({ type: 'varchar', length: 100 })
  label: string;

  @Column({ type: 'integer', default: 0 })
  opened: number;

  @Column({ type: 'integer', default: 0 })
  resolved: number;

  @Column({ type: 'integer', default: 0 })
  autoResolved: number;

  @Column({ type: 'integer', default: 0 })
  handoffs: number;

  @Column({ type: 'integer', default: 0 })
  windowExpired: number;

  @Column({ type: 'integer', default: 0 })
  inbound: number;

  @Column({ type: 'integer', default: 0 })
  outbound: number;

  @Column({ type: 'integer', default: 0 })
  humanReplies: number;
}
