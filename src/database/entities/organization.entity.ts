import type { JsonObject } from './json';
import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';

export interface OrganizationSettings {
  autoRepliesEnabled?: boolean;
  /** The organisation's agent configuration (owned by the agents module). */
  agents?: JsonObject;
  llm?: { enabled?: boolean; monthlyTokenBudget?: number; instructions?: string };
}

@Entity('organization')
export class Organization extends BaseEntity {
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Index('uq_organization_slug', { unique: true })
  @Column({ type: 'varchar', length: 100 })
  slug: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  settings: OrganizationSettings;
}
