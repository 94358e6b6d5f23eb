import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AgentRunOutcome } from './enums';

@Entity('agent_run')
@Index('idx_agent_run_org_created', ['organizationId', 'createdAt'])
export class AgentRun {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  conversationId: string;

  /** The latest inbound message of the burst this run answered. */
  @Column({ type: 'uuid', nullable: true })
  messageId: string | null;

  /** conversation + latest inbound message: a replayed webhook or a retried job never runs twice. */
  @Index('uq_agent_run_trigger_key', { unique: true })
  @Column({ type: 'varchar', length: 200 })
  triggerKey: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  agentName: string | null;

  @Column({ type: 'real', nullable: true })
  confidence: number | null;

  @Column({ type: 'jsonb', nullable: true })
  scores: Record<string, number> | null;

  @Column({ type: 'integer', nullable: true })
  latencyMs: number | null;

  @Column({ type: 'enum', enum: AgentRunOutcome, enumName: 'agent_run_outcome' })
  outcome: AgentRunOutcome;

  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  replyMessageIds: string[];

  @Column({ type: 'boolean', default: false })
  isAi: boolean;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** When the inbound message arrived, for time-to-reply analytics. */
  @Column({ type: 'timestamptz', nullable: true })
  inboundAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
