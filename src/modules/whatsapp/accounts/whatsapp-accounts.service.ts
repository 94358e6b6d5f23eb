import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, Not, Repository } from 'typeorm';
import { decryptSecret, encryptSecret } from '../../../common/crypto';
import { DomainError, NotFoundError } from '../../../common/errors/domain-error';
import { AppConfig } from '../../../config/app-config';
import { WhatsappProviderKind } from '../../../database/entities/enums';
import { WhatsappAccount } from '../../../database/entities/whatsapp-account.entity';
import { WhatsappProviders } from '../whatsapp-providers.service';
import { WhatsappErrorCode } from '../whatsapp.errors';

export interface CreateAccountInput {
  name: string;
  provider: WhatsappProviderKind;
  phoneNumberId: string;
  wabaId?: string | null;
  displayPhoneNumber?: string | null;
  accessToken: string;
  appSecret?: string | null;
  defaultRegion?: string;
  rateLimitPerSecond?: number;
  timezone?: string;
  isDefault?: boolean;
}

/** Owns whatsapp_account rows; the only place tokens and app secrets are encrypted or decrypted. */
@Injectable()
export class WhatsappAccountsService {
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
    const saved = await this.accounts.save(
      this.accounts.create({
        ...rest,
        organizationId,
        isDefault: input.isDefault ?? isFirst,
        accessTokenEncrypted: encryptSecret(accessToken, this.config.encryptionKey),
        appSecretEncrypted: appSecret ? encryptSecret(appSecret, this.config.encryptionKey) : null,
      }),
    );
    return this.get(organizationId, saved.id);
  }

  /** A sandbox account: the built-in simulator plays Meta for it. */
  createSandbox(organizationId: string, name = 'Sandbox'): Promise<WhatsappAccount> {
    const digits = String(100000000000000 + (randomBytes(6).readUIntBE(0, 6) % 899999999999999));
    return this.create(organizationId, {
      name,
      provider: WhatsappProviderKind.Sandbox,
      phoneNumberId: digits,
      wabaId: String(BigInt(digits) + 1n),
      displayPhoneNumber: '+56 9 0000 0000',
      accessToken: `sandbox-${randomBytes(16).toString('hex')}`,
      defaultRegion: 'CL',
    });
  }

  async update(organizationId: string, id: string, input: Partial<CreateAccountInput>): Promise<WhatsappAccount> {
    await this.get(organizationId, id);
    const { accessToken, appSecret, ...rest } = input;
    if (input.phoneNumberId && (await this.accounts.exists({ where: { phoneNumberId: input.phoneNumberId, id: Not(id) } }))) throw phoneNumberTaken();
    await this.dataSource.transaction(async (manager) => {
      if (input.isDefault) await manager.update(WhatsappAccount, { organizationId }, { isDefault: false });
      await manager.update(WhatsappAccount, { id, organizationId }, {
        ...rest,
        ...(accessToken ? { accessTokenEncrypted: encryptSecret(accessToken, this.config.encryptionKey) } : {}),
        ...(appSecret ? { appSecretEncrypted: encryptSecret(appSecret, this.config.encryptionKey) } : {}),
      });
    });
    return this.get(organizationId, id);
  }

  /** Refused while conversations exist: their history belongs to the number (erase contacts first). */
  async remove(organizationId: string, id: string): Promise<void> {
    await this.get(organizationId, id);
    const [{ count }] = await this.dataSource.query(`SELECT count(*)::int AS count FROM conversation WHERE whatsapp_account_id = $1`, [id]);
    if (count > 0) throw new DomainError(WhatsappErrorCode.AccountInUse, `The account has ${count} conversations; it cannot be deleted`, { conversations: count });
    await this.accounts.delete({ id, organizationId });
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

  findByPhoneNumberId(phoneNumberId: string): Promise<WhatsappAccount | null> {
    return this.accounts.findOne({ where: { phoneNumberId } });
  }

  /** Decrypted only at call time, never cached, never logged. */
  async accessToken(accountId: string): Promise<string> {
    const row = await this.accounts.findOne({ where: { id: accountId }, select: { id: true, accessTokenEncrypted: true } });
    if (!row) throw new NotFoundError(WhatsappErrorCode.AccountNotFound, 'whatsapp account');
    return decryptSecret(row.accessTokenEncrypted, this.config.encryptionKey);
  }

  async appSecret(accountId: string): Promise<string | null> {
    const row = await this.accounts.findOne({ where: { id: accountId }, select: { id: true, appSecretEncrypted: true } });
    return row?.appSecretEncrypted ? decryptSecret(row.appSecretEncrypted, this.config.encryptionKey) : null;
  }
}

/** Meta's phone number id identifies one number worldwide; webhooks are routed by it. */
function phoneNumberTaken(): DomainError {
  return new DomainError(WhatsappErrorCode.AccountConflict, 'This phone number id is already connected to an account');
}
