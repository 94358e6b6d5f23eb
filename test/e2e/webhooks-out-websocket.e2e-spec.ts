import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, type TestApp, waitFor } from '../support/test-app';
import { WebsocketReceiver } from '../support/websocket-receiver';
import { metaMessagesPayload, postMeta } from '../support/webhooks';
import { WebsocketForwarderService } from '../../src/modules/integrations/websocket/websocket-forwarder.service';

jest.setTimeout(90_000);

/** This file's ports: apps on 8920–8921, WebSocket receivers from 8925 up. */
let nextPort = 8925;
const ENV = { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', OUTBOX_POLL_INTERVAL_MS: '20' };

describe('WebSocket forwarding (integrations)', () => {
  let app: TestApp;
  /** A second worker process on the same database and queues. */
  let worker: TestApp | undefined;
  const receivers: WebsocketReceiver[] = [];

  beforeAll(async () => {
    app = await createTestApp({ env: { PORT: '8920', ...ENV } });
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await worker?.close();
    await app?.close();
  });

  async function receiver(): Promise<WebsocketReceiver> {
    const created = await new WebsocketReceiver(nextPort++).start();
    receivers.push(created);
    return created;
  }

  async function endpoint(tenant: Tenant, url: string, events = ['message.received']): Promise<{ id: string; secret: string }> {
    const res = await http(app).post('/api/v1/integrations/webhooks').set('Authorization', `Bearer ${tenant.token}`).send({ url, events }).expect(201);
    return res.body;
  }

  async function inbound(tenant: Tenant, texts: string[]): Promise<void> {
    await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: texts.map((text) => ({ from: '56911112222', text })) })).expect(200);
  }

  const eventIds = async (tenant: Tenant, type = 'message.received'): Promise<string[]> =>
    (await app.dataSource.query(`SELECT id FROM outbox_event WHERE organization_id = $1 AND type = $2 ORDER BY seq`, [tenant.organization.id, type])).map((r: { id: string }) => r.id);

  const textsOf = (rx: WebsocketReceiver) => {
    const firsts = new Map<string, string>();
    for (const frame of rx.frames) if (!firsts.has(frame.headers['webhook-id'])) firsts.set(frame.headers['webhook-id'], JSON.parse(frame.body).data.message.text);
    return [...firsts.values()];
  };

  it('forwards message.received as a frame whose signature verifies with the standardwebhooks package, and no HTTP deliveries', async () => {
    const tenant = await createTenant(app);
    const rx = await receiver();
    const { id, secret } = await endpoint(tenant, rx.url);
    await inbound(tenant, ['hola ws']);
    await waitFor(async () => rx.frames.length >= 1, 15_000, 'first frame');
    const [frame] = rx.frames;
    const envelope = new Webhook(secret).verify(frame.body, frame.headers) as { id: string; type: string; organizationId: string; data: { message: { text: string } } };
    expect(envelope).toMatchObject({ type: 'message.received', organizationId: tenant.organization.id, data: { message: { text: 'hola ws' } } });
    expect(frame.headers['webhook-id']).toBe(envelope.id);
    expect(await eventIds(tenant)).toEqual([envelope.id]);
    await new Promise((done) => setTimeout(done, 300));
    expect(rx.frames).toHaveLength(1);
    expect(rx.connections).toBe(1);
    // The HTTP relay leaves ws endpoints alone; test pings and replays are HTTP-only and say so.
    expect(await app.dataSource.query(`SELECT id FROM webhook_delivery WHERE endpoint_id = $1`, [id])).toEqual([]);
    const auth = { Authorization: `Bearer ${tenant.token}` };
    expect((await http(app).post(`/api/v1/integrations/webhooks/${id}/test`).set(auth).expect(409)).body.code).toBe('WEBHOOK_HTTP_ONLY_OPERATION');
    const range = { since: new Date(Date.now() - 60_000).toISOString(), until: new Date().toISOString() };
    expect((await http(app).post(`/api/v1/integrations/webhooks/${id}/replay`).set(auth).send(range).expect(409)).body.code).toBe('WEBHOOK_HTTP_ONLY_OPERATION');
  });

  it('refuses ws URLs on private addresses unless allowed, and other schemes always', async () => {
    const strict = await createTestApp({ env: { PORT: '8921', APP_ROLES: 'api' } });
    try {
      const tenant = await createTenant(strict);
      for (const url of ['ws://127.0.0.1:8999/x', 'wss://10.0.0.5/x', 'gopher://example.com/']) {
        const res = await http(strict).post('/api/v1/integrations/webhooks').set('Authorization', `Bearer ${tenant.token}`).send({ url, events: ['*'] }).expect(422);
        expect(res.body.code).toBe('WEBHOOK_URL_NOT_ALLOWED');
      }
    } finally {
      await strict.close();
    }
  });

  it('delivers the events produced while the receiver was down after reconnecting, in order, none lost', async () => {
    const tenant = await createTenant(app);
    const rx = await receiver();
    await endpoint(tenant, rx.url);
    await inbound(tenant, ['before']);
    await waitFor(async () => rx.frames.length >= 1, 15_000, 'first frame');

    await rx.stop();
    const during = Array.from({ length: 8 }, (_, i) => `during ${i}`);
    // One webhook per message: eight transactions, eight events, while nobody listens.
    for (const text of during) await inbound(tenant, [text]);
    await waitFor(async () => (await eventIds(tenant)).length === 9, 15_000, 'events written');
    await new Promise((done) => setTimeout(done, 500));
    const connectionsBefore = rx.connections;
    await rx.start();
    await waitFor(async () => rx.ids().length >= 9, 30_000, 'backlog after reconnect');
    expect(rx.connections).toBe(connectionsBefore + 1);
    // In outbox order; separate webhooks may be processed (and their events written) in another order than posted.
    expect(rx.ids()).toEqual(await eventIds(tenant));
    expect([...textsOf(rx)].sort()).toEqual(['before', ...during].sort());
    // Frames repeated across the cut carry the same webhook-id (at least once); the ids above are the whole set.
    await inbound(tenant, ['after']);
    await waitFor(async () => rx.ids().length >= 10, 15_000, 'live again');
    expect(textsOf(rx).at(-1)).toBe('after');
  });

  it('never passes an event whose transaction commits after a later-numbered one', async () => {
    const tenant = await createTenant(app);
    const rx = await receiver();
    await endpoint(tenant, rx.url);
    const insert = (client: Client, text: string) =>
      client.query(`INSERT INTO outbox_event (organization_id, type, data) VALUES ($1, 'message.received', jsonb_build_object('message', jsonb_build_object('text', $2::text)))`, [tenant.organization.id, text]);
    const slow = new Client({ connectionString: app.databaseUrl });
    const fast = new Client({ connectionString: app.databaseUrl });
    await Promise.all([slow.connect(), fast.connect()]);
    try {
      await slow.query('BEGIN');
      await insert(slow, 'slow (lower seq, commits last)');
      await insert(fast, 'fast (higher seq, committed first)');
      await new Promise((done) => setTimeout(done, 1000));
      // The committed event waits behind the open transaction rather than moving the cursor past its row.
      expect(rx.frames).toHaveLength(0);
      await slow.query('COMMIT');
      await waitFor(async () => rx.ids().length >= 2, 15_000, 'both events');
      expect(textsOf(rx).sort()).toEqual(['fast (higher seq, committed first)', 'slow (lower seq, commits last)']);
      expect(rx.ids().sort()).toEqual((await eventIds(tenant)).sort());
    } finally {
      await Promise.all([slow.end(), fast.end()]);
    }
  });

  it('drops its connections when the lock connection dies, then takes them back: still one connection, nothing lost', async () => {
    const tenant = await createTenant(app);
    const rx = await receiver();
    await endpoint(tenant, rx.url);
    await inbound(tenant, ['antes']);
    await waitFor(async () => rx.ids().length >= 1, 15_000, 'first frame');
    // The locks go with their connection: the forwarder must not keep a connection it may no longer own.
    const [{ n }] = await app.dataSource.query(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'conversa-websocket-locks' AND datname = current_database()`,
    );
    expect(n).toBe(1);
    await waitFor(async () => rx.connections >= 2, 15_000, 'a fresh connection after the lock was taken back');
    await inbound(tenant, ['después 1', 'después 2']);
    await waitFor(async () => rx.ids().length >= 3, 15_000, 'events after');
    expect(textsOf(rx)).toEqual(['antes', 'después 1', 'después 2']);
    expect(rx.open.size).toBe(1);
  });

  it('keeps one connection per endpoint across two worker processes, and the survivor takes over when the owner stops', async () => {
    worker = await createTestApp({ databaseUrl: app.databaseUrl, queuePrefix: app.queuePrefix, env: { APP_ROLES: 'worker', ...ENV } });
    const tenant = await createTenant(app);
    const rx = await receiver();
    const { id } = await endpoint(tenant, rx.url);
    await inbound(tenant, ['one']);
    await waitFor(async () => rx.ids().length >= 1, 15_000, 'first frame');
    // Several discovery rounds of both processes: still one connection.
    await new Promise((done) => setTimeout(done, 2500));
    expect(rx.connections).toBe(1);
    expect(rx.open.size).toBe(1);
    const owners = [app, worker].filter((a) => a.get(WebsocketForwarderService).owned().includes(id));
    expect(owners).toHaveLength(1);

    // The owner goes away: the other process gets the lock and resumes from the cursor.
    const owner = owners[0];
    const survivor = owner === app ? worker : app;
    if (owner === worker) {
      await worker.close();
      worker = undefined;
    } else {
      // The api app hosts the HTTP routes the test needs: stop only its forwarding (frees its locks the same way).
      await app.get(WebsocketForwarderService).beforeApplicationShutdown();
    }
    await inbound(tenant, ['two', 'three']);
    await waitFor(async () => rx.ids().length >= 3, 20_000, 'events after the takeover');
    expect(survivor.get(WebsocketForwarderService).owned()).toContain(id);
    expect(rx.connections).toBe(2);
    expect(rx.open.size).toBe(1);
    expect(textsOf(rx)).toEqual(['one', 'two', 'three']);
  });
});
