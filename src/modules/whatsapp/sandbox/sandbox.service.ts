import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError, NotFoundError } from '../../../common/errors/domain-error';
import { AppConfig } from '../../../config/app-config';
import { WhatsappProviderKind } from '../../../database/entities/enums';
import { WhatsappAccount } from '../../../database/entities/whatsapp-account.entity';
import { WhatsappAccountsService } from '../accounts/whatsapp-accounts.service';
import { GraphSimulator } from './graph-simulator';
import type { SimulatorCaller } from './graph-simulator.types';
import { buildInboundWebhook, postSignedWebhook } from './simulator-webhooks';
import { WhatsappErrorCode } from '../whatsapp.errors';

export interface SimulatedInbound {
  from: string;
  text?: string;
  name?: string;
  accountId?: string;
  buttonReplyId?: string;
  buttonReplyTitle?: string;
}

@Injectable()
export class SandboxService {
  constructor(
    private readonly simulator: GraphSimulator,
    private readonly config: AppConfig,
    private readonly accountSecrets: WhatsappAccountsService,
    @InjectRepository(WhatsappAccount) private readonly accounts: Repository<WhatsappAccount>,
  ) {}

  assertEnabled(): void {
    if (!this.config.SANDBOX_ENABLED) throw new DomainError(WhatsappErrorCode.SandboxDisabled, 'The sandbox is disabled (SANDBOX_ENABLED=false)');
  }

  /** The sandbox account a simulated Graph API call authenticates as; null when the token is not one the sandbox issued. */
  async graphCaller(authorization: string | undefined): Promise<SimulatorCaller | null> {
    const token = /^Bearer\s+(\S+)$/.exec(authorization ?? '')?.[1];
    const account = token ? await this.accountSecrets.sandboxCaller(token) : null;
    if (!account) return null;
    return { phoneNumberId: account.phoneNumberId, wabaId: account.wabaId, statusWebhook: { url: this.webhookUrl(account.accountId), appSecret: account.appSecret } };
  }

  async outbox(organizationId: string) {
    const numbers = new Set((await this.sandboxAccounts(organizationId)).map((a) => a.phoneNumberId));
    return this.simulator.outbox.filter((entry) => numbers.has(entry.phoneNumberId));
  }

  /** Signs with the sandbox account's own secret and posts to this service's /webhooks/meta/:accountId, as Meta would. */
  async simulateInbound(organizationId: string, input: SimulatedInbound): Promise<{ providerMessageId: string; webhookStatus: number | null }> {
    const accounts = await this.sandboxAccounts(organizationId);
    const account = input.accountId ? accounts.find((a) => a.id === input.accountId) : accounts[0];
    if (!account) throw new NotFoundError(WhatsappErrorCode.SandboxAccountNotFound, 'sandbox account');
    const secret = await this.accountSecrets.appSecret(account.id);
    if (!secret) throw new DomainError(WhatsappErrorCode.SandboxNotConfigured, 'The sandbox account has no webhook secret; restart to issue one');
    const payload = buildInboundWebhook({
      phoneNumberId: account.phoneNumberId,
      displayPhoneNumber: account.displayPhoneNumber ?? '+56900000000',
      wabaId: account.wabaId ?? undefined,
      from: input.from,
      name: input.name,
      text: input.text,
      ...(input.buttonReplyId ? { interactive: { type: 'button_reply', id: input.buttonReplyId, title: input.buttonReplyTitle ?? input.buttonReplyId } } : {}),
    });
    const delivery = await postSignedWebhook(this.webhookUrl(account.id), payload, secret);
    const message = ((payload.entry as Array<{ changes: Array<{ value: { messages: Array<{ id: string }> } }> }>)[0].changes[0].value.messages[0]);
    return { providerMessageId: message.id, webhookStatus: delivery.status ?? null };
  }

  private webhookUrl(accountId: string): string {
    return `${this.config.PUBLIC_BASE_URL.replace(/\/+$/, '')}/webhooks/meta/${accountId}`;
  }

  private sandboxAccounts(organizationId: string): Promise<WhatsappAccount[]> {
    return this.accounts.find({ where: { organizationId, provider: WhatsappProviderKind.Sandbox }, order: { createdAt: 'ASC' } });
  }
}
