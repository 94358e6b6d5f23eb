import type { BusinessHours } from '../../src/database/entities/whatsapp-account.entity';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { createTestApp, drainQueues, type TestApp } from '../support/test-app';
import { metaMessagesPayload, postMeta } from '../support/webhooks';

const ALWAYS_OPEN: BusinessHours = { weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]])) };

describe('Agents: a burst of messages within the debounce window gets one reply', () => {
  let sim: GraphSimulatorServer;
  let app: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    sim = await startGraphSimulatorServer();
    app = await createTestApp({ env: { META_GRAPH_BASE_URL: sim.url, AGENTS_DEBOUNCE_MS: '400' } });
    tenant = await createTenant(app, { businessHours: ALWAYS_OPEN });
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  it('three messages sent 100 ms apart produce one reply that considers all three', async () => {
    const from = '56914000001';
    const texts = ['Hola', 'tengo una consulta', '¿hasta cuándo puedo declarar el F29?'];
    for (const text of texts) {
      await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ from, text }] })).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 600));
    await drainQueues(app);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await drainQueues(app);

    const replies = sim.simulator.outbox.filter((entry) => String(entry.body.to).replace(/\D/g, '') === from);
    expect(replies).toHaveLength(1);
    const [conversation] = await app.dataSource.query(`SELECT c.id FROM conversation c JOIN contact ct ON ct.id = c.contact_id WHERE ct.phone_e164 = $1`, [`+${from}`]);
    const runs = await app.dataSource.query(`SELECT agent_name, outcome, message_id, inbound_at FROM agent_run WHERE conversation_id = $1`, [conversation.id]);
    expect(runs).toHaveLength(1);
    const inbound = await app.dataSource.query(`SELECT id, text, created_at FROM message WHERE conversation_id = $1 AND direction = 'inbound' ORDER BY created_at`, [conversation.id]);
    expect(inbound.map((m: { text: string }) => m.text)).toEqual(texts);
    // The run is keyed by the newest message and answered the F29 question, not the greeting that opened the burst.
    expect(runs[0]).toMatchObject({ agent_name: 'tax_reminders', outcome: 'replied', message_id: inbound[2].id });
    expect(String((replies[0].body.text as { body: string }).body)).toContain('F29');
  });
});
