import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';

/** The audit record of one retention run: which policy, as of when, and how many rows of each kind went. */
@Entity('retention_run')
@Index('idx_retention_run_org_created', ['organizationId', 'createdAt'])
export class RetentionRun extends BaseEntity {
  @Column({ type: 'uuid' })
  organizationId: string;

  /** schedule, cli or api. */
  @Column({ type: 'varchar', length: 16 })
  trigger: string;

  @Column({ type: 'boolean', default: false })
  dryRun: boolean;

  @Column({ type: 'timestamptz' })
  asOf: Date;

  /** The ages applied (days per kind). */
  @Column({ type: 'jsonb' })
  policy: Record<string, number | null>;

  /** Rows (or files) removed per kind. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  removed: Record<string, number>;

  /** running, completed or failed. */
  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
