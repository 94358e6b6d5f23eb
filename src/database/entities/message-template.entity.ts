import type { JsonObject } from './json';
import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';
import { TemplateCategory } from './enums';

@Entity('message_template')
@Index('uq_message_template_account_name_language', ['whatsappAccountId', 'name', 'language'], { unique: true })
@Index('idx_message_template_org', ['organizationId', 'whatsappAccountId', 'status'])
export class MessageTemplate extends BaseEntity {
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  whatsappAccountId: string;

  @Column({ type: 'varchar', length: 512 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  language: string;

  @Column({ type: 'enum', enum: TemplateCategory, enumName: 'template_category' })
  category: TemplateCategory;

  /** DRAFT (local only) or Meta's status: PENDING, APPROVED, REJECTED, PAUSED, DISABLED, … (open set). */
  @Column({ type: 'varchar', length: 32, default: 'DRAFT' })
  status: string;

  @Column({ type: 'text', nullable: true })
  rejectionReason: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  quality: string | null;

  /** POSITIONAL ({{1}}) or NAMED ({{name}}). */
  @Column({ type: 'varchar', length: 16, default: 'POSITIONAL' })
  parameterFormat: string;

  /** Components exactly as Meta defines them (HEADER, BODY, FOOTER, BUTTONS with examples). */
  @Column({ type: 'jsonb' })
  components: Array<JsonObject>;

  @Column({ type: 'varchar', length: 64, nullable: true })
  providerTemplateId: string | null;

  /** Set when a sync no longer finds the template on the WABA. */
  @Column({ type: 'timestamptz', nullable: true })
  removedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastSyncedAt: Date | null;
}
