import { CampaignClock } from '../../src/modules/campaigns/campaign-clock';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { createTestApp, type TestApp, waitFor } from '../support/test-app';
import { api, insertTemplate, phones, sendsByRecipient, TEMPLATE, waitForStatus } from './campaigns-helpers';

const SIM_PORT = 8312;
/** 10:00 UTC: 07:00 in Santiago (summer, UTC-3), 11:00 in Madrid (UTC+1). */
const T0 = new Date('2026-12-07T10:00:00Z');

describe('Campaigns: sending windows, expiry, messaging tier and A/B', () => {
  let sim: GraphSimulatorServer;
  let app: TestApp;
  let clock: jest.SpyInstance<Date, []>;

  beforeAll(async () => {
    sim = await startGraphSimulatorServer({ port: SIM_PORT });
    app = await createTestApp({ env: { META_GRAPH_BASE_URL: sim.url, APP_ROLES: 'api,worker', WORKER_CONCURRENCY: '16' } });
    clock = jest.spyOn(app.get(CampaignClock), 'now');
  });
  afterAll(async () => {
    clock?.mockRestore();
    await app?.close();
    await sim?.close();
  });
  beforeEach(() => sim.simulator.reset());

  const at = (date: Date) => clock.mockImplementation(() => new Date(date));
  const sentTo = (tenant: Tenant) => sendsByRecipient(sim.simulator.outbox, tenant.account.phoneNumberId);
  const template = (variables: string[]) => ({ type: 'template', template: { ...TEMPLATE, variables } });

  it("holds recipients outside 09:00–20:00 in their own timezone (a contact attribute wins over the phone's country) until the frozen clock enters it", async () => {
    const tenant = await createTenant(app, { rateLimitPerSecond: 100 });
    await insertTemplate(app, tenant);
    const chile = phones(5, 31);
    const spain = phones(5, 31, '+3461');
    const [traveller] = await app.dataSource.query(`INSERT INTO contact (organization_id, phone_e164, labels, custom_attributes) VALUES ($1, $2, '{madrid}', '{"timezone": "Europe/Madrid"}') RETURNING phone_e164`, [tenant.organization.id, phones(1, 32)[0]]);
    at(T0);
    const { body } = await api(app, tenant).create({ name: 'w', content: template(['x']), audience: { recipients: [...chile, ...spain].map((to) => ({ to })), labels: ['madrid'] }, schedule: { window: { start: '09:00', end: '20:00' } } }).expect(201);
    await api(app, tenant).action(body.id, 'start').expect(200);
    await waitFor(async () => sentTo(tenant).size === 6, 10000, 'Madrid recipients sent');
    // Santiago's recipients were in the same claim and were left out of it: none is sent, all still pending.
    expect([...sentTo(tenant).keys()].sort()).toEqual([...spain, traveller.phone_e164].sort());
    const pending = await api(app, tenant).recipients(body.id, '?status=pending').expect(200);
    expect(pending.body.data.map((r: { phone: string }) => r.phone).sort()).toEqual(chile);

    at(new Date(T0.getTime() + 3 * 3600_000));
    await waitForStatus(app, tenant, body.id, 'completed', 15000);
    expect(sentTo(tenant).size).toBe(11);
    expect([...sentTo(tenant).values()].every((n) => n === 1)).toBe(true);
  });

  it('expires the recipients still waiting for their window when the campaign expires, instead of sending them late', async () => {
    const tenant = await createTenant(app, { rateLimitPerSecond: 100 });
    await insertTemplate(app, tenant);
    const chile = phones(5, 33);
    const spain = phones(5, 33, '+3461');
    at(T0);
    const schedule = { window: { start: '09:00', end: '20:00' }, expiresAt: new Date(T0.getTime() + 3600_000).toISOString() };
    const { body } = await api(app, tenant).create({ name: 'e', content: template(['x']), audience: { recipients: [...chile, ...spain].map((to) => ({ to })) }, schedule }).expect(201);
    await api(app, tenant).action(body.id, 'start').expect(200);
    await waitFor(async () => sentTo(tenant).size === 5, 10000, 'Madrid recipients sent');
    at(new Date(T0.getTime() + 3 * 3600_000));
    const done = await waitForStatus(app, tenant, body.id, 'completed', 15000);
    expect(done.counts).toMatchObject({ sent: 5, expired: 5, pending: 0 });
    expect([...sentTo(tenant).keys()].sort()).toEqual(spain);
  });

  it('reaches at most 250 unique recipients per rolling 24 hours on a 250 tier, across campaigns, and goes on once the window has moved', async () => {
    const tenant = await createTenant(app, { rateLimitPerSecond: 200, messagingLimit: 250 });
    await insertTemplate(app, tenant);
    at(T0);
    const first = (await api(app, tenant).create({ name: 't1', content: template(['x']), audience: { recipients: phones(300, 34).map((to) => ({ to })) } }).expect(201)).body;
    await api(app, tenant).action(first.id, 'start').expect(200);
    await waitFor(async () => sentTo(tenant).size === 250, 15000, '250 sent');
    const second = (await api(app, tenant).create({ name: 't2', content: template(['x']), audience: { recipients: phones(10, 35).map((to) => ({ to })) } }).expect(201)).body;
    await api(app, tenant).action(second.id, 'start').expect(200);
    // Both runners poll every 2 s while the tier is full: after 3 s they have looked again and sent nothing.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(sentTo(tenant).size).toBe(250);
    expect((await api(app, tenant).get(first.id).expect(200)).body.counts.pending).toBe(50);
    expect((await api(app, tenant).get(second.id).expect(200)).body.counts.pending).toBe(10);

    at(new Date(T0.getTime() + 24 * 3600_000 + 60_000));
    await waitForStatus(app, tenant, first.id, 'completed', 15000);
    await waitForStatus(app, tenant, second.id, 'completed', 15000);
    expect(sentTo(tenant).size).toBe(310);
  });

  it('splits 10,000 recipients 50/30/20 within ±2 %', async () => {
    const tenant = await createTenant(app, { rateLimitPerSecond: 1000 });
    await insertTemplate(app, tenant);
    at(T0);
    const abTest = { variants: [{ name: 'a', percent: 50 }, { name: 'b', percent: 30 }, { name: 'c', percent: 20 }] };
    const startAt = new Date(T0.getTime() + 3600_000).toISOString();
    const { body } = await api(app, tenant).create({ name: 'ab', content: template(['x']), audience: { recipients: phones(10000, 36).map((to) => ({ to })) }, schedule: { startAt }, abTest }).expect(201);
    await api(app, tenant).action(body.id, 'start').expect(200, { id: body.id, status: 'scheduled' });
    const rows: Array<{ variant: number; n: number }> = await app.dataSource.query(`SELECT variant, count(*)::int AS n FROM campaign_recipient WHERE campaign_id = $1 GROUP BY variant ORDER BY variant`, [body.id]);
    const shares = rows.map((r) => r.n / 10000);
    [0.5, 0.3, 0.2].forEach((expected, i) => expect(Math.abs(shares[i] - expected)).toBeLessThanOrEqual(0.02));
    await api(app, tenant).action(body.id, 'cancel').expect(200);
    expect(sentTo(tenant).size).toBe(0);
  }, 60000);

  it('sends the test phase to a fraction, then the variant with the best read rate to everyone else', async () => {
    const tenant = await createTenant(app, { rateLimitPerSecond: 200 });
    await insertTemplate(app, tenant);
    at(T0);
    const abTest = { variants: [{ name: 'a', percent: 50, content: template(['A']) }, { name: 'b', percent: 50, content: template(['B']) }], testFraction: 0.2, decideAfterMs: 60_000, metric: 'read' };
    const { body } = await api(app, tenant).create({ name: 'ab2', content: template(['x']), audience: { recipients: phones(200, 37).map((to) => ({ to })) }, abTest }).expect(201);
    await api(app, tenant).action(body.id, 'start').expect(200);
    await waitFor(async () => sentTo(tenant).size === 40, 10000, 'test phase sent');
    // Variant b's messages are read (as Meta's read statuses would mark them); variant a's are not.
    await app.dataSource.query(
      `UPDATE message m SET status = 'read', read_at = now() FROM campaign_recipient cr WHERE cr.message_id = m.id AND cr.campaign_id = $1 AND cr.variant = 1 AND m.status = 'sent'`,
      [body.id],
    );
    expect(sentTo(tenant).size).toBe(40);
    at(new Date(T0.getTime() + 61_000));
    const done = await waitForStatus(app, tenant, body.id, 'completed', 15000);
    expect(done.winnerVariant).toBe(1);
    const texts = sim.simulator.outbox.filter((e) => e.phoneNumberId === tenant.account.phoneNumberId).map((e) => JSON.stringify(e.body.template));
    expect(texts.filter((t) => t.includes('"A"'))).toHaveLength(20);
    expect(texts.filter((t) => t.includes('"B"'))).toHaveLength(180);
    expect(sentTo(tenant).size).toBe(200);
    expect((done.variants as Array<{ variant: number; counts: { sent: number } }>).map((v) => [v.variant, v.counts.sent])).toEqual([[0, 20], [1, 180]]);
  });
});
