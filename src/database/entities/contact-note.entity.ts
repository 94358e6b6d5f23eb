import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';

@Entity('contact_note')
@Index('idx_contact_note_contact', ['organizationId', 'contactId', 'createdAt'])
export class ContactNote extends BaseEntity {
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  contactId: string;

  @Column({ type: 'uuid', nullable: true })
  authorUserId: string | null;

  @Column({ type: 'text' })
  body: string;
}
