import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decryptSecret, encryptSecret } from '../../../common/crypto';
import { DomainError } from '../../../common/errors/domain-error';
import { AppConfig } from '../../../config/app-config';
import { ChatwootIntegration } from '../../../database/entities/chatwoot.entity';
import { urlRefusal } from '../delivery/url-guard';
import { IntegrationsErrorCode } from '../integrations.errors';
import type { PutChatwootConfigDto } from './dto/chatwoot-config.dto';
import { checkChatwootConnection, type ChatwootTestResult } from './chatwoot-connection-check';

export interface ChatwootConfigView {
  id: string;
  baseUrl: string;
  accountId: number;
  inboxId: number;
  enabled: boolean;
  lastSyncedAt: Date | null;
  callbackSecretSet: boolean;
  webhookPath: string;
  fallbackTemplate: ChatwootIntegration['fallbackTemplate'];
  resumeBotOnResolve: boolean;
}

export interface ChatwootSyncStatus {
  lastSyncedAt: Date | null;
  pending: number;
  failed: number;
  lastError: string | null;
  lastReconciledAt: Date | null;
  /** The latest reconcile's counts (conversations checked, missing conversations and messages, status mismatches, repaired), or null before the first. */
  drift: Record<string, number> | null;
}

const toView = (c: ChatwootIntegration): ChatwootConfigView => ({
  id: c.id,
  baseUrl: c.baseUrl,
  accountId: c.accountId,
  inboxId: c.inboxId,
  enabled: c.enabled,
  lastSyncedAt: c.lastSyncedAt,
  callbackSecretSet: Boolean(c.callbackSecretEncrypted),
  webhookPath: `/webhooks/chatwoot/${c.id}`,
  fallbackTemplate: c.fallbackTemplate,
  resumeBotOnResolve: c.resumeBotOnResolve,
});

/** One Chatwoot configuration per organisation; the access token is stored encrypted and never answered. */
@Injectable()
export class ChatwootConfigService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(ChatwootIntegration);
  }

  async put(organizationId: string, dto: PutChatwootConfigDto): Promise<ChatwootConfigView> {
    const refusal = await urlRefusal(dto.baseUrl, this.config.WEBHOOK_ALLOW_PRIVATE_URLS);
    if (refusal) throw new DomainError(IntegrationsErrorCode.UrlNotAllowed, `baseUrl refused: ${refusal}`, { field: 'baseUrl' });
    const values = {
      organizationId,
      baseUrl: dto.baseUrl,
      accountId: dto.accountId,
      inboxId: dto.inboxId,
      apiAccessTokenEncrypted: encryptSecret(dto.apiAccessToken, this.config.encryptionKey),
      enabled: true,
      fallbackTemplate: dto.fallbackTemplate ? { ...dto.fallbackTemplate } : null,
      resumeBotOnResolve: dto.resumeBotOnResolve ?? false,
      // Write-only: a PUT without it keeps the stored one.
      ...(dto.callbackSecret ? { callbackSecretEncrypted: encryptSecret(dto.callbackSecret, this.config.encryptionKey) } : {}),
    };
    await this.repo.upsert(values, { conflictPaths: ['organizationId'] });
    return this.get(organizationId);
  }

  /** Checks the stored token and inbox against Chatwoot; the answer says which check failed. */
  async test(organizationId: string): Promise<ChatwootTestResult> {
    const found = await this.repo.findOne({ where: { organizationId } });
    if (!found) throw new DomainError(IntegrationsErrorCode.ChatwootNotConfigured, 'Chatwoot is not configured for this organization');
    const target = { baseUrl: found.baseUrl, accountId: found.accountId, apiAccessToken: decryptSecret(found.apiAccessTokenEncrypted, this.config.encryptionKey) };
    return checkChatwootConnection(target, found.inboxId);
  }

  /** Sync health: when it last succeeded, events waiting and failed, and the latest failure's error. */
  async status(organizationId: string): Promise<ChatwootSyncStatus> {
    const config = await this.get(organizationId);
    const [row] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'failed')::int AS failed,
              (SELECT error FROM chatwoot_sync_event WHERE integration_id = $1 AND error IS NOT NULL ORDER BY updated_at DESC LIMIT 1) AS "lastError"
         FROM chatwoot_sync_event WHERE integration_id = $1`,
      [config.id],
    );
    const [reconciled] = await this.dataSource.query(`SELECT last_reconciled_at AS "lastReconciledAt", drift FROM chatwoot_integration WHERE id = $1`, [config.id]);
    return { lastSyncedAt: config.lastSyncedAt, pending: row.pending, failed: row.failed, lastError: row.lastError, lastReconciledAt: reconciled.lastReconciledAt, drift: reconciled.drift };
  }

  async get(organizationId: string): Promise<ChatwootConfigView> {
    const found = await this.repo.findOne({ where: { organizationId } });
    if (!found) throw new DomainError(IntegrationsErrorCode.ChatwootNotConfigured, 'Chatwoot is not configured for this organization');
    return toView(found);
  }
}
