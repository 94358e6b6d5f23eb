import { Webhook } from 'standardwebhooks';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { conversationFactory } from '../factories/contact.factory';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { UserRole } from '../../src/database/entities/enums';
import { DEFAULT_TEST_PASSWORD, userFactory } from '../factories/user.factory';
import { http, login } from '../support/http';
import { createTestApp, type TestApp, waitFor } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';
import { openEventStream } from './inbox-helpers';
import { metaMessagesPayload, postMeta } from '../support/webhooks';

jest.setTimeout(60_000);

/** Loopback ports of this file's receivers (from 8210 up; the simulator and the apps listen on 8217–8219). */
let nextPort = 8210;

describe('Outbound webhooks (integrations)', () => {
  let app: TestApp;
  /** The default configuration: private URLs refused. */
  let strict: TestApp;
  let sim: GraphSimulatorServer;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    sim = await startGraphSimulatorServer({ port: 8217 });
    [app, strict] = await Promise.all([
      createTestApp({ env: { PORT: '8218', META_GRAPH_BASE_URL: sim.url, WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RETRY_SCHEDULE_MS: '0,200,400,800,1600,3200', OUTBOX_POLL_INTERVAL_MS: '20' } }),
      createTestApp({ env: { PORT: '8219', APP_ROLES: 'api' } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await Promise.all([app?.close(), strict?.close()]);
    await sim?.close();
  });

  async function receiver(respond?: ConstructorParameters<typeof WebhookReceiver>[1]): Promise<WebhookReceiver> {
    const created = await new WebhookReceiver(nextPort++, respond).start();
    receivers.push(created);
    return created;
  }

  async function endpoint(tenant: Tenant, url: string, events = ['message.received']): Promise<{ id: string; secret: string }> {
    const res = await http(app).post('/api/v1/integrations/webhooks').set('Authorization', `Bearer ${tenant.token}`).send({ url, events }).expect(201);
    expect(res.body.secret).toMatch(/^whsec_/);
    return res.body;
  }

  /** N inbound messages through the real webhook ingest: N message.received events. */
  async function inbound(tenant: Tenant, n: number): Promise<void> {
    const messages = Array.from({ length: n }, (_, i) => ({ from: '56911112222', text: `hola ${i}` }));
    await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages })).expect(200);
  }

  const eventIds = async (tenant: Tenant, type = 'message.received') =>
    (await app.dataSource.query(`SELECT id FROM outbox_event WHERE organization_id = $1 AND type = $2 ORDER BY seq`, [tenant.organization.id, type])).map((r: { id: string }) => r.id);

  it('delivers one message.received per inbound message, signed so the standardwebhooks package verifies it', async () => {
    const tenant = await createTenant(app);
    const rx = await receiver();
    const { secret } = await endpoint(tenant, rx.url);
    await inbound(tenant, 1);
    const [got] = await rx.waitFor(1);
    const envelope = new Webhook(secret).verify(got.body, got.headers) as { id: string; type: string; organizationId: string; data: { message: { text: string; direction: string } } };
    expect(envelope).toMatchObject({ type: 'message.received', organizationId: tenant.organization.id, data: { message: { text: 'hola 0', direction: 'inbound' } } });
    expect(got.headers['webhook-id']).toBe(envelope.id);
    expect(await eventIds(tenant)).toEqual([envelope.id]);
    // No second delivery turns up.
    await new Promise((done) => setTimeout(done, 300));
    expect(rx.received).toHaveLength(1);
  });

  it('delivers message.created for an outbound send and message.status for its sent and delivered statuses', async () => {
    const tenant = await createTenant(app);
    await conversationFactory.create(app.dataSource, { organizationId: tenant.organization.id, whatsappAccountId: tenant.account.id, contactId: tenant.contact.id, windowExpiresAt: new Date(Date.now() + 3600_000) });
    const rx = await receiver();
    await endpoint(tenant, rx.url, ['message.created', 'message.status']);
    const sent = await http(app).post('/api/v1/messages').set('Authorization', `Bearer ${tenant.token}`).send({ to: tenant.contact.phoneE164, type: 'text', text: { body: 'Su pedido está listo' } }).expect(202);
    await rx.waitFor(2);
    const [row] = await waitFor(async () => {
      const rows = await app.dataSource.query(`SELECT provider_message_id FROM message WHERE id = $1 AND provider_message_id IS NOT NULL`, [sent.body.id]);
      return rows.length ? rows : null;
    });
    await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, statuses: [{ id: row.provider_message_id, status: 'delivered' }] })).expect(200);
    await rx.waitFor(3);
    const bodies = rx.received.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => [b.type, b.data.message?.id ?? b.data.messageId, b.data.status ?? b.data.message.status])).toEqual([
      ['message.created', sent.body.id, 'queued'],
      ['message.status', sent.body.id, 'sent'],
      ['message.status', sent.body.id, 'delivered'],
    ]);
  });

  it('streams an outbound message.created over SSE with an id, and resumes after Last-Event-ID from the outbox', async () => {
    const tenant = await createTenant(app);
    await conversationFactory.create(app.dataSource, { organizationId: tenant.organization.id, whatsappAccountId: tenant.account.id, contactId: tenant.contact.id, windowExpiresAt: new Date(Date.now() + 3600_000) });
    const auth = { Authorization: `Bearer ${tenant.token}` };
    const stream = await openEventStream(app.baseUrl, auth);
    const sent = await http(app).post('/api/v1/messages').set(auth).send({ to: tenant.contact.phoneE164, type: 'text', text: { body: 'Hola' } }).expect(202);
    const created = await waitFor(async () => stream.events.find((e) => e.event === 'message.created'), 10_000, 'outbound message.created');
    expect(JSON.parse(created.data!)).toMatchObject({ messageId: sent.body.id, direction: 'outbound' });
    expect(created.id).toMatch(/^\d+$/);
    stream.close();

    // While the client is away: an inbound message and the send's status.
    await inbound(tenant, 1);
    await waitFor(async () => (await app.dataSource.query(`SELECT 1 FROM outbox_event WHERE organization_id = $1 AND type = 'message.received'`, [tenant.organization.id])).length > 0);
    const resumed = await openEventStream(app.baseUrl, { ...auth, 'Last-Event-ID': created.id! });
    const missed = await waitFor(async () => resumed.events.find((e) => e.event === 'message.created'), 10_000, 'replayed inbound message');
    expect(JSON.parse(missed.data!)).toMatchObject({ direction: 'inbound' });
    expect(BigInt(missed.id!)).toBeGreaterThan(BigInt(created.id!));
    // The outbound message before Last-Event-ID is not sent again.
    expect(resumed.events.filter((e) => e.data?.includes(sent.body.id) && e.event === 'message.created')).toEqual([]);
    resumed.close();
  });

  it('opens the stream without headers (as EventSource must) with a single-use ticket, never with a token in the URL', async () => {
    const tenant = await createTenant(app);
    await conversationFactory.create(app.dataSource, { organizationId: tenant.organization.id, whatsappAccountId: tenant.account.id, contactId: tenant.contact.id, windowExpiresAt: new Date(Date.now() + 3600_000) });
    const auth = { Authorization: `Bearer ${tenant.token}` };
    const { ticket } = (await http(app).post('/api/v1/events/ticket').set(auth).expect(201)).body;
    const stream = await openEventStream(app.baseUrl, {}, `?ticket=${ticket}`);
    expect(stream.status).toBe(200);
    const sent = await http(app).post('/api/v1/messages').set(auth).send({ to: tenant.contact.phoneE164, type: 'text', text: { body: 'Hola' } }).expect(202);
    const created = await waitFor(async () => stream.events.find((e) => e.event === 'message.created'), 10_000, 'outbound message.created');
    expect(JSON.parse(created.data!)).toMatchObject({ messageId: sent.body.id, direction: 'outbound' });
    stream.close();
    // Single use; and a JWT in the query string is not accepted.
    expect((await openEventStream(app.baseUrl, {}, `?ticket=${ticket}`)).status).toBe(401);
    expect((await openEventStream(app.baseUrl, {}, `?ticket=${tenant.token}`)).status).toBe(401);
  });

  it('retries a receiver that answers 500 twice: three attempts with the same webhook-id, then delivered', async () => {
    const tenant = await createTenant(app);
    const rx = await receiver((n) => ({ status: n < 2 ? 500 : 200 }));
    const { id } = await endpoint(tenant, rx.url);
    await inbound(tenant, 1);
    await rx.waitFor(3);
    expect(new Set(rx.ids()).size).toBe(1);
    const delivery = await waitFor(async () => {
      const page = (await http(app).get(`/api/v1/integrations/webhooks/${id}/deliveries`).set('Authorization', `Bearer ${tenant.token}`).expect(200)).body;
      return page.data[0]?.status === 'delivered' ? page.data[0] : null;
    });
    expect(delivery).toMatchObject({ attempts: 3, responseCode: 200, eventId: rx.ids()[0] });
  });

  it('disables an endpoint that answers 410 and tells the owner through the outbox', async () => {
    const tenant = await createTenant(app);
    const rx = await receiver(() => ({ status: 410 }));
    const { id } = await endpoint(tenant, rx.url);
    await inbound(tenant, 1);
    await rx.waitFor(1);
    const view = await waitFor(async () => {
      const body = (await http(app).get(`/api/v1/integrations/webhooks/${id}`).set('Authorization', `Bearer ${tenant.token}`).expect(200)).body;
      return body.enabled === false ? body : null;
    });
    expect(view.disabledReason).toMatch(/410/);
    expect(await eventIds(tenant, 'webhook_endpoint.disabled')).toHaveLength(1);
    await inbound(tenant, 1);
    await new Promise((done) => setTimeout(done, 400));
    expect(rx.received).toHaveLength(1);
    await http(app).post(`/api/v1/integrations/webhooks/${id}/enable`).set('Authorization', `Bearer ${tenant.token}`).expect(200);
  });

  it('delivers every event produced while the receiver was down once it is back (duplicates only with the same webhook-id)', async () => {
    const tenant = await createTenant(app);
    const rx = await receiver();
    await endpoint(tenant, rx.url);
    await rx.stop();
    await inbound(tenant, 5);
    // Every event has failed at least once against the closed port before the receiver comes back.
    await waitFor(async () => {
      const [row] = await app.dataSource.query(`SELECT count(*)::int AS n FROM webhook_delivery WHERE organization_id = $1 AND attempts >= 1`, [tenant.organization.id]);
      return row.n === 5;
    });
    await rx.start();
    const expected = await eventIds(tenant);
    await waitFor(async () => new Set(rx.ids()).size === 5);
    expect(new Set(rx.ids())).toEqual(new Set(expected));
  });

  it('replays exactly the events of a time range', async () => {
    const tenant = await createTenant(app);
    await inbound(tenant, 2);
    await waitFor(async () => (await eventIds(tenant)).length === 2);
    const since = new Date();
    await new Promise((done) => setTimeout(done, 20));
    await inbound(tenant, 3);
    await waitFor(async () => (await eventIds(tenant)).length === 5);
    await new Promise((done) => setTimeout(done, 20));
    const until = new Date();
    await inbound(tenant, 1);
    await waitFor(async () => (await eventIds(tenant)).length === 6);
    const inRange = (await eventIds(tenant)).slice(2, 5);
    // Every event is relayed before the endpoint exists: one relayed later (a loaded machine) would reach it live too.
    await waitFor(async () => {
      const [row] = await app.dataSource.query(`SELECT count(*)::int AS n FROM outbox_event WHERE organization_id = $1 AND dispatched_at IS NULL`, [tenant.organization.id]);
      return row.n === 0;
    }, 10_000, 'events relayed');

    const rx = await receiver();
    const { id } = await endpoint(tenant, rx.url);
    const res = await http(app).post(`/api/v1/integrations/webhooks/${id}/replay`).set('Authorization', `Bearer ${tenant.token}`).send({ since: since.toISOString(), until: until.toISOString() }).expect(202);
    expect(res.body).toEqual({ deliveries: 3 });
    await rx.waitFor(3);
    await new Promise((done) => setTimeout(done, 300));
    expect(rx.ids().sort()).toEqual([...inRange].sort());
  });

  it('signs with both secrets during a rotation', async () => {
    const tenant = await createTenant(app);
    const rx = await receiver();
    const { id, secret: oldSecret } = await endpoint(tenant, rx.url);
    const rotated = await http(app).post(`/api/v1/integrations/webhooks/${id}/rotate-secret`).set('Authorization', `Bearer ${tenant.token}`).expect(200);
    const newSecret = rotated.body.secret as string;
    expect(newSecret).not.toBe(oldSecret);
    await http(app).post(`/api/v1/integrations/webhooks/${id}/test`).set('Authorization', `Bearer ${tenant.token}`).expect(202);
    const [got] = await rx.waitFor(1);
    expect(got.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(newSecret).verify(got.body, got.headers)).toMatchObject({ type: 'test.ping' });
    expect(new Webhook(oldSecret).verify(got.body, got.headers)).toMatchObject({ type: 'test.ping' });
    // Secrets are never returned after creation or rotation, nor stored in clear.
    const view = (await http(app).get(`/api/v1/integrations/webhooks/${id}`).set('Authorization', `Bearer ${tenant.token}`).expect(200)).body;
    expect(JSON.stringify(view)).not.toContain('whsec_');
    const [row] = await app.dataSource.query(`SELECT secret_encrypted FROM webhook_endpoint WHERE id = $1`, [id]);
    expect(row.secret_encrypted).not.toContain(newSecret.slice(6));
  });

  it('answers 400 for unknown event types, and only owners and admins manage endpoints', async () => {
    const tenant = await createTenant(app);
    const res = await http(app).post('/api/v1/integrations/webhooks').set('Authorization', `Bearer ${tenant.token}`).send({ url: 'http://127.0.0.1:8299/x', events: ['message.nope'] }).expect(400);
    expect(res.body.code).toBe('WEBHOOK_EVENT_TYPE_UNKNOWN');
    const agent = await userFactory.create(app.dataSource, { organizationId: tenant.organization.id, role: UserRole.Agent });
    const agentToken = await login(app, agent.email, DEFAULT_TEST_PASSWORD);
    await http(app).get('/api/v1/integrations/webhooks').set('Authorization', `Bearer ${agentToken}`).expect(403);
    await http(app).post('/api/v1/integrations/webhooks').set('Authorization', `Bearer ${agentToken}`).send({ url: 'http://127.0.0.1:8299/x', events: ['*'] }).expect(403);
  });

  it('refuses private, loopback and link-local URLs with 422 WEBHOOK_URL_NOT_ALLOWED unless WEBHOOK_ALLOW_PRIVATE_URLS', async () => {
    const tenant = await createTenant(strict);
    for (const url of ['http://127.0.0.1:8299/hook', 'http://10.0.0.5/hook', 'http://169.254.169.254/latest/meta-data', 'http://localhost:8299/', 'ftp://example.com/']) {
      const res = await http(strict).post('/api/v1/integrations/webhooks').set('Authorization', `Bearer ${tenant.token}`).send({ url, events: ['*'] });
      expect([res.status, res.body.code]).toEqual([422, 'WEBHOOK_URL_NOT_ALLOWED']);
    }
  });
});
