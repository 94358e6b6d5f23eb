import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, type TestApp, waitFor } from '../support/test-app';
import { baseTestEnv } from '../support/test-env';
import { WebhookReceiver } from '../support/webhook-receiver';
import { metaMessagesPayload, postMeta } from '../support/webhooks';

jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '../..');
const STALLED_MS = 2000;
const DELIVERY_ENV = { WORKER_QUEUES: 'integrations', WORKER_STALLED_INTERVAL_MS: String(STALLED_MS), WEBHOOK_ALLOW_PRIVATE_URLS: 'true', OUTBOX_POLL_INTERVAL_MS: '20' };

/** The real entry point as a worker process of its own: the outbox relay and the delivery queue. */
function spawnDeliveryWorker(app: TestApp): ChildProcess {
  return spawn(process.execPath, ['-r', join(ROOT, 'node_modules/ts-node/register/transpile-only'), join(ROOT, 'src/entrypoints/main.ts')], {
    cwd: mkdtempSync(join(tmpdir(), 'conversa-delivery-worker-')),
    env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...baseTestEnv(), DATABASE_URL: app.databaseUrl, QUEUE_PREFIX: app.queuePrefix, APP_ROLES: 'worker', ...DELIVERY_ENV },
    stdio: 'ignore',
  });
}

describe('WebhookDeliveryService', () => {
  let api: TestApp;
  let survivor: TestApp | undefined;
  let worker: ChildProcess | undefined;
  // The first attempt hangs (the worker dies during it); every later one is acknowledged.
  const receiver = new WebhookReceiver(8205, (n) => (n === 0 ? 'hang' : { status: 200 }));

  beforeAll(async () => {
    await receiver.start();
    // Everything but deliveries runs here: webhooks in, events into the outbox.
    api = await createTestApp({ env: { PORT: '8206', WORKER_QUEUES: 'inbound,agents,outbound,campaigns,media,maintenance', WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } });
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await survivor?.close();
    await api?.close();
    await receiver.stop();
  });

  it('loses nothing when the worker is killed mid-delivery: another worker delivers it with the same webhook-id', async () => {
    const tenant = await createTenant(api);
    await http(api).post('/api/v1/integrations/webhooks').set('Authorization', `Bearer ${tenant.token}`).send({ url: receiver.url, events: ['message.received'] }).expect(201);
    worker = spawnDeliveryWorker(api);
    await postMeta(api, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ text: 'hola' }] })).expect(200);
    await receiver.waitFor(1, 30_000);
    const exited = new Promise((done) => worker!.once('exit', done));
    worker.kill('SIGKILL');
    await exited;

    survivor = await createTestApp({ databaseUrl: api.databaseUrl, queuePrefix: api.queuePrefix, env: { APP_ROLES: 'worker', ...DELIVERY_ENV } });
    await receiver.waitFor(2, 4 * STALLED_MS + 5000);
    const [first, second] = receiver.ids();
    expect(second).toBe(first);
    const [delivery] = await waitFor(async () => {
      const rows = await api.dataSource.query(`SELECT status, event_id FROM webhook_delivery WHERE organization_id = $1`, [tenant.organization.id]);
      return rows[0]?.status === 'delivered' ? rows : null;
    });
    expect(delivery.event_id).toBe(first);
  });
});
