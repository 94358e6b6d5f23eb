import { Injectable } from '@nestjs/common';
import { WhatsappAccountsService } from '../../whatsapp/accounts/whatsapp-accounts.service';

const TTL_MS = 60_000;

/** Per-account app secrets, cached briefly: the webhook path must not decrypt on every request. */
@Injectable()
export class WebhookSecrets {
  private readonly cache = new Map<string, { secret: string | null; expires: number }>();

  constructor(private readonly accounts: WhatsappAccountsService) {}

  async metaAppSecret(accountId: string): Promise<string | null> {
    const hit = this.cache.get(accountId);
    if (hit && hit.expires > Date.now()) return hit.secret;
    const secret = await this.accounts.appSecret(accountId);
    this.cache.set(accountId, { secret, expires: Date.now() + TTL_MS });
    return secret;
  }
}
