import Redis from 'ioredis';
import { WebhookEventStatus } from '../../src/database/entities/enums';
import { WebhookEvent } from '../../src/database/entities/webhook-event.entity';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { ScratchRedis } from '../support/redis-server';
import { createTestApp, waitFor, type TestApp } from '../support/test-app';
import { metaMessagesPayload } from '../support/webhooks';

const SWEEP_INTERVAL_MS = 2000;
/** The sweep job itself, the event's job and its processing, on a busy 2-core machine. */
const PROCESSING_ALLOWANCE_MS = 1500;

/** A Redis without persistence comes back empty: the scheduler must notice and register its schedules again. */
describe('SchedulerService', () => {
  let redis: ScratchRedis;
  let sim: GraphSimulatorServer;
  let app: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    redis = new ScratchRedis(7400);
    await redis.start();
    sim = await startGraphSimulatorServer({ port: 7402 });
    app = await createTestApp({
      env: { APP_ROLES: 'api,worker,scheduler', PORT: '7401', REDIS_URL: redis.url, META_GRAPH_BASE_URL: sim.url, MAINTENANCE_SWEEP_INTERVAL_MS: String(SWEEP_INTERVAL_MS) },
    });
    tenant = await createTenant(app);
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await redis?.stop();
  });

  /** A row stored while Redis was unusable: no job exists for it, only the sweep can find it. */
  async function insertReceivedEvent(label: string): Promise<string> {
    const payload = metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ id: `wamid.sched-${label}-${Date.now()}`, from: '56997770000' }] });
    // Older than the sweep's 30-second grace period for events whose job may still be on its way.
    const [row] = (await app.dataSource.query(
      `INSERT INTO webhook_event (provider, idempotency_key, payload, received_at) VALUES ('meta', $1, $2::jsonb, now() - interval '1 minute') RETURNING id`,
      [`sched-${label}-${Date.now()}`, payload],
    )) as Array<{ id: string }>;
    return row.id;
  }

  async function msUntilProcessed(eventId: string): Promise<number> {
    const started = Date.now();
    const events = app.dataSource.getRepository(WebhookEvent);
    await waitFor(async () => (await events.findOneByOrFail({ id: eventId })).status === WebhookEventStatus.Processed, 4 * SWEEP_INTERVAL_MS, `event ${eventId} processed`);
    return Date.now() - started;
  }

  describe('restoreMissing', () => {
    it('sweeps a `received` event within the sweep interval after Redis was flushed under the running scheduler', async () => {
      const client = new Redis(redis.url);
      try {
        await client.flushall();
      } finally {
        client.disconnect();
      }
      const elapsed = await msUntilProcessed(await insertReceivedEvent('flushed'));
      console.log(`received event processed ${elapsed} ms after FLUSHALL (sweep interval ${SWEEP_INTERVAL_MS} ms)`);
      expect(elapsed).toBeLessThan(SWEEP_INTERVAL_MS + PROCESSING_ALLOWANCE_MS);
    });

    it('sweeps a `received` event within the sweep interval after Redis was killed and restarted empty', async () => {
      await redis.stop();
      await redis.start();
      const elapsed = await msUntilProcessed(await insertReceivedEvent('restarted'));
      console.log(`received event processed ${elapsed} ms after a Redis restart (sweep interval ${SWEEP_INTERVAL_MS} ms)`);
      expect(elapsed).toBeLessThan(SWEEP_INTERVAL_MS + PROCESSING_ALLOWANCE_MS);
    });
  });
});
