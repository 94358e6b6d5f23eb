import type { JsonObject } from './json';
import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';
import { WhatsappProviderKind } from './enums';

export interface BusinessHours {
  /** Weekday (mon..sun) → list of [open, close] local times, e.g. { mon: [['09:00', '18:00']] }. */
  weekly: Partial<Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', Array<[string, string]>>>;
  /** Local dates (YYYY-MM-DD) on which the business is closed all day. */
  holidays?: string[];
}

@Entity('whatsapp_account')
// A phone number id is Meta's global id: unique across providers and tenants, so a webhook item routes to one account.
@Index('uq_whatsapp_account_phone_number_id', ['phoneNumberId'], { unique: true })
export class WhatsappAccount extends BaseEntity {
  @Index('idx_whatsapp_account_organization')
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'enum', enum: WhatsappProviderKind, enumName: 'whatsapp_provider_kind' })
  provider: WhatsappProviderKind;

  @Column({ type: 'varchar', length: 64 })
  phoneNumberId: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  wabaId: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  displayPhoneNumber: string | null;

  /** AES-256-GCM ciphertext (see common/crypto.ts); decrypted only when calling the provider. */
  @Column({ type: 'text', select: false })
  accessTokenEncrypted: string;

  /** Per-account app secret for `/webhooks/meta/:accountId`, encrypted like the token. */
  @Column({ type: 'text', nullable: true, select: false })
  appSecretEncrypted: string | null;

  @Column({ type: 'char', length: 2, default: 'CL' })
  defaultRegion: string;

  @Column({ type: 'integer', default: 80 })
  rateLimitPerSecond: number;

  @Column({ type: 'varchar', length: 64, default: 'America/Santiago' })
  timezone: string;

  /** Meta's messaging tier: unique recipients per rolling 24 h that campaigns may reach (null = unlimited). */
  @Column({ type: 'integer', nullable: true })
  messagingLimit: number | null;

  @Column({ type: 'jsonb', nullable: true })
  businessHours: BusinessHours | null;

  @Column({ type: 'boolean', default: true })
  autoRepliesEnabled: boolean;

  @Column({ type: 'boolean', default: false })
  isDefault: boolean;

  @Column({ type: 'varchar', length: 32, nullable: true })
  qualityRating: string | null;

  /** Latest account_update / phone quality / capability facts from Meta, kept as received. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  providerState: JsonObject;
}
