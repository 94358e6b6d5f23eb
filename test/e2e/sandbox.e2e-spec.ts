import { createServer } from 'node:net';
import { Message } from '../../src/database/entities/message.entity';
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
    expect(JSON.stringify(accounts.body)).not.toMatch(/accessToken|appSecret|sandbox-[0-9a-f]{32}/);
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

  it('runs the account health check against the simulator', async () => {
    const accounts = await http(app).get('/api/v1/whatsapp/accounts').set('Authorization', `Bearer ${token}`).expect(200);
    const result = await http(app).post(`/api/v1/whatsapp/accounts/${accounts.body.data[0].id}/test`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(result.body).toMatchObject({ ok: true, latencyMs: expect.any(Number) });
  });

  it('rejects an unsigned webhook posted to the public endpoint and stores nothing', async () => {
    const before = await app.dataSource.query(`SELECT count(*)::int AS n FROM webhook_event`);
    await http(app).post('/webhooks/meta').set('Content-Type', 'application/json').send('{"object":"whatsapp_business_account","entry":[]}').expect(401);
    const after = await app.dataSource.query(`SELECT count(*)::int AS n FROM webhook_event`);
    expect(after[0].n).toBe(before[0].n);
  });
});
