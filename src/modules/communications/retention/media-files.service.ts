import { Inject, Injectable } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../../common/logging/logging.module';
import { AppConfig } from '../../../config/app-config';

/** Media files on disk; removed only after the rows naming them are gone (a rolled-back delete must not lose files). */
@Injectable()
export class MediaFiles {
  private readonly logger: Logger;

  constructor(
    private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ module: 'communications' });
  }

  /** Only inside MEDIA_DIR: a storage key never escapes it. Returns how many keys were removed. */
  async remove(storageKeys: string[]): Promise<number> {
    const root = resolve(this.config.MEDIA_DIR);
    let removed = 0;
    for (const key of storageKeys) {
      const path = resolve(root, key);
      if (!path.startsWith(root + sep)) continue;
      try {
        await rm(path, { force: true });
        removed += 1;
      } catch (error) {
        this.logger.error({ code: (error as { code?: string }).code }, 'media file not removed');
      }
    }
    return removed;
  }
}
