import { createTenant } from '../factories/tenant.factory';
import { createTestApp, type TestApp, waitFor } from '../support/test-app';
import { api, insertTemplate, phones, TEMPLATE } from './campaigns-helpers';

jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** No send worker runs here (only the campaigns queue): the campaign's sends fall behind their booked slots at once. */
describe('Campaigns: the runner stops claiming while the sends are behind', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ env: { APP_ROLES: 'api,worker', WORKER_QUEUES: 'campaigns' } });
  });
  afterAll(() => app?.close());

  it('keeps at most four seconds of the account rate claimed and untried, and claims again as they go out', async () => {
    // 100/s: batches of 100, and a backlog of max(500, 4 s × 100) = 500.
    const tenant = await createTenant(app, { rateLimitPerSecond: 100 });
    await insertTemplate(app, tenant);
    const { body } = await api(app, tenant)
      .create({ name: 'backlog', content: { type: 'template', template: { ...TEMPLATE, variables: ['x'] } }, audience: { recipients: phones(2000, 81).map((to) => ({ to })) } })
      .expect(201);
    await api(app, tenant).action(body.id, 'start').expect(200);
    const untried = async (): Promise<number> =>
      (await app.dataSource.query(`SELECT count(*)::int AS n FROM message WHERE campaign_id = $1 AND status = 'queued' AND attempts = 0`, [body.id]))[0].n;
    const claimed = async (): Promise<number> =>
      (await app.dataSource.query(`SELECT count(*)::int AS n FROM campaign_recipient WHERE campaign_id = $1 AND status <> 'pending'`, [body.id]))[0].n;

    await waitFor(async () => (await untried()) >= 500, 15000, '500 claimed');
    // Booked at 100/s, 500 sends span 5 s: a runner claiming at the booked pace would have claimed more by now.
    await sleep(4000);
    expect(await untried()).toBe(500);
    expect(await claimed()).toBe(500);

    // 300 of them go out (as a send worker would mark them): the runner claims 300 more, and again no further.
    await app.dataSource.query(
      `UPDATE message SET status = 'sent', attempts = 1, sent_at = now(), provider_message_id = 'wamid.backlog.' || id
        WHERE id IN (SELECT id FROM message WHERE campaign_id = $1 AND status = 'queued' ORDER BY created_at LIMIT 300)`,
      [body.id],
    );
    await waitFor(async () => (await claimed()) >= 800, 15000, '300 more claimed');
    await sleep(1000);
    expect(await claimed()).toBe(800);
    expect(await untried()).toBe(500);
    await api(app, tenant).action(body.id, 'cancel').expect(200);
  });
});
