import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';

/** A saved answer agents insert with `/shortcut` in the inbox composer; the shortcut is unique per organisation, case-insensitively. */
@Entity('quick_reply')
export class QuickReply extends BaseEntity {
  @Column({ type: 'uuid' })
  organizationId: string;

  // Unique on (organization_id, lower(shortcut)): an expression index, created by the migration.
  @Index('uq_quick_reply_shortcut', { synchronize: false })
  @Column({ type: 'varchar', length: 32 })
  shortcut: string;

  @Column({ type: 'text' })
  body: string;
}
