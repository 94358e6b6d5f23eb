import { Client } from 'pg';
import { WebhookEventStatus } from '../../src/database/entities/enums';
import { JobName } from '../../src/queues/job-names';
import { jobIdFor } from '../../src/queues/job-options';
import { JobProducer } from '../../src/queues/job-producer.service';
import { QueueName } from '../../src/queues/queue-names';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestApp, deleteQueueKeys, waitFor, type TestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';
import { metaMessagesPayload, postMeta } from '../support/webhooks';

const PROXY_PORT = 7143;
const APP_PORT = 7144;

/** A value PostgreSQL rejects (SQLSTATE 22xxx) fails its event at once; a lost connection is retried. */
describe('Webhook events and database errors', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let proxy: TcpProxy;
  let direct: Client;
  let app: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    database = await createTestDatabase();
    const url = new URL(database.url);
    proxy = new TcpProxy(PROXY_PORT, { host: url.hostname, port: Number(url.port || 5432) });
    await proxy.start();
    direct = new Client({ connectionString: database.url });
    await direct.connect();
    url.port = String(PROXY_PORT);
    app = await createTestApp({ databaseUrl: url.toString(), env: { PORT: String(APP_PORT), INBOUND_CONCURRENCY: '4' } });
    tenant = await createTenant(app, { autoRepliesEnabled: false });
  });

  afterAll(async () => {
    proxy.forward();
    await app.close();
    await deleteQueueKeys(app.config.REDIS_URL, app.queuePrefix);
    await proxy.close();
    await direct.end();
    await database.drop();
  });

  const eventByKeyPart = async (part: string) =>
    (await direct.query(`SELECT id, status, attempts, error, item_errors FROM webhook_event WHERE payload::text LIKE $1`, [`%${part}%`])).rows[0];
  const job = (eventId: string) => app.get(JobProducer).queue(QueueName.Inbound).getJob(jobIdFor(JobName.ProcessWebhookEvent, eventId));

  it('fails an event whose sender is too long for its column after one attempt, with the reason', async () => {
    const from = '😀'.repeat(50);
    await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ id: 'wamid.data-error', from }] })).expect(200);
    const event = await waitFor(
      async () => {
        const row = await eventByKeyPart('wamid.data-error');
        return row?.status === WebhookEventStatus.Failed ? row : null;
      },
      10000,
      'the event to fail',
    );
    expect(event.attempts).toBe(1);
    expect(event.error).toMatch(/value too long/);
    expect(JSON.stringify(event.item_errors)).toMatch(/value too long/);
    // Nothing left to retry: the job finished with its first attempt.
    expect((await job(event.id))?.attemptsMade ?? 0).toBeLessThanOrEqual(1);
    expect(await app.get(JobProducer).queue(QueueName.Inbound).getDelayedCount()).toBe(0);
  });

  it('retries an event whose connection was lost mid-query, and processes it once the database is back', async () => {
    const body = metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ id: 'wamid.conn-error', from: '56991230000' }] });
    const [{ id }] = (await direct.query(`INSERT INTO webhook_event (provider, idempotency_key, payload) VALUES ('meta', 'conn-error', $1::jsonb) RETURNING id`, [body])).rows;
    proxy.blackHole();
    await app.get(JobProducer).enqueue(JobName.ProcessWebhookEvent, { webhookEventId: id }, { key: id });
    await waitFor(async () => (await (await job(id))?.getState()) === 'active', 5000, 'the job to start');
    proxy.cut();
    const failedOnce = await waitFor(async () => {
      const found = await job(id);
      return found && found.attemptsMade >= 1 ? found : null;
    }, 10000, 'the attempt to fail');
    expect(failedOnce.failedReason).toMatch(/ECONNRESET|terminated|connection/i);
    expect(await failedOnce.getState()).toBe('delayed');

    proxy.forward();
    await waitFor(async () => (await eventByKeyPart('wamid.conn-error'))?.status === WebhookEventStatus.Processed, 20000, 'processed on retry');
    expect((await direct.query(`SELECT 1 FROM message WHERE provider_message_id = 'wamid.conn-error'`)).rowCount).toBe(1);
  });
});
