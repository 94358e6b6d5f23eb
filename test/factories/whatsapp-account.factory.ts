import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { encryptSecret } from '../../src/common/crypto';
import type { AppConfig } from '../../src/config/app-config';
import { WhatsappProviderKind } from '../../src/database/entities/enums';
import { WhatsappAccount } from '../../src/database/entities/whatsapp-account.entity';

export const TEST_ACCESS_TOKEN = 'EAAtest-token-SECRET-do-not-log-0123456789';

export const whatsappAccountFactory = {
  build(overrides: Partial<WhatsappAccount> = {}): Partial<WhatsappAccount> {
    const phoneNumberId = String(randomInt(100000000000, 999999999999));
    return {
      name: 'Test number',
      provider: WhatsappProviderKind.Meta,
      phoneNumberId,
      wabaId: String(randomInt(100000000000, 999999999999)),
      displayPhoneNumber: '+56 2 2345 6789',
      defaultRegion: 'CL',
      rateLimitPerSecond: 80,
      timezone: 'America/Santiago',
      isDefault: true,
      ...overrides,
    };
  },
  async create(
    ds: DataSource,
    config: AppConfig,
    overrides: Partial<WhatsappAccount> & { organizationId: string },
    secrets: { accessToken?: string; appSecret?: string } = {},
  ): Promise<WhatsappAccount> {
    const saved = await ds.getRepository(WhatsappAccount).save({
      ...this.build(overrides),
      accessTokenEncrypted: encryptSecret(secrets.accessToken ?? TEST_ACCESS_TOKEN, config.encryptionKey),
      appSecretEncrypted: secrets.appSecret ? encryptSecret(secrets.appSecret, config.encryptionKey) : null,
    });
    return ds.getRepository(WhatsappAccount).findOneByOrFail({ id: saved.id });
  },
};
