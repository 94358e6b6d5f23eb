import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError } from 'bullmq';
import { createReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { NotFoundError } from '../../../common/errors/domain-error';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { AppConfig } from '../../../config/app-config';
import { MediaStatus } from '../../../database/entities/enums';
import { MediaAsset } from '../../../database/entities/media-asset.entity';
import type { MediaRef } from '../../../domain/normalized-event.types';
import { WhatsappProviderError } from '../../whatsapp/provider/provider-errors';
import { WhatsappProviders } from '../../whatsapp/whatsapp-providers.service';
import { CommunicationsErrorCode } from '../communications.errors';

const ALLOWED_MIME = /^(image\/(jpeg|png|webp)|video\/(mp4|3gpp)|audio\/(aac|amr|mpeg|mp4|ogg)(;.*)?|application\/(pdf|msword|vnd\.[\w.-]+|zip)|text\/plain)$/;

/** Inbound media: registered with the message, downloaded promptly by its own job (URLs expire), served to admins. */
@Injectable()
export class MediaDownloadsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly providers: WhatsappProviders,
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async register(manager: EntityManager, input: { organizationId: string; whatsappAccountId: string; messageId: string; media: MediaRef }): Promise<string> {
    const rows: Array<{ id: string }> = await manager.query(
      `INSERT INTO media_asset (organization_id, whatsapp_account_id, message_id, provider_media_id, mime_type, sha256, filename)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (message_id) DO UPDATE SET updated_at = now() RETURNING id`,
      [input.organizationId, input.whatsappAccountId, input.messageId, input.media.id, input.media.mimeType ?? null, input.media.sha256 ?? null, input.media.filename ?? null],
    );
    return rows[0].id;
  }

  /** The download job. Size and type are checked before anything is written. */
  async download(mediaAssetId: string): Promise<void> {
    const repo = this.dataSource.getRepository(MediaAsset);
    const asset = await repo.findOneBy({ id: mediaAssetId });
    if (!asset || asset.status === MediaStatus.Stored) return;
    const { client, account } = await this.providers.forAccount(asset.whatsappAccountId);
    try {
      const media = await client.downloadMedia(account, asset.providerMediaId, { maxBytes: this.config.MEDIA_MAX_BYTES });
      if (!ALLOWED_MIME.test(media.mimeType)) throw new UnrecoverableError(`Media type ${media.mimeType} is not accepted`);
      const storageKey = join(asset.organizationId, `${asset.id}`);
      const path = resolve(this.config.MEDIA_DIR, storageKey);
      await mkdir(resolve(this.config.MEDIA_DIR, asset.organizationId), { recursive: true });
      await writeFile(path, media.buffer);
      await repo.update({ id: asset.id }, { status: MediaStatus.Stored, storageKey, mimeType: media.mimeType, sha256: media.sha256, sizeBytes: String(media.buffer.length), error: null });
    } catch (error) {
      const permanent = error instanceof UnrecoverableError || (error instanceof WhatsappProviderError && !error.retryable);
      if (permanent) {
        await repo.update({ id: asset.id }, { status: MediaStatus.Failed, error: (error as Error).message.slice(0, 500) });
        this.logger.warn({ mediaAssetId, err: { message: (error as Error).message } }, 'media download failed permanently');
        throw error instanceof UnrecoverableError ? error : new UnrecoverableError((error as Error).message);
      }
      throw error;
    }
  }

  async open(organizationId: string, mediaAssetId: string): Promise<{ asset: MediaAsset; stream: NodeJS.ReadableStream }> {
    const asset = await this.dataSource.getRepository(MediaAsset).findOneBy({ id: mediaAssetId, organizationId });
    if (!asset || asset.status !== MediaStatus.Stored || !asset.storageKey) throw new NotFoundError(CommunicationsErrorCode.MediaNotFound, 'media');
    return { asset, stream: createReadStream(resolve(this.config.MEDIA_DIR, asset.storageKey)) };
  }
}
