import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { DataSource, type EntityManager, Not, Repository } from 'typeorm';
import { decryptSecret, encryptSecret } from '../../../common/crypto';
import { DomainError, NotFoundError, ValidationFailedError } from '../../../common/errors/domain-error';
import { AppConfig } from '../../../config/app-config';
import { WhatsappProviderKind } from '../../../database/entities/enums';
import { type BusinessHours, WhatsappAccount } from '../../../database/entities/whatsapp-account.entity';
import type { AccountUpdateEvent, BusinessCapabilityEvent, PhoneQualityEvent, SecurityEvent } from '../../../domain/normalized-event.types';
import { issueSandboxCredentials, sandboxAccountIdOf } from '../sandbox/sandbox-credentials';
import { WhatsappProviders } from '../whatsapp-providers.service';
import { WhatsappErrorCode } from '../whatsapp.errors';

/** What the sandbox's simulated Graph API knows about the account a token belongs to. */
export interface SandboxCaller {
  accountId: string;
  phoneNumberId: string;
  wabaId: string | null;
  appSecret: string;
}

export interface CreateAccountInput {
  name: string;
  provider: WhatsappProviderKind;
  phoneNumberId: string;
  wabaId?: string | null;
  displayPhoneNumber?: string | null;
  /** Required except for sandbox accounts, whose credentials the sandbox issues. */
  accessToken?: string;
  appSecret?: string | null;
  defaultRegion?: string;
  rateLimitPerSecond?: number;
  messagingLimit?: number | null;
  timezone?: string;
  businessHours?: BusinessHours | null;
  isDefault?: boolean;
}

export type ProviderStateEvent = AccountUpdateEvent | PhoneQualityEvent | BusinessCapabilityEvent | SecurityEvent;

/** Every webhook item names its phone number; the account behind it rarely changes. */
const PHONE_NUMBER_TTL_MS = 10_000;

/** Owns whatsapp_account rows; the only place tokens and app secrets are encrypted or decrypted. */
@Injectable()
export class WhatsappAccountsService {
  /** Found accounts only: an unknown number is looked up again, so a replay finds an account created since. */
  private readonly byPhoneNumber = new Map<string, { account: WhatsappAccount; expires: number }>();

  constructor(
    @InjectRepository(WhatsappAccount) private readonly accounts: Repository<WhatsappAccount>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly providers: WhatsappProviders,
    private readonly config: AppConfig,
  ) {}

  async create(organizationId: string, input: CreateAccountInput): Promise<WhatsappAccount> {
    const { accessToken, appSecret, ...rest } = input;
    const isFirst = !(await this.accounts.exists({ where: { organizationId } }));
    if (await this.accounts.exists({ where: { phoneNumberId: input.phoneNumberId } })) throw phoneNumberTaken();
    const id = randomUUID();
    // The simulator accepts only credentials it issued, so whatever a sandbox account was given is replaced.
    const secrets = input.provider === WhatsappProviderKind.Sandbox ? issueSandboxCredentials(id) : { accessToken, appSecret };
    if (!secrets.accessToken) throw new ValidationFailedError('accessToken is required', [{ field: 'accessToken', message: 'accessToken is required' }]);
    await this.accounts.insert(this.accounts.create({ ...rest, id, organizationId, isDefault: input.isDefault ?? isFirst, appSecretEncrypted: null, ...this.encrypted(secrets) }));
    return this.get(organizationId, id);
  }

  /** A sandbox account: the built-in simulator plays Meta for it, with a token and webhook secret of its own. */
  createSandbox(organizationId: string, name = 'Sandbox'): Promise<WhatsappAccount> {
    const digits = String(100000000000000 + (randomBytes(6).readUIntBE(0, 6) % 899999999999999));
    return this.create(organizationId, {
      name,
      provider: WhatsappProviderKind.Sandbox,
      phoneNumberId: digits,
      wabaId: String(BigInt(digits) + 1n),
      displayPhoneNumber: '+56 9 0000 0000',
      defaultRegion: 'CL',
    });
  }

  async update(organizationId: string, id: string, input: Partial<CreateAccountInput>): Promise<WhatsappAccount> {
    const current = await this.get(organizationId, id);
    const { accessToken, appSecret, ...rest } = input;
    const sandbox = (input.provider ?? current.provider) === WhatsappProviderKind.Sandbox;
    const wasSandbox = current.provider === WhatsappProviderKind.Sandbox;
    const secrets = !sandbox ? { accessToken, appSecret } : wasSandbox ? {} : issueSandboxCredentials(id);
    if (input.phoneNumberId && (await this.accounts.exists({ where: { phoneNumberId: input.phoneNumberId, id: Not(id) } }))) throw phoneNumberTaken();
    await this.dataSource.transaction(async (manager) => {
      if (input.isDefault) await manager.update(WhatsappAccount, { organizationId }, { isDefault: false });
      await manager.update(WhatsappAccount, { id, organizationId }, {
        ...rest,
        ...this.encrypted(secrets),
      });
    });
    this.byPhoneNumber.clear();
    return this.get(organizationId, id);
  }

  /** Column values for the secrets given; an absent one is left as it is. */
  private encrypted(secrets: { accessToken?: string; appSecret?: string | null }): Partial<Pick<WhatsappAccount, 'accessTokenEncrypted' | 'appSecretEncrypted'>> {
    const key = this.config.encryptionKey;
    return {
      ...(secrets.accessToken ? { accessTokenEncrypted: encryptSecret(secrets.accessToken, key) } : {}),
      ...(secrets.appSecret ? { appSecretEncrypted: encryptSecret(secrets.appSecret, key) } : {}),
    };
  }

  /** Refused while conversations exist: their history belongs to the number (erase contacts first). */
  async remove(organizationId: string, id: string): Promise<void> {
    await this.get(organizationId, id);
    const [{ count }] = await this.dataSource.query(`SELECT count(*)::int AS count FROM conversation WHERE whatsapp_account_id = $1`, [id]);
    if (count > 0) throw new DomainError(WhatsappErrorCode.AccountInUse, `The account has ${count} conversations; it cannot be deleted`, { conversations: count });
    await this.accounts.delete({ id, organizationId });
    this.byPhoneNumber.clear();
  }

  async test(organizationId: string, id: string) {
    await this.get(organizationId, id);
    const { client, account } = await this.providers.forAccount(id);
    return client.healthCheck(account);
  }

  list(organizationId: string): Promise<WhatsappAccount[]> {
    return this.accounts.find({ where: { organizationId }, order: { createdAt: 'ASC' } });
  }

  async get(organizationId: string, id: string): Promise<WhatsappAccount> {
    const account = await this.accounts.findOne({ where: { organizationId, id } });
    if (!account) throw new NotFoundError(WhatsappErrorCode.AccountNotFound, 'whatsapp account');
    return account;
  }

  /** For workers: the row by id (tenant already fixed by the job's own row). */
  async getById(id: string): Promise<WhatsappAccount> {
    const account = await this.accounts.findOne({ where: { id } });
    if (!account) throw new NotFoundError(WhatsappErrorCode.AccountNotFound, 'whatsapp account');
    return account;
  }

  async getDefault(organizationId: string): Promise<WhatsappAccount> {
    const account =
      (await this.accounts.findOne({ where: { organizationId, isDefault: true } })) ??
      (await this.accounts.findOne({ where: { organizationId }, order: { createdAt: 'ASC' } }));
    if (!account) throw new NotFoundError(WhatsappErrorCode.AccountNotFound, 'whatsapp account');
    return account;
  }

  /** For webhook items, which name their number: cached for PHONE_NUMBER_TTL_MS (other processes' edits show within it). */
  async findByPhoneNumberId(phoneNumberId: string, manager: EntityManager = this.dataSource.manager): Promise<WhatsappAccount | null> {
    const hit = this.byPhoneNumber.get(phoneNumberId);
    if (hit && hit.expires > Date.now()) return hit.account;
    const account = await manager.getRepository(WhatsappAccount).findOne({ where: { phoneNumberId } });
    if (account) this.byPhoneNumber.set(phoneNumberId, { account, expires: Date.now() + PHONE_NUMBER_TTL_MS });
    else this.byPhoneNumber.delete(phoneNumberId);
    return account;
  }

  /** Keeps the latest fact per event kind on the account(s) of that phone number or WABA. */
  async recordProviderState(event: ProviderStateEvent): Promise<void> {
    const phoneNumberId = event.kind === 'account_update' ? event.phoneNumberId : undefined;
    const fact = { ...event, recordedAt: new Date().toISOString() };
    const where = phoneNumberId ? 'phone_number_id = $2' : event.wabaId ? 'waba_id = $2' : null;
    if (!where) return;
    const quality = event.kind === 'phone_quality' ? (event.currentLimit ?? event.event ?? null) : null;
    const tier = event.kind === 'business_capability' ? messagingTier(event.details) : undefined;
    await this.dataSource.query(
      `UPDATE whatsapp_account SET provider_state = provider_state || jsonb_build_object($1::text, $3::jsonb),
         quality_rating = COALESCE($4, quality_rating), messaging_limit = CASE WHEN $5::boolean THEN $6::int ELSE messaging_limit END, updated_at = now() WHERE ${where}`,
      [event.kind, phoneNumberId ?? event.wabaId, JSON.stringify(fact), quality, tier !== undefined, tier ?? null],
    );
  }

  /** Decrypted only at call time, never cached, never logged. */
  async accessToken(accountId: string): Promise<string> {
    const row = await this.accounts.findOne({ where: { id: accountId }, select: { id: true, accessTokenEncrypted: true } });
    if (!row) throw new NotFoundError(WhatsappErrorCode.AccountNotFound, 'whatsapp account');
    return decryptSecret(row.accessTokenEncrypted, this.config.encryptionKey);
  }

  /** The sandbox account a bearer token belongs to, or null: the token must be one the sandbox issued, compared whole. */
  async sandboxCaller(token: string): Promise<SandboxCaller | null> {
    const accountId = sandboxAccountIdOf(token);
    if (!accountId) return null;
    const row = await this.accounts.findOne({
      where: { id: accountId, provider: WhatsappProviderKind.Sandbox },
      select: { id: true, phoneNumberId: true, wabaId: true, accessTokenEncrypted: true, appSecretEncrypted: true },
    });
    if (!row?.appSecretEncrypted || !sameSecret(decryptSecret(row.accessTokenEncrypted, this.config.encryptionKey), token)) return null;
    return { accountId: row.id, phoneNumberId: row.phoneNumberId, wabaId: row.wabaId, appSecret: decryptSecret(row.appSecretEncrypted, this.config.encryptionKey) };
  }

  /** Sandbox accounts made before the sandbox issued its own credentials get a token and webhook secret now. */
  async reissueLegacySandboxCredentials(): Promise<number> {
    const rows = await this.accounts.find({ where: { provider: WhatsappProviderKind.Sandbox }, select: { id: true, accessTokenEncrypted: true, appSecretEncrypted: true } });
    const legacy = rows.filter((row) => !row.appSecretEncrypted || sandboxAccountIdOf(decryptSecret(row.accessTokenEncrypted, this.config.encryptionKey)) !== row.id);
    for (const row of legacy) await this.accounts.update(row.id, this.encrypted(issueSandboxCredentials(row.id)));
    return legacy.length;
  }

  async appSecret(accountId: string): Promise<string | null> {
    const row = await this.accounts.findOne({ where: { id: accountId }, select: { id: true, appSecretEncrypted: true } });
    return row?.appSecretEncrypted ? decryptSecret(row.appSecretEncrypted, this.config.encryptionKey) : null;
  }
}

function sameSecret(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Meta's phone number id identifies one number worldwide; webhooks are routed by it. */
function phoneNumberTaken(): DomainError {
  return new DomainError(WhatsappErrorCode.AccountConflict, 'This phone number id is already connected to an account');
}

/**
 * The messaging tier a business_capability_update announces (`max_daily_conversations_per_business`, formerly
 * `max_daily_conversation_per_phone`): a number, or -1 / "UNLIMITED" for no limit (null). Undefined: not announced.
 */
export function messagingTier(details: Record<string, unknown>): number | null | undefined {
  const value = details.max_daily_conversations_per_business ?? details.max_daily_conversation_per_phone;
  if (value === -1 || (typeof value === 'string' && value.toUpperCase().includes('UNLIMITED'))) return null;
  const n = typeof value === 'string' ? Number(value.replace(/\D/g, '')) * (/K$/i.test(value) ? 1000 : 1) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}
