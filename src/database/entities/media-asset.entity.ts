import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base.entity';
import { MediaStatus } from './enums';

@Entity('media_asset')
@Index('uq_media_asset_message', ['messageId'], { unique: true })
export class MediaAsset extends BaseEntity {
  @Index('idx_media_asset_organization')
  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  whatsappAccountId: string;

  /** Null for media uploaded to send (POST /api/v1/media): it may go out in many messages. */
  @Column({ type: 'uuid', nullable: true })
  messageId: string | null;

  @Column({ type: 'varchar', length: 128 })
  providerMediaId: string;

  @Column({ type: 'enum', enum: MediaStatus, enumName: 'media_status', default: MediaStatus.Pending })
  status: MediaStatus;

  @Column({ type: 'varchar', length: 128, nullable: true })
  mimeType: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  sha256: string | null;

  @Column({ type: 'bigint', nullable: true })
  sizeBytes: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  storageKey: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  filename: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;
}
