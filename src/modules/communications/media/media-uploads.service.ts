import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DataSource, IsNull } from 'typeorm';
import { DomainError, NotFoundError } from '../../../common/errors/domain-error';
import { AppConfig } from '../../../config/app-config';
import { MediaStatus } from '../../../database/entities/enums';
import { MediaAsset } from '../../../database/entities/media-asset.entity';
import { WhatsappProviders } from '../../whatsapp/whatsapp-providers.service';
import { CommunicationsErrorCode } from '../communications.errors';

/** What Meta accepts per media kind, and its size limit for that kind. */
const KINDS: Array<{ pattern: RegExp; maxBytes: number }> = [
  { pattern: /^image\/(jpeg|png)$/, maxBytes: 5 * 1024 * 1024 },
  { pattern: /^image\/webp$/, maxBytes: 500 * 1024 },
  { pattern: /^(video\/(mp4|3gpp)|audio\/(aac|amr|mpeg|mp4|ogg))$/, maxBytes: 16 * 1024 * 1024 },
  { pattern: /^(application\/(pdf|msword|vnd\.ms-excel|vnd\.ms-powerpoint|vnd\.openxmlformats-officedocument\.[\w.]+)|text\/plain)$/, maxBytes: 100 * 1024 * 1024 },
];

export const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;

export interface UploadInput {
  buffer: Buffer;
  mimeType: string;
  filename: string;
}

export interface MediaView {
  id: string;
  mimeType: string | null;
  sizeBytes: number | null;
  filename: string | null;
  status: MediaStatus;
}

export function mediaView(asset: Pick<MediaAsset, 'id' | 'mimeType' | 'sizeBytes' | 'filename' | 'status'>): MediaView {
  return { id: asset.id, mimeType: asset.mimeType, sizeBytes: asset.sizeBytes === null ? null : Number(asset.sizeBytes), filename: asset.filename, status: asset.status };
}

/** The size limit for a MIME type, or why it is refused. */
export function uploadLimit(mimeType: string, configuredMax: number): number {
  const kind = KINDS.find((k) => k.pattern.test(mimeType.split(';')[0].trim().toLowerCase()));
  if (!kind) throw new DomainError(CommunicationsErrorCode.MediaTypeNotAllowed, `WhatsApp does not accept ${mimeType} media`, { mimeType });
  return Math.min(kind.maxBytes, configuredMax);
}

/** Outbound media: stored here (so GET /api/v1/media/:id serves it) and uploaded to the account's provider once. */
@Injectable()
export class MediaUploadsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly providers: WhatsappProviders,
    private readonly config: AppConfig,
  ) {}

  async upload(organizationId: string, accountId: string, input: UploadInput): Promise<MediaView & { accountId: string }> {
    const max = uploadLimit(input.mimeType, this.config.MEDIA_MAX_BYTES);
    if (input.buffer.length > max) throw tooLarge(max);
    if (input.buffer.length === 0) throw new DomainError(CommunicationsErrorCode.MediaFileMissing, 'The uploaded file is empty');
    const { client, account } = await this.providers.forAccount(accountId);
    const { mediaId } = await client.uploadMedia(account, input);
    const id = randomUUID();
    const storageKey = join(organizationId, id);
    await mkdir(resolve(this.config.MEDIA_DIR, organizationId), { recursive: true });
    await writeFile(resolve(this.config.MEDIA_DIR, storageKey), input.buffer);
    const asset = this.dataSource.getRepository(MediaAsset).create({
      id,
      organizationId,
      whatsappAccountId: accountId,
      messageId: null,
      providerMediaId: mediaId,
      status: MediaStatus.Stored,
      mimeType: input.mimeType,
      sha256: createHash('sha256').update(input.buffer).digest('hex'),
      sizeBytes: String(input.buffer.length),
      storageKey,
      filename: input.filename.slice(0, 255),
    });
    await this.dataSource.getRepository(MediaAsset).insert(asset);
    return { ...mediaView(asset), accountId };
  }

  /** An uploaded file of this account, by our id: what a send by id refers to. */
  async uploaded(organizationId: string, accountId: string, id: string): Promise<MediaAsset> {
    const asset = await this.dataSource.getRepository(MediaAsset).findOneBy({ id, organizationId, whatsappAccountId: accountId, messageId: IsNull() });
    if (!asset) throw new NotFoundError(CommunicationsErrorCode.MediaNotFound, 'uploaded media for this account');
    return asset;
  }
}

export function tooLarge(maxBytes: number): DomainError {
  return new DomainError(CommunicationsErrorCode.MediaTooLarge, `The file is larger than the ${maxBytes} bytes allowed for its type`, { maxBytes });
}
