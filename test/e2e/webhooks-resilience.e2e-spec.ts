import { Conversation } from '../../src/database/entities/conversation.entity';
import { MessageDirection, WebhookEventStatus } from '../../src/database/entities/enums';
import { Message } from '../../src/database/entities/message.entity';
import { PreparedStatement } from '../../src/database/prepared-statement';
import { WebhookEvent } from '../../src/database/entities/webhook-event.entity';
import { normalizeMetaPayload } from '../../src/modules/webhooks/normalizer/meta-payload.normalizer';
import { InboundService } from '../../src/modules/communications/inbound/inbound.service';
import { WebhookMaintenanceService } from '../../src/modules/webhooks/processing/webhook-maintenance.service';
import { startGraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { ScratchRedis } from '../support/redis-server';
import { createTestApp, drainQueues, waitFor, type TestApp } from '../support/test-app';
import { metaMessagesPayload, postMeta } from '../support/webhooks';

/** Breaking things for real: Redis stopped mid-ingest, a worker dying mid-event, a batched write failing. */
describe('Webhook ingestion under failure', () => {
  let graph: Awaited<ReturnType<typeof startGraphSimulatorServer>>;

  beforeAll(async () => {
    graph = await startGraphSimulatorServer();
  });
  afterAll(() => graph.close());

  it('keeps answering 200 while Redis is down and processes every event once Redis is back', async () => {
    const redis = new ScratchRedis(16379 + (process.pid % 1000));
    await redis.start();
    const app = await createTestApp({ env: { REDIS_URL: redis.url, META_GRAPH_BASE_URL: graph.url } });
    try {
      const tenant = await createTenant(app);
      const stamp = Date.now();
      const payload = (i: number) => metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ id: `wamid.redis-${stamp}-${i}`, from: `56993${String(i).padStart(6, '0')}` }] });
      for (let i = 0; i < 5; i += 1) await postMeta(app, payload(i)).expect(200);
      await drainQueues(app);

      await redis.stop();
      const started = Date.now();
      for (let i = 5; i < 15; i += 1) await postMeta(app, payload(i)).expect(200);
      // Acknowledged as soon as the row is committed, not held up by the dead queue.
      expect(Date.now() - started).toBeLessThan(10 * 2500);
      expect(await app.dataSource.getRepository(WebhookEvent).countBy({ status: WebhookEventStatus.Received })).toBe(10);

      await redis.start();
      // What the scheduler's sweep job does every 30 s: re-enqueue events left `received`.
      await waitFor(async () => (await app.get(WebhookMaintenanceService).sweep(0)) >= 10, 15000, 'sweep after Redis restart');
      await waitFor(async () => (await app.dataSource.getRepository(WebhookEvent).countBy({ status: WebhookEventStatus.Processed })) === 15, 20000, 'all events processed');
      const stored = await app.dataSource.query(`SELECT count(*)::int AS n FROM message WHERE provider_message_id LIKE $1`, [`wamid.redis-${stamp}-%`]);
      expect(stored[0].n).toBe(15);
    } finally {
      await app.close().catch(() => undefined);
      await redis.stop();
    }
  });

  it('processes an event exactly once after its worker died halfway through it', async () => {
    // The api role stores the event; no worker is running yet.
    const api = await createTestApp({ env: { APP_ROLES: 'api', META_GRAPH_BASE_URL: graph.url } });
    let worker: TestApp | null = null;
    try {
      const tenant: Tenant = await createTenant(api);
      const stamp = Date.now();
      const ids = Array.from({ length: 6 }, (_, i) => `wamid.crash-${stamp}-${i}`);
      const body = metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: ids.map((id, i) => ({ id, from: '56994440000', text: `parte ${i}`, timestamp: Math.floor(stamp / 1000) + i })) });
      await postMeta(api, body).expect(200);
      const event = await api.dataSource.getRepository(WebhookEvent).findOneByOrFail({ status: WebhookEventStatus.Received });

      // A worker claimed it, applied the first half, then died: the row is left `processing`.
      worker = await createTestApp({ databaseUrl: api.databaseUrl, queuePrefix: `${api.queuePrefix}-dead`, env: { APP_ROLES: 'worker', META_GRAPH_BASE_URL: graph.url } });
      await api.dataSource.query(`UPDATE webhook_event SET status = 'processing', attempts = 1 WHERE id = $1`, [event.id]);
      const items = normalizeMetaPayload(JSON.parse(body));
      const effects = { realtime: [], inboundConversations: new Set<string>(), mediaAssetIds: [] };
      for (const item of items.slice(0, 3)) if (item.ok) await worker.get(InboundService).apply(item.event, effects);
      await worker.close();

      // A new worker on the real queue; the sweep finds the stuck event and re-enqueues it.
      worker = await createTestApp({ databaseUrl: api.databaseUrl, queuePrefix: api.queuePrefix, env: { APP_ROLES: 'worker', META_GRAPH_BASE_URL: graph.url } });
      await api.get(WebhookMaintenanceService).sweep(0);
      await waitFor(async () => (await api.dataSource.getRepository(WebhookEvent).findOneByOrFail({ id: event.id })).status === WebhookEventStatus.Processed, 15000, 'event processed');
      await drainQueues(worker);

      for (const id of ids) expect(await api.dataSource.getRepository(Message).countBy({ providerMessageId: id })).toBe(1);
      const [conversation] = await api.dataSource.query(`SELECT unread_count FROM conversation c JOIN message m ON m.conversation_id = c.id WHERE m.provider_message_id = $1`, [ids[0]]);
      expect(conversation.unread_count).toBe(6);
    } finally {
      await worker?.close().catch(() => undefined);
      await api.close();
    }
  });

  it('settles known senders message by message when their batched write fails, before or after it committed', async () => {
    const app = await createTestApp({ env: { META_GRAPH_BASE_URL: graph.url } });
    const realRun = PreparedStatement.prototype.run;
    const run = jest.spyOn(PreparedStatement.prototype, 'run');
    try {
      const tenant = await createTenant(app);
      const from = '56995551234';
      const stamp = Date.now();
      const post = (round: string) =>
        Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ id: `wamid.fallback-${stamp}-${round}-${i}`, from, text: `mensaje ${i}` }] })).expect(200),
          ),
        );
      await post('first');
      await drainQueues(app);
      const conversation = await app.dataSource.getRepository(Conversation).findOneByOrFail({ organizationId: tenant.organization.id });
      const inbound = () => app.dataSource.getRepository(Message).countBy({ conversationId: conversation.id, direction: MessageDirection.Inbound });
      const unread = async () => (await app.dataSource.getRepository(Conversation).findOneByOrFail({ id: conversation.id })).unreadCount;
      expect(await inbound()).toBe(5);

      // The batched path writes on a pooled connection; the general path inside its own transaction. Each round
      // fails the first batched write of its five messages, then checks every message was counted exactly once.
      const roundWithFailedBatch = async (round: string, afterCommit: boolean, expected: number) => {
        let injected = 0;
        run.mockImplementation(async function (this: PreparedStatement, manager, values) {
          if (this.name !== 'inbound-write-rows' || manager.queryRunner || injected > 0) return realRun.call(this, manager, values);
          injected += 1;
          if (afterCommit) await realRun.call(this, manager, values);
          throw Object.assign(new Error(afterCommit ? 'Connection terminated unexpectedly' : 'deadlock detected'), { code: afterCommit ? undefined : '40P01' });
        });
        await post(round);
        await drainQueues(app);
        expect(injected).toBe(1);
        expect(await inbound()).toBe(expected);
        expect(await unread()).toBe(expected);
      };
      // Failed outright (a deadlock): nothing of the batch is stored, the general path writes each message.
      await roundWithFailedBatch('deadlock', false, 10);
      // Committed, but the answer was lost: the general path finds the rows and counts none of them twice.
      await roundWithFailedBatch('lost-answer', true, 15);
      const [{ n }] = await app.dataSource.query(`SELECT count(DISTINCT provider_message_id)::int AS n FROM message WHERE provider_message_id LIKE $1`, [`wamid.fallback-${stamp}-%`]);
      expect(n).toBe(15);
      expect(await app.dataSource.getRepository(WebhookEvent).countBy({ status: WebhookEventStatus.Processed })).toBe(15);
    } finally {
      run.mockRestore();
      await app.close();
    }
  });
});
