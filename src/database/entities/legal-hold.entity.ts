import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';

/** Exempts a contact (all its conversations) or one conversation from every retention policy. */
@Entity('legal_hold')
@Index('uq_legal_hold_contact', ['organizationId', 'contactId'], { unique: true, where: 'contact_id IS NOT NULL' })
@Index('uq_legal_hold_conversation', ['organizationId', 'conversationId'], { unique: true, where: 'conversation_id IS NOT NULL' })
export class LegalHold extends BaseEntity {
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid', nullable: true })
  contactId: string | null;

  @Column({ type: 'uuid', nullable: true })
  conversationId: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;
}
