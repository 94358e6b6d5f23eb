import type { JsonObject } from './json';
import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';

/** A conversational flow definition (JSON, validated by the agents module) stored per organisation. */
@Entity('agent_flow')
@Index('uq_agent_flow_key', ['organizationId', 'key'], { unique: true })
export class AgentFlow extends BaseEntity {
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'varchar', length: 100 })
  key: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ type: 'jsonb' })
  definition: JsonObject;
}
