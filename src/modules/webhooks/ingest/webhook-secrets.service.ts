import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../common/errors/domain-error';
import { AppConfig } from '../../../config/app-config';
import { WhatsappAccountsService } from '../../whatsapp/accounts/whatsapp-accounts.service';
import { WebhooksErrorCode } from '../webhooks.errors';

const TTL_MS = 60_000;

/** Per-account app secrets, cached briefly: the webhook path must not decrypt on every request. */
@Injectable()
export class WebhookSecrets {
  private readonly cache = new Map<string, { secret: string | null; expires: number }>();

  constructor(
    private readonly accounts: WhatsappAccountsService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Bounded like storing the event: when PostgreSQL cannot answer in time, a secret seen before still verifies,
   * and otherwise the answer is 503 so Meta retries (never a hung request or a 500).
   */
  async metaAppSecret(accountId: string): Promise<string | null> {
    const hit = this.cache.get(accountId);
    if (hit && hit.expires > Date.now()) return hit.secret;
    try {
      const secret = await withTimeout(this.accounts.appSecret(accountId), this.config.WEBHOOK_STORE_TIMEOUT_MS);
      this.cache.set(accountId, { secret, expires: Date.now() + TTL_MS });
      return secret;
    } catch {
      if (hit) return hit.secret;
      throw new DomainError(WebhooksErrorCode.StorageUnavailable, 'The account could not be looked up; retry later');
    }
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
