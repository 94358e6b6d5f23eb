import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import { REDIS } from '../../src/common/redis/redis.module';
import type { RedisClient } from '../../src/common/redis/redis-client';
import type { BusinessHours } from '../../src/database/entities/whatsapp-account.entity';
import { RedisLlmBudget } from '../../src/modules/agents/llm/redis-llm-budget';
import { AccountRateLimiter } from '../../src/modules/communications/outbound/account-rate-limiter.service';
import type { SendMessageDto } from '../../src/modules/communications/outbound/dto/send-message.dto';
import { OutboundQueue } from '../../src/modules/communications/outbound/outbound-queue.service';
import { SendMessageService } from '../../src/modules/communications/outbound/send-message.service';
import type { RealtimeEnvelope } from '../../src/modules/realtime/realtime.events';
import { RealtimeSubscriber } from '../../src/modules/realtime/realtime.subscriber';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { JobProducer } from '../../src/queues/job-producer.service';
import { QueueName } from '../../src/queues/queue-names';
import { conversationFactory } from '../factories/contact.factory';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { ScratchRedisCluster } from '../support/redis-cluster';
import { createTestApp, drainQueues, type TestApp, waitFor } from '../support/test-app';
import { metaMessagesPayload, postMeta } from '../support/webhooks';

const ALWAYS_OPEN: BusinessHours = { weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]])) };
// Data ports 7740-7742, cluster bus ports 7750-7752: loopback only.
const CLUSTER_PORTS = [7740, 7741, 7742];

describe('Redis Cluster: the inbound and outbound paths on three masters', () => {
  const cluster = new ScratchRedisCluster(CLUSTER_PORTS);
  let sim: GraphSimulatorServer;
  let app: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    await cluster.start();
    sim = await startGraphSimulatorServer();
    app = await createTestApp({ env: { REDIS_URL: cluster.url, META_GRAPH_BASE_URL: sim.url } });
    tenant = await createTenant(app, { businessHours: ALWAYS_OPEN, rateLimitPerSecond: 50 });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await cluster.stop();
  }, 30_000);

  const outboxTo = (waId: string) => sim.simulator.outbox.filter((entry) => String(entry.body.to).replace(/\D/g, '') === waId);

  it('talks to the cluster: the shared client is a cluster client and the queue keys live there', async () => {
    const redis = app.get<RedisClient>(REDIS as never);
    expect(redis).toBeInstanceOf(Cluster);
    await app.get(JobProducer).queue(QueueName.Inbound).getJobCounts('waiting');
    expect(await redis.exists(app.get(JobProducer).queue(QueueName.Inbound).toKey('meta'))).toBe(1);
    await http(app).get('/health/ready').expect(200);
  });

  it('stores, processes and answers a signed inbound webhook: message row, agent reply sent once, realtime event published', async () => {
    const from = '56911223344';
    const events: RealtimeEnvelope[] = [];
    const stop = app.get(RealtimeSubscriber).listen(tenant.organization.id, (envelope) => events.push(envelope));
    const wamid = `wamid.cluster-${Date.now()}`;
    try {
      await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ id: wamid, from, text: '¿Cuándo vence el F29?' }] })).expect(200);
      await waitFor(async () => outboxTo(from).length > 0, 20_000, 'agent reply at the provider');
      await drainQueues(app);
      await waitFor(async () => events.some((e) => e.event.type === 'message.created' && e.event.direction === 'inbound'), 5_000, 'realtime event');
    } finally {
      stop();
    }

    const [event] = await app.dataSource.query(`SELECT status FROM webhook_event WHERE payload::text LIKE $1`, [`%${wamid}%`]);
    expect(event).toEqual({ status: 'processed' });
    const [inbound] = await app.dataSource.query(`SELECT direction, status, conversation_id FROM message WHERE provider_message_id = $1`, [wamid]);
    expect(inbound).toMatchObject({ direction: 'inbound', status: 'received' });
    const replies = await app.dataSource.query(`SELECT status, agent_name FROM message WHERE conversation_id = $1 AND direction = 'outbound'`, [inbound.conversation_id]);
    expect(replies).toEqual([{ status: 'sent', agent_name: 'tax_reminders' }]);
    expect(outboxTo(from)).toHaveLength(1);
  });

  it('sends a POST /api/v1/messages text exactly once', async () => {
    await conversationFactory.create(app.dataSource, {
      organizationId: tenant.organization.id,
      whatsappAccountId: tenant.account.id,
      contactId: tenant.contact.id,
      windowExpiresAt: new Date(Date.now() + 3_600_000),
    });
    const response = await http(app)
      .post('/api/v1/messages')
      .set('Authorization', `Bearer ${tenant.token}`)
      .send({ to: tenant.contact.phoneE164, type: 'text', text: { body: 'Hola desde el cluster' } })
      .expect(202);
    const id = response.body.id as string;
    await waitFor(async () => (await app.dataSource.query(`SELECT 1 FROM message WHERE id = $1 AND status = 'sent'`, [id])).length > 0, 15_000, 'message sent');
    await drainQueues(app);

    expect(sim.simulator.outbox.filter((entry) => entry.body.biz_opaque_callback_data === id)).toHaveLength(1);
    // The retry path's pipelined look-up of finished jobs (several keys, one slot) also runs on the cluster.
    await expect(app.get(OutboundQueue).clearFinished([id, randomUUID()])).resolves.toBeUndefined();
  });

  it('sends the parts of an ordered send in order (a BullMQ flow, its keys on one slot)', async () => {
    const parts = ['uno', 'dos', 'tres'].map((word, index) => ({ dto: { to: tenant.contact.phoneE164!, type: 'text', text: { body: `cluster ${word}` } } as SendMessageDto, idempotencyKey: `cluster-order-${index}` }));
    // The contact's window was opened by the test above; the first part is slow at the provider.
    sim.simulator.injectFault({ kind: 'timeout', delayMs: 500, match: { to: tenant.contact.phoneE164! } });
    const outcomes = await app.get(SendMessageService).sendInOrder(tenant.organization.id, parts);
    await waitFor(async () => (await app.dataSource.query(`SELECT 1 FROM message WHERE id = $1 AND status = 'sent'`, [(outcomes[2] as { id: string }).id])).length > 0, 15_000, 'last part sent');
    await drainQueues(app);

    const bodies = sim.simulator.outbox.map((entry) => (entry.body.text as { body?: string } | undefined)?.body).filter((body) => body?.startsWith('cluster '));
    expect(bodies).toEqual(['cluster uno', 'cluster dos', 'cluster tres']);
  });

  it('runs the other multi-key scripts on the cluster: pair pause, bulk reservation, LLM budget', async () => {
    const limiter = app.get(AccountRateLimiter);
    const until = await limiter.blockPair(tenant.account.id, '+56911110000');
    await expect(limiter.acquire(tenant.account.id, 50, 'priority', '+56911110000')).resolves.toEqual({ outcome: 'pair', pairUntil: until });
    expect(await limiter.reserveBulk(tenant.account.id, 50, 3)).toHaveLength(3);

    const budget = app.get(RedisLlmBudget);
    await expect(budget.tryConsume(tenant.organization.id, 120)).resolves.toBe(true);
    expect(await budget.used(tenant.organization.id)).toBe(120);
  });

  it('registers the job schedulers on the cluster (scheduler role, its own prefix so this file\'s worker never runs them)', async () => {
    const scheduler = await createTestApp({ databaseUrl: app.databaseUrl, queuePrefix: `{conversa-sched-${process.pid}}`, env: { REDIS_URL: cluster.url, APP_ROLES: 'scheduler' } });
    try {
      const maintenance = scheduler.get(JobProducer).queue(QueueName.Maintenance);
      expect((await maintenance.getJobSchedulers()).length).toBeGreaterThan(0);
    } finally {
      await scheduler.close();
    }
  });
});
