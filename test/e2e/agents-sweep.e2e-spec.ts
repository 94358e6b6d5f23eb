import { UnansweredSweeper } from '../../src/modules/agents/runtime/unanswered-sweeper.service';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { JobProducer } from '../../src/queues/job-producer.service';
import { QueueName } from '../../src/queues/queue-names';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { createTestApp, drainQueues, waitFor, type TestApp } from '../support/test-app';
import { metaMessagesPayload, postMeta } from '../support/webhooks';

describe('UnansweredSweeper', () => {
  let sim: GraphSimulatorServer;
  let app: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    sim = await startGraphSimulatorServer();
    // A long debounce keeps the agent job delayed in Redis, where a restart can lose it.
    app = await createTestApp({ env: { META_GRAPH_BASE_URL: sim.url, AGENTS_DEBOUNCE_MS: '60000' } });
    tenant = await createTenant(app);
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  describe('sweep', () => {
    it('answers a burst whose debounced agent job Redis lost, once, however often it runs', async () => {
      const from = '56914000077';
      const agents = app.get(JobProducer).queue(QueueName.Agents);
      const inbound = app.get(JobProducer).queue(QueueName.Inbound);
      for (const text of ['Hola', '¿Hasta cuándo puedo declarar el F29?']) {
        await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ from, text }] })).expect(200);
      }
      // Both events applied (the second one pushes the same debounced job back), so nothing adds it again.
      const settled = async () => Object.values(await inbound.getJobCounts('waiting', 'active', 'prioritized', 'delayed')).every((n) => n === 0) && (await agents.getDelayedCount()) === 1;
      await waitFor(settled, 10_000, 'the debounced agent job');
      // What a Redis that restarts empty does to it.
      for (const job of await agents.getDelayed()) await job.remove();

      const sweeper = app.get(UnansweredSweeper);
      expect(await sweeper.sweep(0)).toBe(1);
      await drainQueues(app);
      // Answered now: later sweeps find nothing, and a debounced job still pending is left alone.
      expect(await sweeper.sweep(0)).toBe(0);
      await drainQueues(app);

      const replies = sim.simulator.outbox.filter((entry) => String(entry.body.to).replace(/\D/g, '') === from);
      expect(replies).toHaveLength(1);
      const runs = await app.dataSource.query(
        `SELECT r.outcome FROM agent_run r JOIN conversation c ON c.id = r.conversation_id JOIN contact ct ON ct.id = c.contact_id WHERE ct.phone_e164 = $1`,
        [`+${from}`],
      );
      expect(runs).toEqual([{ outcome: 'replied' }]);
    });

    it('leaves alone a burst whose debounced job may still run', async () => {
      const from = '56914000078';
      await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ from, text: 'Hola' }] })).expect(200);
      await waitFor(async () => (await app.dataSource.query(`SELECT 1 FROM contact WHERE phone_e164 = $1`, [`+${from}`])).length === 1, 10_000, 'the message');
      expect(await app.get(UnansweredSweeper).sweep()).toBe(0);
    });
  });
});
