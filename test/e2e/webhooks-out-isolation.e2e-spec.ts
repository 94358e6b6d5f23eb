import { writeEvents } from '../../src/database/outbox';
import type { NewEvent } from '../../src/domain/events/event-catalogue';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, type TestApp } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(60_000);

/** Ports 8940–8949: the app on 8940, receivers from 8941. */
const ENDPOINT_CONCURRENCY = 4;

describe('Outbound webhooks: one receiver never holds back another', () => {
  let app: TestApp;
  let nextPort = 8941;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    app = await createTestApp({
      env: {
        PORT: '8940',
        WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
        WEBHOOK_TIMEOUT_MS: '20000',
        WEBHOOK_ENDPOINT_CONCURRENCY: String(ENDPOINT_CONCURRENCY),
        WEBHOOK_DELIVERY_CONCURRENCY: '16',
        OUTBOX_POLL_INTERVAL_MS: '20',
      },
    });
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await app?.close();
  });

  async function receiver(respond?: ConstructorParameters<typeof WebhookReceiver>[1]): Promise<WebhookReceiver> {
    const created = await new WebhookReceiver(nextPort++, respond).start();
    receivers.push(created);
    return created;
  }

  function endpoint(tenant: Tenant, url: string, extra: Record<string, unknown> = {}) {
    return http(app)
      .post('/api/v1/integrations/webhooks')
      .set('Authorization', `Bearer ${tenant.token}`)
      .send({ url, events: ['message.received'], ...extra });
  }

  /** Commits `n` message.received events into the real outbox; answers their commit time by event id. */
  async function commitEvents(tenant: Tenant, n: number): Promise<Map<string, number>> {
    const events = Array.from({ length: n }, (_, i) => messageReceived(tenant.organization.id, i));
    const ids = await app.dataSource.transaction((m) => writeEvents(m, events));
    const at = Date.now();
    return new Map(ids.map((id) => [id, at]));
  }

  it('keeps delivering to a healthy endpoint, quickly, while another endpoint of the same tenant hangs', async () => {
    const tenant = await createTenant(app);
    const hanging = await receiver(() => 'hang');
    const healthy = await receiver();
    await endpoint(tenant, hanging.url).expect(201);
    await endpoint(tenant, healthy.url).expect(201);

    // Two rounds: the second comes while the hanging endpoint holds every slot it may have.
    const first = await commitEvents(tenant, 40);
    await healthy.waitFor(40, 10_000);
    const second = await commitEvents(tenant, 40);
    await healthy.waitFor(80, 10_000);

    const committed = new Map([...first, ...second]);
    const latencies = healthy.received.map((r) => r.at - committed.get(r.headers['webhook-id'])!);
    expect(new Set(healthy.ids()).size).toBe(80);
    // Far below the hanging receiver's 20 s timeout: its attempts never made the healthy ones wait for a slot.
    expect(Math.max(...latencies)).toBeLessThan(3000);
    expect(hanging.received.length).toBeLessThanOrEqual(ENDPOINT_CONCURRENCY);
    expect(hanging.received.length).toBeGreaterThan(0);
  });

  it("spaces an endpoint's attempts to its maxPerSecond, while an endpoint without a limit gets everything at once", async () => {
    const tenant = await createTenant(app);
    const limited = await receiver();
    const free = await receiver();
    const created = await endpoint(tenant, limited.url, { maxPerSecond: 5 }).expect(201);
    expect(created.body.maxPerSecond).toBe(5);
    await endpoint(tenant, free.url).expect(201);

    const committed = await commitEvents(tenant, 15);
    const start = Math.min(...committed.values());
    await free.waitFor(15, 5000);
    const freeDone = Math.max(...free.received.map((r) => r.at)) - start;
    await limited.waitFor(15, 15_000);

    const offsets = limited.received.map((r) => r.at - start).sort((a, b) => a - b);
    // Started one every 200 ms: 15 take 2.8 s, and no second holds more than 5 (6 arrivals, with the loop's jitter).
    const busiestSecond = Math.max(...offsets.map((ms) => offsets.filter((other) => other >= ms && other < ms + 1000).length));
    expect(busiestSecond).toBeLessThanOrEqual(6);
    expect(offsets[14] - offsets[0]).toBeGreaterThanOrEqual(2400);
    expect(new Set(limited.ids()).size).toBe(15);
    expect(freeDone).toBeLessThan(1500);
  });

  it('validates maxPerSecond (400), and lets an update change and clear it', async () => {
    const tenant = await createTenant(app);
    const target = await receiver();
    const zero = await endpoint(tenant, target.url, { maxPerSecond: 0 }).expect(400);
    expect(zero.body.code).toBe('VALIDATION_FAILED');
    await endpoint(tenant, target.url, { maxPerSecond: 'fast' }).expect(400);

    const { body } = await endpoint(tenant, target.url).expect(201);
    expect(body.maxPerSecond).toBeNull();
    const auth = { Authorization: `Bearer ${tenant.token}` };
    const updated = await http(app).patch(`/api/v1/integrations/webhooks/${body.id}`).set(auth).send({ maxPerSecond: 20 }).expect(200);
    expect(updated.body.maxPerSecond).toBe(20);
    const cleared = await http(app).patch(`/api/v1/integrations/webhooks/${body.id}`).set(auth).send({ maxPerSecond: null }).expect(200);
    expect(cleared.body.maxPerSecond).toBeNull();
  });
});

function messageReceived(organizationId: string, i: number): NewEvent<'message.received'> {
  const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  return {
    organizationId,
    type: 'message.received',
    conversationId: id,
    data: {
      message: {
        id, conversationId: id, contactId: id, whatsappAccountId: id, direction: 'inbound', type: 'text', status: 'received',
        text: `hola ${i}`, content: { body: `hola ${i}` }, providerMessageId: `wamid.isolation-${i}`, occurredAt: new Date().toISOString(),
      },
    },
  };
}
