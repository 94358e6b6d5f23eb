import { writeEvents } from '../../src/database/outbox';
import type { NewEvent } from '../../src/domain/events/event-catalogue';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, type TestApp } from '../support/test-app';
import { type ReceivedWebhook, type Responder, WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(60_000);

/**
 * Ports 9060–9079: the app on 9060, receivers from 9061. A second worker process (same database and queues) runs
 * beside the app throughout, so holding and releasing are decided across processes, as in production.
 * Retry schedule: three attempts (at once, +200 ms, +1.5 s), then the delivery is dead. A held delivery looks again
 * 1 s after its predecessor's next attempt is due, so one that follows within ~0.5 s of its predecessor's last attempt
 * was woken by it.
 */
const SCHEDULE = '0,200,1500';
const WOKEN_WITHIN_MS = 600;

describe('Outbound webhooks: ordered endpoints deliver a conversation’s events in order', () => {
  let app: TestApp;
  let otherWorker: TestApp;
  let nextPort = 9061;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    const env = { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RETRY_SCHEDULE_MS: SCHEDULE, OUTBOX_POLL_INTERVAL_MS: '20' };
    app = await createTestApp({ env: { ...env, PORT: '9060' } });
    otherWorker = await createTestApp({ env: { ...env, PORT: '9079', APP_ROLES: 'worker' }, databaseUrl: app.databaseUrl, queuePrefix: app.queuePrefix });
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await otherWorker?.close();
    await app?.close();
  });

  async function receiver(respond?: Responder): Promise<WebhookReceiver> {
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

  /** Answers 500 to the first `failures` attempts of the event labelled `label`, 200 to everything else. */
  function failing(label: string, failures: number): Responder {
    let seen = 0;
    return (_n, received) => (labelOf(received) === label && seen++ < failures ? { status: 500 } : { status: 200 });
  }

  async function pending(endpointId: string): Promise<number> {
    const [row] = await app.dataSource.query(`SELECT count(*)::int AS n FROM webhook_delivery WHERE endpoint_id = $1 AND status = 'pending'`, [endpointId]);
    return row.n;
  }

  /** Commits events in one transaction, in this order (their outbox seq); each labelled `<conversation><n>`. */
  async function commit(tenant: Tenant, labels: Array<[label: string, conversationId: string | null]>): Promise<void> {
    await app.dataSource.transaction((m) => writeEvents(m, labels.map(([label, conversationId]) => messageReceived(tenant.organization.id, label, conversationId))));
  }

  it("holds a conversation's later events until its first is delivered, releases them at once and in order; other conversations and an unordered endpoint are not held", async () => {
    const tenant = await createTenant(app);
    const ordered = await receiver(failing('A1', 2));
    const unordered = await receiver(failing('A1', 2));
    const created = await endpoint(tenant, ordered.url, { ordered: true }).expect(201);
    expect(created.body.ordered).toBe(true);
    const plain = await endpoint(tenant, unordered.url).expect(201);
    expect(plain.body.ordered).toBe(false);

    const [a, b] = [uuid(1), uuid(2)];
    await commit(tenant, [['A1', a], ['A2', a], ['B1', b], ['A3', a], ['B2', b], ['N1', null]]);
    // A1 three times (500, 500, 200) and the five others once, on both endpoints.
    await ordered.waitFor(8, 15_000);
    await unordered.waitFor(8, 15_000);

    const got = labels(ordered.received);
    expect(got.filter((label) => label.startsWith('A'))).toEqual(['A1', 'A1', 'A1', 'A2', 'A3']);
    const firstDelivered = arrival(ordered, 'A1', 2);
    // The next one goes when its predecessor is done, not on a later look.
    expect(arrival(ordered, 'A2') - firstDelivered).toBeLessThan(WOKEN_WITHIN_MS);
    // Another conversation's events and an event without a conversation are not held behind A1's retries.
    for (const label of ['B1', 'B2', 'N1']) expect(arrival(ordered, label)).toBeLessThan(firstDelivered);
    expect(labels(ordered.received).filter((label) => label.startsWith('B'))).toEqual(['B1', 'B2']);
    // The unordered endpoint gets A2 and A3 while A1 is still failing.
    expect(arrival(unordered, 'A2')).toBeLessThan(arrival(unordered, 'A1', 2));
    expect(arrival(unordered, 'A3')).toBeLessThan(arrival(unordered, 'A1', 2));
    expect(new Set(ordered.ids()).size).toBe(6);

    // Holding counted no attempt: every delivery but A1's took one.
    await waitUntil(async () => (await pending(created.body.id)) === 0);
    const attempts: Array<{ attempts: number }> = await app.dataSource.query(
      `SELECT attempts FROM webhook_delivery WHERE endpoint_id = $1 AND status = 'delivered' ORDER BY attempts`,
      [created.body.id],
    );
    expect(attempts.map((row) => row.attempts)).toEqual([1, 1, 1, 1, 1, 3]);
  });

  it('releases the next event of a conversation when the one before dies after the schedule', async () => {
    const tenant = await createTenant(app);
    const target = await receiver(failing('A1', 99));
    const { body } = await endpoint(tenant, target.url, { ordered: true }).expect(201);

    const a = uuid(3);
    await commit(tenant, [['A1', a], ['A2', a], ['A3', a]]);
    await target.waitFor(5, 15_000);

    expect(labels(target.received)).toEqual(['A1', 'A1', 'A1', 'A2', 'A3']);
    expect(arrival(target, 'A2') - arrival(target, 'A1', 2)).toBeLessThan(WOKEN_WITHIN_MS);
    await waitUntil(async () => (await pending(body.id)) === 0);
    const rows: Array<{ status: string; attempts: number }> = await app.dataSource.query(
      `SELECT d.status, d.attempts FROM webhook_delivery d JOIN outbox_event e ON e.id = d.event_id WHERE d.endpoint_id = $1 ORDER BY e.seq`,
      [body.id],
    );
    expect(rows).toEqual([
      { status: 'dead', attempts: 3 },
      { status: 'delivered', attempts: 1 },
      { status: 'delivered', attempts: 1 },
    ]);
  });

  it('keeps every conversation in order across two workers, with events committed in many transactions', async () => {
    const tenant = await createTenant(app);
    const conversations = [uuid(10), uuid(11), uuid(12)];
    const perConversation = 6;
    // Each conversation's first event fails once: everything after it waits for its retry.
    const firsts = new Set(['C0-1', 'C1-1', 'C2-1']);
    const failed = new Set<string>();
    const target = await receiver((_n, received) => {
      const label = labelOf(received);
      if (!firsts.has(label) || failed.has(label)) return { status: 200 };
      failed.add(label);
      return { status: 500 };
    });
    await endpoint(tenant, target.url, { ordered: true }).expect(201);

    for (let n = 1; n <= perConversation; n += 1) {
      await Promise.all(conversations.map((conversation, c) => commit(tenant, [[`C${c}-${n}`, conversation]])));
    }
    await target.waitFor(conversations.length * (perConversation + 1), 20_000);

    for (const c of conversations.keys()) {
      const expected = [`C${c}-1`, ...Array.from({ length: perConversation }, (_, i) => `C${c}-${i + 1}`)];
      expect(labels(target.received).filter((label) => label.startsWith(`C${c}-`))).toEqual(expected);
    }
  });

  it('takes ordered on create and update (a boolean; anything else is 400 VALIDATION_FAILED)', async () => {
    const tenant = await createTenant(app);
    const target = await receiver();
    for (const ordered of ['yes', null, 1]) {
      const refused = await endpoint(tenant, target.url, { ordered }).expect(400);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
    }
    const { body } = await endpoint(tenant, target.url).expect(201);
    expect(body.ordered).toBe(false);
    const auth = { Authorization: `Bearer ${tenant.token}` };
    const updated = await http(app).patch(`/api/v1/integrations/webhooks/${body.id}`).set(auth).send({ ordered: true }).expect(200);
    expect(updated.body.ordered).toBe(true);
    const untouched = await http(app).patch(`/api/v1/integrations/webhooks/${body.id}`).set(auth).send({ description: 'crm' }).expect(200);
    expect(untouched.body.ordered).toBe(true);
    const refused = await http(app).patch(`/api/v1/integrations/webhooks/${body.id}`).set(auth).send({ ordered: null }).expect(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    const fetched = await http(app).get(`/api/v1/integrations/webhooks/${body.id}`).set(auth).expect(200);
    expect(fetched.body.ordered).toBe(true);
  });
});

function labelOf(received: ReceivedWebhook): string {
  return (JSON.parse(received.body) as { data: { message: { text: string } } }).data.message.text;
}

function labels(received: ReceivedWebhook[]): string[] {
  return received.map(labelOf);
}

/** When the `nth` (0-based) request for `label` arrived. */
function arrival(target: WebhookReceiver, label: string, nth = 0): number {
  const found = target.received.filter((r) => labelOf(r) === label)[nth];
  if (!found) throw new Error(`no request ${nth} for ${label}`);
  return found.at;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((done) => setTimeout(done, 50));
  }
}

function uuid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

function messageReceived(organizationId: string, label: string, conversationId: string | null): NewEvent<'message.received'> {
  const id = conversationId ?? uuid(0);
  return {
    organizationId,
    type: 'message.received',
    conversationId,
    data: {
      message: {
        id, conversationId: id, contactId: id, whatsappAccountId: id, direction: 'inbound', type: 'text', status: 'received',
        text: label, content: { body: label }, providerMessageId: `wamid.ordered-${label}`, occurredAt: new Date().toISOString(),
      },
    },
  };
}
