import { createServer } from 'node:net';
import { encryptSecret } from '../../src/common/crypto';
import { Message } from '../../src/database/entities/message.entity';
import { WhatsappAccount } from '../../src/database/entities/whatsapp-account.entity';
import { FirstStartService } from '../../src/entrypoints/first-start.service';
import { WhatsappAccountsService } from '../../src/modules/whatsapp/accounts/whatsapp-accounts.service';
import { GraphSimulator } from '../../src/modules/whatsapp/sandbox/graph-simulator';
import { signMetaPayload } from '../../src/modules/whatsapp/sandbox/simulator-webhooks';
import { http, loginOwner } from '../support/http';
import { createTestApp, waitFor, type TestApp } from '../support/test-app';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A fresh install with no Meta account: the sandbox plays Meta over real HTTP, webhooks signed and all. */
describe('Sandbox round trip', () => {
  let app: TestApp;
  let token: string;

  beforeAll(async () => {
    const port = await freePort();
    app = await createTestApp({ env: { PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, SANDBOX_STATUS_DELAY_MS: '20' } });
    token = await loginOwner(app);
  });
  afterAll(() => app.close());

  it('bootstraps a sandbox account for the default organisation', async () => {
    const accounts = await http(app).get('/api/v1/whatsapp/accounts').set('Authorization', `Bearer ${token}`).expect(200);
    expect(accounts.body.data).toHaveLength(1);
    expect(accounts.body.data[0]).toMatchObject({ provider: 'sandbox', isDefault: true });
    expect(JSON.stringify(accounts.body)).not.toMatch(/accessToken|appSecret|sandbox[-.][0-9a-f]{32}/);
  });

  it('delivers a simulated customer message as a signed webhook, and a reply comes back through the simulator with statuses', async () => {
    const inbound = await http(app).post('/sandbox/inbound').set('Authorization', `Bearer ${token}`).send({ from: '+56993334444', text: 'Hola, necesito ayuda', name: 'Ana' }).expect(202);
    expect(inbound.body.webhookStatus).toBe(200);
    const stored = await waitFor(() => app.dataSource.getRepository(Message).findOneBy({ providerMessageId: inbound.body.providerMessageId }), 10000, 'inbound row');
    expect(stored).toMatchObject({ direction: 'inbound', text: 'Hola, necesito ayuda' });

    const sent = await http(app)
      .post('/api/v1/messages')
      .set('Authorization', `Bearer ${token}`)
      .send({ conversationId: stored.conversationId, type: 'text', text: { body: '¡Hola Ana! ¿En qué te ayudamos?' } })
      .expect(202);
    const read = await waitFor(async () => {
      const row = await app.dataSource.getRepository(Message).findOneBy({ id: sent.body.id });
      return row?.status === 'read' ? row : null;
    }, 15000, 'reply read');
    expect(read.providerMessageId).toMatch(/^wamid\./);
    expect(read.sentAt).not.toBeNull();
    expect(read.deliveredAt).not.toBeNull();

    const outbox = await http(app).get('/sandbox/outbox').set('Authorization', `Bearer ${token}`).expect(200);
    const bodies = outbox.body.data.map((e: { body: { to: string; text?: { body: string } } }) => e.body);
    expect(bodies).toContainEqual(expect.objectContaining({ to: '+56993334444', type: 'text', text: { body: '¡Hola Ana! ¿En qué te ayudamos?' } }));
  });

  it("signs the simulator's status webhooks with the sandbox account's own secret, never the Meta app secret", async () => {
    const simulator = app.get(GraphSimulator);
    const [account] = await app.dataSource.getRepository(WhatsappAccount).findBy({ provider: 'sandbox' as WhatsappAccount['provider'] });
    const accountSecret = await app.get(WhatsappAccountsService).appSecret(account.id);
    expect(accountSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(accountSecret).not.toBe(app.config.META_APP_SECRET);
    const deliveries = await waitFor(async () => (simulator.webhookDeliveries.length >= 3 ? simulator.webhookDeliveries : null), 10000, 'status webhooks');
    for (const delivery of deliveries) {
      expect(delivery.url).toBe(`${app.config.PUBLIC_BASE_URL}/webhooks/meta/${account.id}`);
      expect(delivery.signature).toBe(signMetaPayload(delivery.body, accountSecret!));
      expect(delivery.status).toBe(200);
    }
  });

  describe('the simulated Graph API', () => {
    const send = (phoneNumberId: string, token?: string) => {
      const request = http(app)
        .post(`/sandbox/graph/v24.0/${phoneNumberId}/messages`)
        .send({ messaging_product: 'whatsapp', to: '+56911112222', type: 'text', text: { body: 'hi' }, biz_opaque_callback_data: 'attacker-chosen' });
      return token ? request.set('Authorization', `Bearer ${token}`) : request;
    };

    it('refuses a request without a token or with a token it did not issue, and queues no status', async () => {
      const simulator = app.get(GraphSimulator);
      const [account] = await app.dataSource.getRepository(WhatsappAccount).findBy({ provider: 'sandbox' as WhatsappAccount['provider'] });
      const outboxBefore = simulator.outbox.length;
      for (const token of [undefined, 'attacker-token', `sandbox.${account.id}.${'0'.repeat(64)}`, await loginOwner(app)]) {
        const response = await send(account.phoneNumberId, token).expect(401);
        expect(response.body.error).toMatchObject({ code: 190, type: 'OAuthException' });
      }
      expect(simulator.outbox.length).toBe(outboxBefore);
    });

    it("accepts a sandbox account's token only for that account's own number", async () => {
      const accounts = app.get(WhatsappAccountsService);
      const [own] = await app.dataSource.getRepository(WhatsappAccount).findBy({ provider: 'sandbox' as WhatsappAccount['provider'] });
      const other = await accounts.createSandbox(own.organizationId, 'Second sandbox');
      const token = await accounts.accessToken(other.id);
      await send(other.phoneNumberId, token).expect(200);
      const foreign = await send(own.phoneNumberId, token).expect(400);
      expect(foreign.body.error.code).toBe(100);
    });
  });

  it('issues its own credentials to a sandbox account created over the API, whatever token was sent', async () => {
    const created = await http(app)
      .post('/api/v1/whatsapp/accounts')
      .set('Authorization', `Bearer ${token}`)
      .send({ name: 'API sandbox', provider: 'sandbox', phoneNumberId: '5550001001', accessToken: 'chosen-by-the-caller' })
      .expect(201);
    const accounts = app.get(WhatsappAccountsService);
    expect(await accounts.accessToken(created.body.id)).toMatch(new RegExp(`^sandbox\\.${created.body.id}\\.[0-9a-f]{64}$`));
    expect(await accounts.appSecret(created.body.id)).toMatch(/^[0-9a-f]{64}$/);
    await http(app).post('/api/v1/whatsapp/accounts').set('Authorization', `Bearer ${token}`).send({ name: 'No token', provider: 'sandbox', phoneNumberId: '5550001002' }).expect(201);
  });

  it('reissues the credentials of a sandbox account made before the sandbox issued them, at start', async () => {
    const accounts = app.get(WhatsappAccountsService);
    const [account] = await app.dataSource.getRepository(WhatsappAccount).find({ where: { provider: 'sandbox' as WhatsappAccount['provider'] }, order: { createdAt: 'ASC' } });
    const legacyToken = encryptSecret(`sandbox-${'ab'.repeat(16)}`, app.config.encryptionKey);
    await app.dataSource.getRepository(WhatsappAccount).update(account.id, { accessTokenEncrypted: legacyToken, appSecretEncrypted: null });
    await app.get(FirstStartService).onApplicationBootstrap();
    const reissued = await accounts.accessToken(account.id);
    expect(reissued.startsWith(`sandbox.${account.id}.`)).toBe(true);
    await http(app).get(`/sandbox/graph/v24.0/${account.phoneNumberId}`).set('Authorization', `Bearer ${reissued}`).expect(200);
  });

  it('runs the account health check against the simulator', async () => {
    const accounts = await http(app).get('/api/v1/whatsapp/accounts').set('Authorization', `Bearer ${token}`).expect(200);
    const result = await http(app).post(`/api/v1/whatsapp/accounts/${accounts.body.data[0].id}/test`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(result.body).toMatchObject({ ok: true, latencyMs: expect.any(Number) });
  });

  it('rejects an unsigned webhook posted to the public endpoint and stores nothing', async () => {
    // Counted by its own body: the simulator's signed status webhooks for earlier tests may still be arriving.
    const body = `{"object":"whatsapp_business_account","entry":[],"unsigned":"${Date.now()}"}`;
    await http(app).post('/webhooks/meta').set('Content-Type', 'application/json').send(body).expect(401);
    const stored = await app.dataSource.query(`SELECT count(*)::int AS n FROM webhook_event WHERE raw_body = convert_to($1, 'UTF8') OR payload::text = $1::jsonb::text`, [body]);
    expect(stored[0].n).toBe(0);
  });
});

describe('Sandbox in production', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ env: { APP_ROLES: 'api', NODE_ENV: 'production' } });
  });
  afterAll(() => app.close());

  it('is off unless SANDBOX_ENABLED says otherwise: no sandbox account, and the simulator answers 404', async () => {
    expect(app.config.SANDBOX_ENABLED).toBe(false);
    expect(await app.dataSource.getRepository(WhatsappAccount).count()).toBe(0);
    const response = await http(app).post('/sandbox/graph/v24.0/1/messages').set('Authorization', 'Bearer anything').send({}).expect(404);
    expect(response.body.code).toBe('SANDBOX_DISABLED');
  });
});
