import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A conversation milestone that leaves no trace in the message table (closed, reopened, handoff requested by a
 * person), recorded when it happens; cycles are derived from these and the messages.
 */
@Entity('analytics_milestone')
@Index('idx_analytics_milestone_conversation', ['conversationId', 'occurredAt'])
@Index('idx_analytics_milestone_created', ['createdAt'])
export class AnalyticsMilestone {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  conversationId: string;

  /** closed, reopened, handoff_requested. */
  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
