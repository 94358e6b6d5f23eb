import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';
import { UserRole } from './enums';

@Entity('api_key')
export class ApiKey extends BaseEntity {
  @Index('idx_api_key_organization')
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** The key's public lookup part (`cvk_<prefix>_<secret>`); the secret is only stored hashed. */
  @Index('uq_api_key_prefix', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  prefix: string;

  @Column({ type: 'varchar', length: 255, select: false })
  keyHash: string;

  @Column({ type: 'enum', enum: UserRole, enumName: 'user_role', default: UserRole.Admin })
  role: UserRole;

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
