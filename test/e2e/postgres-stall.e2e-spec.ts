import { Client } from 'pg';
import { WebhookEventStatus } from '../../src/database/entities/enums';
import { JobName } from '../../src/queues/job-names';
import { jobIdFor } from '../../src/queues/job-options';
import { JobProducer } from '../../src/queues/job-producer.service';
import { QueueName } from '../../src/queues/queue-names';
import { createTenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestApp, deleteQueueKeys, waitFor, type TestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';
import { metaMessagesPayload, metaSignature, postMeta } from '../support/webhooks';

const PROXY_PORT = 7141;
const APP_PORT = 7142;

/** PostgreSQL behind a proxy that stops forwarding without closing anything (packets dropped). */
describe('PostgreSQL stall', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let proxy: TcpProxy;
  let direct: Client;
  let app: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    const url = new URL(database.url);
    proxy = new TcpProxy(PROXY_PORT, { host: url.hostname, port: Number(url.port || 5432) });
    await proxy.start();
    direct = new Client({ connectionString: database.url });
    await direct.connect();
    url.port = String(PROXY_PORT);
    app = await createTestApp({
      databaseUrl: url.toString(),
      env: { PORT: String(APP_PORT), DB_STATEMENT_TIMEOUT_MS: '1000', DB_CONNECT_TIMEOUT_MS: '3000', WEBHOOK_STORE_TIMEOUT_MS: '1500', INBOUND_CONCURRENCY: '4' },
    });
  });

  afterAll(async () => {
    proxy.forward();
    await app.close().catch(() => undefined);
    await deleteQueueKeys(app.config.REDIS_URL, app.queuePrefix);
    await proxy.close();
    await direct.end();
    await database.drop();
  });

  const eventRow = async (id: string) => (await direct.query(`SELECT status, attempts, error FROM webhook_event WHERE id = $1`, [id])).rows[0];

  it('answers 503 in bounded time, reports the database down, fails hanging jobs for retry, and recovers without a restart', async () => {
    const tenant = await createTenant(app, { autoRepliesEnabled: false });
    const body = (id: string) => metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ id, from: '56991234567' }] });
    await postMeta(app, body('wamid.stall-warm')).expect(200);
    await waitFor(async () => (await direct.query(`SELECT 1 FROM message WHERE provider_message_id = 'wamid.stall-warm'`)).rowCount === 1, 10000, 'warm-up message');

    // An event stored before the stall whose job starts while PostgreSQL is unreachable.
    const [{ id: stuckId }] = (
      await direct.query(`INSERT INTO webhook_event (provider, idempotency_key, payload) VALUES ('meta', 'stall-job', $1::jsonb) RETURNING id`, [body('wamid.stall-job')])
    ).rows;
    proxy.blackHole();
    await app.get(JobProducer).enqueue(JobName.ProcessWebhookEvent, { webhookEventId: stuckId }, { key: stuckId });

    const started = Date.now();
    const stalled = await postMeta(app, body('wamid.stall-post')).timeout(8000);
    expect({ status: stalled.status, code: stalled.body.code }).toEqual({ status: 503, code: 'WEBHOOK_STORE_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(4000);

    const ready = await http(app).get('/health/ready').timeout(8000);
    expect(ready.status).toBe(503);
    expect(ready.body.details.error.postgres.status).toBe('down');

    // The job's query times out: the attempt fails and BullMQ schedules a retry instead of holding it forever.
    const job = await waitFor(
      async () => {
        const found = await app.get(JobProducer).queue(QueueName.Inbound).getJob(jobIdFor(JobName.ProcessWebhookEvent, stuckId));
        return found && found.attemptsMade >= 1 ? found : null;
      },
      8000,
      'the stalled job to fail an attempt',
    );
    expect(job.failedReason).toMatch(/timeout|terminated/i);
    expect(await job.getState()).not.toBe('failed');
    // Plain TypeORM queries fail in bounded time too; their connections must not come back to the pool stuck.
    const queries = await Promise.allSettled(Array.from({ length: 4 }, () => app.dataSource.query('SELECT 1')));
    expect(queries.map((q) => q.status)).toEqual(Array(4).fill('rejected'));

    proxy.forward();
    await expect(Promise.all(Array.from({ length: 8 }, () => app.dataSource.query('SELECT 1 AS ok')))).resolves.toEqual(Array(8).fill([{ ok: 1 }]));
    await postMeta(app, body('wamid.stall-post')).timeout(8000).expect(200);
    await waitFor(async () => (await http(app).get('/health/ready')).status === 200, 10000, 'ready again');
    await waitFor(async () => (await eventRow(stuckId))?.status === WebhookEventStatus.Processed, 20000, 'the stalled job processed on retry');
    await waitFor(
      async () => (await direct.query(`SELECT 1 FROM message WHERE provider_message_id IN ('wamid.stall-job', 'wamid.stall-post')`)).rowCount === 2,
      10000,
      'both messages stored',
    );
  }, 60000);

  it('answers a per-account webhook 503 in bounded time when its secret cannot be looked up', async () => {
    proxy.forward();
    await waitFor(async () => (await http(app).get('/health/ready')).status === 200, 10000, 'ready');
    const unseen = await createTenant(app, { autoRepliesEnabled: false });
    const appSecret = 'stall-account-own-app-secret';
    for (const tenant of [unseen]) await http(app).patch(`/api/v1/whatsapp/accounts/${tenant.account.id}`).set('Authorization', `Bearer ${tenant.token}`).send({ appSecret }).expect(200);
    const post = (accountId: string, id: string) => {
      const body = metaMessagesPayload({ phoneNumberId: 'any', messages: [{ id }] });
      return http(app).post(`/webhooks/meta/${accountId}`).set('Content-Type', 'application/json').set('X-Hub-Signature-256', metaSignature(body, appSecret)).send(body).timeout(8000);
    };

    proxy.blackHole();
    const started = Date.now();
    const refused = await post(unseen.account.id, 'wamid.secret-unseen');
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 503, code: 'WEBHOOK_STORAGE_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(4000);
    proxy.forward();
    await post(unseen.account.id, 'wamid.secret-unseen').expect(200);
  }, 60000);

  it('closes the application within a bound while PostgreSQL is black-holed', async () => {
    proxy.forward();
    await waitFor(async () => (await http(app).get('/health/ready')).status === 200, 10000, 'ready');
    await postMeta(app, metaMessagesPayload({ phoneNumberId: 'unknown-number', messages: [{ id: 'wamid.stall-close' }] })).expect(200);
    proxy.blackHole();
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(8000);
  }, 30000);
});
