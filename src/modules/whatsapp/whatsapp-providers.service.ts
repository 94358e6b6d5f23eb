import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { decryptSecret } from '../../common/crypto';
import { NotFoundError } from '../../common/errors/domain-error';
import { AppConfig } from '../../config/app-config';
import { WhatsappProviderKind } from '../../database/entities/enums';
import { WhatsappAccount } from '../../database/entities/whatsapp-account.entity';
import { KapsoClient } from './provider/kapso.client';
import { MetaCloudClient } from './provider/meta-cloud.client';
import type { ProviderAccountContext, WhatsappProviderPort } from './provider/whatsapp-provider.port';
import { WhatsappErrorCode } from './whatsapp.errors';

export const SANDBOX_GRAPH_PATH = '/sandbox/graph';

export interface ProviderHandle {
  client: WhatsappProviderPort;
  account: ProviderAccountContext;
}

/**
 * Picks the adapter for an account: Meta's client, Kapso's proxy client, or Meta's client
 * pointed at the built-in simulator for sandbox accounts (one code path for all three).
 */
@Injectable()
export class WhatsappProviders implements OnModuleDestroy {
  private readonly meta: MetaCloudClient;
  private readonly kapso: KapsoClient;

  constructor(
    private readonly config: AppConfig,
    @InjectRepository(WhatsappAccount) private readonly accounts: Repository<WhatsappAccount>,
  ) {
    this.meta = new MetaCloudClient({ graphBaseUrl: config.META_GRAPH_BASE_URL, apiVersion: config.META_API_VERSION, timeoutMs: config.META_HTTP_TIMEOUT_MS });
    this.kapso = new KapsoClient({ kapsoBaseUrl: config.KAPSO_API_BASE_URL, apiVersion: config.META_API_VERSION, timeoutMs: config.META_HTTP_TIMEOUT_MS });
  }

  /** Loads the account's encrypted token with the row; it is decrypted only inside the provider call. */
  async forAccount(accountId: string): Promise<ProviderHandle> {
    const row = await this.accounts.findOne({
      where: { id: accountId },
      select: { id: true, provider: true, phoneNumberId: true, wabaId: true, accessTokenEncrypted: true },
    });
    if (!row) throw new NotFoundError(WhatsappErrorCode.AccountNotFound, 'whatsapp account');
    const key = this.config.encryptionKey;
    const encrypted = row.accessTokenEncrypted;
    const account: ProviderAccountContext = {
      id: row.id,
      provider: row.provider,
      phoneNumberId: row.phoneNumberId,
      wabaId: row.wabaId ?? '',
      accessToken: () => decryptSecret(encrypted, key),
      ...(row.provider === WhatsappProviderKind.Sandbox ? { baseUrl: `${this.config.PUBLIC_BASE_URL.replace(/\/+$/, '')}${SANDBOX_GRAPH_PATH}` } : {}),
    };
    return { client: row.provider === WhatsappProviderKind.Kapso ? this.kapso : this.meta, account };
  }

  onModuleDestroy(): void {
    this.meta.close();
    this.kapso.close();
  }
}
