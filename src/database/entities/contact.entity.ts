import type { JsonObject } from './json';
import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';

@Entity('contact')
@Index('uq_contact_phone', ['organizationId', 'phoneE164'], { unique: true, where: 'phone_e164 IS NOT NULL' })
@Index('uq_contact_bsuid', ['organizationId', 'bsuid'], { unique: true, where: 'bsuid IS NOT NULL' })
@Index('idx_contact_org_name', ['organizationId', 'name'])
export class Contact extends BaseEntity {
  @Column({ type: 'uuid' })
  organizationId: string;

  /** Canonical E.164 (Brazil ninth digit and Mexico's 1 folded); null for BSUID-only senders. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  phoneE164: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  waId: string | null;

  /** Meta's business-scoped user id, for senders that arrive without a phone number. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  bsuid: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  username: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  profileName: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  labels: string[];

  @Column({ type: 'jsonb', default: () => "'{}'" })
  customAttributes: JsonObject;

  @Column({ type: 'timestamptz', nullable: true })
  optedOutAt: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  optOutSource: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastInboundAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastOutboundAt: Date | null;

  /** Latest interest classification of a reply (interested, not_interested, question, unknown). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  interest: string | null;
}
