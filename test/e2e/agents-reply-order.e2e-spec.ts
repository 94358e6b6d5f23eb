import type { BusinessHours } from '../../src/database/entities/whatsapp-account.entity';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import type { FaultSpec } from '../../src/modules/whatsapp/sandbox/graph-simulator.types';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, drainQueues, type TestApp, waitFor } from '../support/test-app';
import { postMeta } from '../support/webhooks';

const ALWAYS_OPEN: BusinessHours = { weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]])) };
const PARTS = ['Paso 1: reúne tus boletas.', 'Paso 2: entra al portal.', 'Paso 3: declara antes del 12.'];
/** A custom flow whose first state answers with the three parts, in this order. */
const THREE_PARTS_FLOW = {
  name: 'Tres pasos',
  initialState: 'PASOS',
  idleTimeoutMinutes: 30,
  triggers: { keywords: ['pasos'] },
  states: {
    PASOS: { messages: PARTS.map((text) => ({ type: 'text', text })), transitions: [{ on: { keyword: 'listo' }, to: 'FIN' }] },
    FIN: { terminal: true, messages: [{ type: 'text', text: 'Listo.' }] },
  },
};

let seq = 0;
function inbound(phoneNumberId: string, from: string, text: string): string {
  const message = { from, id: `wamid.order-${process.pid}-${Date.now()}-${(seq += 1)}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } };
  const value = { messaging_product: 'whatsapp', metadata: { display_phone_number: '56223456789', phone_number_id: phoneNumberId }, contacts: [{ profile: { name: 'Cliente' }, wa_id: from }], messages: [message] };
  return JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'WABA', changes: [{ field: 'messages', value }] }] });
}

describe('Agents: a multi-part reply keeps its order through the send pipeline', () => {
  let sim: GraphSimulatorServer;
  let app: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    sim = await startGraphSimulatorServer();
    app = await createTestApp({ env: { META_GRAPH_BASE_URL: sim.url } });
    tenant = await createTenant(app, { businessHours: ALWAYS_OPEN, rateLimitPerSecond: 200 });
    await http(app).post('/api/v1/agents/flows').set({ Authorization: `Bearer ${tenant.token}` }).send({ key: 'tres-pasos', definition: THREE_PARTS_FLOW }).expect(201);
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  const textsTo = (from: string) => sim.simulator.outbox.filter((entry) => String(entry.body.to).replace(/\D/g, '') === from).map((entry) => (entry.body.text as { body: string }).body);
  const runOf = (from: string) =>
    waitFor(async () => {
      const [run] = await app.dataSource.query(
        `SELECT r.outcome, r.reply_message_ids FROM agent_run r JOIN conversation c ON c.id = r.conversation_id JOIN contact ct ON ct.id = c.contact_id
          WHERE ct.phone_e164 = $1 AND r.error IS DISTINCT FROM 'in_progress'`,
        [`+${from}`],
      );
      return run as { outcome: string; reply_message_ids: string[] } | undefined;
    }, 10_000, `the agent run answering ${from}`);
  const statusesOf = async (ids: string[]) => {
    const rows: Array<{ id: string; status: string }> = await app.dataSource.query(`SELECT id, status FROM message WHERE id = ANY($1::uuid[])`, [ids]);
    return ids.map((id) => rows.find((row) => row.id === id)?.status);
  };
  async function answerWithFault(from: string, fault: FaultSpec): Promise<{ outcome: string; reply_message_ids: string[] }> {
    sim.simulator.injectFault({ ...fault, match: { to: from } });
    await postMeta(app, inbound(tenant.account.phoneNumberId, from, 'Quiero los pasos')).expect(200);
    return runOf(from);
  }

  it('sends the 3 parts in order when the provider is slow for the first, and the run does not wait for it', async () => {
    const from = '56914000001';
    const run = await answerWithFault(from, { kind: 'timeout', delayMs: 1500 });

    // The run has finished while part 1 is still at the provider: parts 2 and 3 are held back by the queue, not by the runner.
    expect(run).toMatchObject({ outcome: 'replied' });
    expect(run.reply_message_ids).toHaveLength(3);
    expect(textsTo(from)).toEqual([]);
    expect((await statusesOf(run.reply_message_ids)).slice(1)).toEqual(['queued', 'queued']);

    await drainQueues(app);
    expect(textsTo(from)).toEqual(PARTS);
    expect(await statusesOf(run.reply_message_ids)).toEqual(['sent', 'sent', 'sent']);
  }, 30_000);

  it('holds the later parts while the first is retried after a provider 500, then sends all 3 in order', async () => {
    const from = '56914000002';
    const run = await answerWithFault(from, { kind: 'http500' });
    await drainQueues(app);

    expect(textsTo(from)).toEqual(PARTS);
    expect(await statusesOf(run.reply_message_ids)).toEqual(['sent', 'sent', 'sent']);
    const [first] = await app.dataSource.query(`SELECT attempts FROM message WHERE id = $1`, [run.reply_message_ids[0]]);
    expect(first.attempts).toBe(2);
  }, 30_000);

  it('a part the provider refuses for good does not hold back the rest', async () => {
    const from = '56914000003';
    const run = await answerWithFault(from, { kind: 'undeliverable131026' });
    await drainQueues(app);

    expect(textsTo(from)).toEqual(PARTS.slice(1));
    expect(await statusesOf(run.reply_message_ids)).toEqual(['failed', 'sent', 'sent']);
  }, 30_000);
});
