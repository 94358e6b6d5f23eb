import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { createTenant } from '../factories/tenant.factory';
import { createTestApp, type TestApp, waitFor } from '../support/test-app';
import { api, insertTemplate, phones, sendsByRecipient, TEMPLATE, waitForStatus } from './campaigns-helpers';

jest.setTimeout(90_000);

/** This file's loopback ports (8960–8979). */
const SIM_PORT = 8965;
const APP_PORT = 8966;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Campaigns: a pause takes effect within a second, even while its transaction waits', () => {
  let sim: GraphSimulatorServer;
  let app: TestApp;

  beforeAll(async () => {
    sim = await startGraphSimulatorServer({ port: SIM_PORT });
    app = await createTestApp({ env: { PORT: String(APP_PORT), META_GRAPH_BASE_URL: sim.url, APP_ROLES: 'api,worker', WORKER_CONCURRENCY: '16' } });
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  it('holds the sends already booked while the campaign row is locked (a slow claim, a busy database), then completes once each after resume', async () => {
    const tenant = await createTenant(app, { rateLimitPerSecond: 50 });
    await insertTemplate(app, tenant);
    const to = phones(300, 71);
    const { body } = await api(app, tenant).create({ name: 'pause', content: { type: 'template', template: { ...TEMPLATE, variables: ['x'] } }, audience: { recipients: to.map((p) => ({ to: p })) } }).expect(201);
    await api(app, tenant).action(body.id, 'start').expect(200);
    const sent = () => sendsByRecipient(sim.simulator.outbox, tenant.account.phoneNumberId).size;
    await waitFor(async () => sent() >= 50, 20000, '50 sent');

    // Another transaction holds the campaign row: the runner's next claim and the pause's transaction both wait on it,
    // while about two seconds of sends are already booked in the send queue.
    const blocker = app.dataSource.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    await blocker.query(`SELECT id FROM campaign WHERE id = $1 FOR UPDATE`, [body.id]);
    let answered = false;
    const pausing = api(app, tenant)
      .action(body.id, 'pause')
      .then((res) => {
        answered = true;
        return res;
      });
    try {
      await sleep(1000);
      const heldAt = sent();
      await sleep(1500);
      expect(answered).toBe(false);
      // Nothing went out from one second after the pause request on, though its transaction has not committed.
      expect(sent()).toBe(heldAt);
      expect(heldAt).toBeLessThan(300);
    } finally {
      await blocker.rollbackTransaction();
      await blocker.release();
    }
    expect((await pausing).status).toBe(200);
    const atPause = sent();
    await sleep(1500);
    expect(sent()).toBe(atPause);

    await api(app, tenant).action(body.id, 'resume').expect(200);
    const done = await waitForStatus(app, tenant, body.id, 'completed', 40000);
    const counts = sendsByRecipient(sim.simulator.outbox, tenant.account.phoneNumberId);
    expect(counts.size).toBe(300);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(done.counts).toMatchObject({ total: 300, sent: 300, failed: 0 });
  });

  it('answers 409 to pausing a paused campaign and leaves its sends held; a refused resume of a running one holds nothing', async () => {
    const tenant = await createTenant(app, { rateLimitPerSecond: 50 });
    await insertTemplate(app, tenant);
    const to = phones(100, 72);
    const { body } = await api(app, tenant).create({ name: 'twice', content: { type: 'template', template: { ...TEMPLATE, variables: ['x'] } }, audience: { recipients: to.map((p) => ({ to: p })) } }).expect(201);
    await api(app, tenant).action(body.id, 'start').expect(200);
    await api(app, tenant).action(body.id, 'resume').expect(409);
    const sent = () => sendsByRecipient(sim.simulator.outbox, tenant.account.phoneNumberId).size;
    await waitFor(async () => sent() >= 20, 20000, '20 sent');
    await api(app, tenant).action(body.id, 'pause').expect(200);
    await api(app, tenant).action(body.id, 'pause').expect(409);
    const atPause = sent();
    await sleep(1500);
    expect(sent()).toBe(atPause);
    await api(app, tenant).action(body.id, 'resume').expect(200);
    await waitForStatus(app, tenant, body.id, 'completed', 30000);
    expect(sendsByRecipient(sim.simulator.outbox, tenant.account.phoneNumberId).size).toBe(100);
  });
});
