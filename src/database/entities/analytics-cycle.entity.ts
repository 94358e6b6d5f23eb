import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One open → resolved cycle of a conversation with its milestones and durations (wall and business seconds):
 * the pre-aggregated row every report reads. A reopen starts a new cycle.
 */
@Entity('analytics_cycle')
@Index('idx_analytics_cycle_org_opened', ['organizationId', 'openedAt'])
export class AnalyticsCycle {
  @PrimaryColumn({ type: 'uuid' })
  conversationId: string;

  @PrimaryColumn({ type: 'integer' })
  cycle: number;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  whatsappAccountId: string;

  @Column({ type: 'timestamptz' })
  openedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  firstBotReplyAt: Date | null;

  /** The last bot handoff before the first human reply: first response counts from it. */
  @Column({ type: 'timestamptz', nullable: true })
  handoffAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  firstHumanReplyAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  agentUserId: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  labels: string[];

  @Column({ type: 'integer', default: 0 })
  inboundCount: number;

  @Column({ type: 'integer', default: 0 })
  outboundCount: number;

  @Column({ type: 'integer', default: 0 })
  humanReplies: number;

  @Column({ type: 'integer', nullable: true })
  firstResponseSeconds: number | null;

  @Column({ type: 'integer', nullable: true })
  firstResponseBusinessSeconds: number | null;

  @Column({ type: 'integer', nullable: true })
  resolutionSeconds: number | null;

  @Column({ type: 'integer', nullable: true })
  resolutionBusinessSeconds: number | null;

  /** Resolved without a human reply and without a handoff. */
  @Column({ type: 'boolean', default: false })
  autoResolved: boolean;

  /** The customer's 24-hour window closed before the business answered. */
  @Column({ type: 'boolean', default: false })
  windowExpired: boolean;
}
