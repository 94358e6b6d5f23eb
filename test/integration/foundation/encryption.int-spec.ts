import { WhatsappProviderKind } from '../../../src/database/entities/enums';
import { WhatsappAccountsService } from '../../../src/modules/whatsapp/accounts/whatsapp-accounts.service';
import { organizationFactory } from '../../factories/organization.factory';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('secrets at rest', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ env: { APP_ROLES: 'api' } });
  });
  afterAll(() => app.close());

  it('stores access tokens and app secrets encrypted: unreadable in raw SQL, readable only through the service', async () => {
    const organization = await organizationFactory.create(app.dataSource);
    const accounts = app.get(WhatsappAccountsService);
    const token = 'EAAGplaintext-token-0123456789';
    const appSecret = 'app-secret-plaintext-987';
    const account = await accounts.create(organization.id, { name: 'n', provider: WhatsappProviderKind.Meta, phoneNumberId: '5550001', accessToken: token, appSecret });
    const [row] = await app.dataSource.query(`SELECT * FROM whatsapp_account WHERE id = $1`, [account.id]);
    const everything = JSON.stringify(row);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(appSecret);
    expect(row.access_token_encrypted).toMatch(/^v1:/);
    expect(JSON.stringify(account)).not.toContain('Encrypted');
    await expect(accounts.accessToken(account.id)).resolves.toBe(token);
    await expect(accounts.appSecret(account.id)).resolves.toBe(appSecret);
  });

  it('stores password hashes and API key hashes, never the secrets', async () => {
    const [user] = await app.dataSource.query(`SELECT password_hash FROM "user" WHERE email = $1`, [app.config.ADMIN_EMAIL]);
    expect(user.password_hash).toMatch(/^scrypt\$/);
    expect(user.password_hash).not.toContain(app.config.ADMIN_PASSWORD);
  });
});
