import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CommonErrorCode } from '../../../common/errors/common.errors';
import { DomainError, NotFoundError } from '../../../common/errors/domain-error';
import type { Page } from '../../../common/pagination';
import { AppConfig } from '../../../config/app-config';
import { WhatsappProviderKind } from '../../../database/entities/enums';
import { WhatsappAccount } from '../../../database/entities/whatsapp-account.entity';
import { WhatsappAccountsService } from '../accounts/whatsapp-accounts.service';
import { GraphSimulator } from './graph-simulator';
import type { OutboxEntry, SimulatorCaller } from './graph-simulator.types';
import type { SandboxBehaviour } from './sandbox-behaviour';
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

export interface SandboxSettingsInput {
  accountId?: string;
  templateReview?: { outcome: 'APPROVED' | 'REJECTED'; reason?: string | null };
  failingRecipients?: Array<{ phone: string; code: number }>;
}

export interface SandboxSettingsView {
  accountId: string;
  templateReview: SandboxBehaviour['templateReview'];
  failingRecipients: Array<{ phone: string; code: number }>;
}

function settingsView(accountId: string, behaviour: SandboxBehaviour): SandboxSettingsView {
  const failingRecipients = Object.entries(behaviour.failingRecipients).map(([digits, code]) => ({ phone: `+${digits}`, code }));
  return { accountId, templateReview: behaviour.templateReview, failingRecipients };
}

function decodeOutboxCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
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

  /** Newest first; the cursor is the id of the last entry of the previous page. */
  async outbox(organizationId: string, limit: number, cursor?: string): Promise<Page<OutboxEntry>> {
    const numbers = new Set((await this.sandboxAccounts(organizationId)).map((a) => a.phoneNumberId));
    const entries = this.simulator.outbox.filter((entry) => numbers.has(entry.phoneNumberId)).reverse();
    const after = cursor ? entries.findIndex((entry) => entry.id === decodeOutboxCursor(cursor)) : -1;
    if (cursor && after < 0) throw new DomainError(CommonErrorCode.InvalidCursor, 'The cursor is malformed or from another listing');
    const page = entries.slice(after + 1, after + 1 + limit);
    const more = after + 1 + limit < entries.length;
    return { data: page, nextCursor: more ? Buffer.from(page[page.length - 1].id).toString('base64url') : null };
  }

  async settings(organizationId: string, accountId?: string): Promise<SandboxSettingsView> {
    const account = await this.sandboxAccount(organizationId, accountId);
    return settingsView(account.id, this.simulator.behaviour(account.phoneNumberId));
  }

  /** Only what is given changes: a review outcome, or the whole list of failing recipients. */
  async configure(organizationId: string, input: SandboxSettingsInput): Promise<SandboxSettingsView> {
    const account = await this.sandboxAccount(organizationId, input.accountId);
    const current = this.simulator.behaviour(account.phoneNumberId);
    const failing = input.failingRecipients?.map(({ phone, code }) => [phone.replace(/\D/g, ''), code] as const);
    this.simulator.setBehaviour(account.phoneNumberId, {
      templateReview: input.templateReview ? { outcome: input.templateReview.outcome, reason: input.templateReview.reason ?? null } : current.templateReview,
      failingRecipients: failing ? Object.fromEntries(failing) : current.failingRecipients,
    });
    return settingsView(account.id, this.simulator.behaviour(account.phoneNumberId));
  }

  /** Signs with the sandbox account's own secret and posts to this service's /webhooks/meta/:accountId, as Meta would. */
  async simulateInbound(organizationId: string, input: SimulatedInbound): Promise<{ providerMessageId: string; webhookStatus: number | null }> {
    const account = await this.sandboxAccount(organizationId, input.accountId);
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

  private async sandboxAccount(organizationId: string, accountId?: string): Promise<WhatsappAccount> {
    const accounts = await this.sandboxAccounts(organizationId);
    const account = accountId ? accounts.find((a) => a.id === accountId) : accounts[0];
    if (!account) throw new NotFoundError(WhatsappErrorCode.SandboxAccountNotFound, 'sandbox account');
    return account;
  }

  private sandboxAccounts(organizationId: string): Promise<WhatsappAccount[]> {
    return this.accounts.find({ where: { organizationId, provider: WhatsappProviderKind.Sandbox }, order: { createdAt: 'ASC' } });
  }
}
