import type { BusinessHours } from '../../src/database/entities/whatsapp-account.entity';
import { DefaultQuoteCalculator } from '../../src/modules/agents/flows/shipped/insurance-sales.flow';
import { formatNumber } from '../../src/modules/agents/flows/slot-parsers';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, deleteQueueKeys, drainQueues, type TestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';
import { postMeta } from '../support/webhooks';

const ALWAYS_OPEN: BusinessHours = { weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]])) };

let seq = 0;
/** A signed-webhook body in Meta's shape: a text or an interactive button reply. */
function inbound(phoneNumberId: string, from: string, msg: { text?: string; buttonId?: string; buttonTitle?: string }): string {
  const id = `wamid.flows-${process.pid}-${Date.now()}-${(seq += 1)}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const message = msg.buttonId
    ? { from, id, timestamp, type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: msg.buttonId, title: msg.buttonTitle ?? msg.buttonId } } }
    : { from, id, timestamp, type: 'text', text: { body: msg.text ?? 'Hola' } };
  const value = { messaging_product: 'whatsapp', metadata: { display_phone_number: '56223456789', phone_number_id: phoneNumberId }, contacts: [{ profile: { name: 'Cliente' }, wa_id: from }], messages: [message] };
  return JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'WABA', changes: [{ field: 'messages', value }] }] });
}

type Outbox = GraphSimulatorServer['simulator']['outbox'];
const textOf = (entry: Outbox[number]) => ((entry.body.text as { body?: string })?.body ?? (entry.body.interactive as { body?: { text?: string } })?.body?.text ?? '') as string;
const buttonIds = (entry: Outbox[number]) =>
  ((entry.body.interactive as { action?: { buttons?: Array<{ reply: { id: string } }> } })?.action?.buttons ?? []).map((button) => button.reply.id);

describe('Agents: flows driven by signed webhooks (insurance sales, restart, idle expiry, reset)', () => {
  let sim: GraphSimulatorServer;
  let app: TestApp;
  let tenant: Tenant;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const queuePrefix = `{conversa-t-agents-flows-${process.pid}}`;
  let env: Record<string, string>;

  beforeAll(async () => {
    sim = await startGraphSimulatorServer();
    // Our own database, so closing the first app (the "worker restart") does not drop it.
    database = await createTestDatabase();
    env = { META_GRAPH_BASE_URL: sim.url };
    app = await createTestApp({ databaseUrl: database.url, queuePrefix, env });
    tenant = await createTenant(app, { businessHours: ALWAYS_OPEN, rateLimitPerSecond: 200 });
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await database?.drop();
    await deleteQueueKeys(app.config.REDIS_URL, queuePrefix);
  });

  const auth = () => ({ Authorization: `Bearer ${tenant.token}` });
  const repliesTo = (from: string) => sim.simulator.outbox.filter((entry) => String(entry.body.to).replace(/\D/g, '') === from);
  const conversationOf = async (from: string) => {
    const [row] = await app.dataSource.query(`SELECT c.* FROM conversation c JOIN contact ct ON ct.id = c.contact_id WHERE ct.phone_e164 = $1`, [`+${from}`]);
    return row as { id: string; bot_state: { flow?: { current: string; slots: Record<string, unknown>; updatedAt: string } }; labels: string[]; bot_paused: boolean; handoff_requested_at: Date | null };
  };
  /** Posts one inbound message and returns the replies it produced. */
  async function say(from: string, msg: { text?: string; buttonId?: string; buttonTitle?: string }): Promise<Outbox> {
    const before = repliesTo(from).length;
    await postMeta(app, inbound(tenant.account.phoneNumberId, from, msg)).expect(200);
    await drainQueues(app);
    return repliesTo(from).slice(before);
  }

  it('completes an insurance sale (buttons, typed and invalid answers) to FINALIZADO with the right quote, across a worker restart', async () => {
    const from = '56913000001';
    const start = await say(from, { text: 'Hola, quiero cotizar un seguro' });
    expect(start.map(textOf)).toEqual([expect.stringContaining('Te ayudo a cotizar'), '¿Qué seguro te interesa?']);
    expect(start[1].body.type).toBe('interactive');
    expect(buttonIds(start[1])).toEqual(['auto', 'hogar', 'vida']);

    expect((await say(from, { buttonId: 'auto', buttonTitle: 'Auto' })).map(textOf)).toEqual(['¿Cuántos años tienes?']);
    // Invalid answer: the error, then the same question again.
    expect((await say(from, { text: 'no sé, muchos' })).map(textOf)).toEqual(['La edad debe ser un número entre 18 y 99.', '¿Cuántos años tienes?']);
    expect((await say(from, { text: '15' })).map(textOf)).toEqual(['La edad debe ser un número entre 18 y 99.', '¿Cuántos años tienes?']);
    expect((await say(from, { text: '35' })).map(textOf)).toEqual(['¿De qué año es el vehículo?']);
    expect((await conversationOf(from)).bot_state.flow).toMatchObject({ current: 'NEEDS_ANALYSIS', slots: { insurance_type: 'auto', age: 35 } });

    // Worker restart in the middle of the flow: the state lives in conversation.bot_state.
    await app.close();
    app = await createTestApp({ databaseUrl: database.url, queuePrefix, env });

    const quoted = await say(from, { text: '2020' });
    const quote = new DefaultQuoteCalculator().calculate({ insuranceType: 'auto', age: 35, vehicleYear: 2020 }, new Date());
    expect(quoted.map(textOf)).toEqual([`Seguro automotriz: tu prima estimada es de ${formatNumber(quote.monthlyUf)} UF mensuales (referencial, sujeta a evaluación).`, '¿Quieres avanzar con esta propuesta?']);
    expect(buttonIds(quoted[1])).toEqual(['accept', 'decline']);

    expect((await say(from, { text: 'mmm déjame pensarlo' })).map(textOf)).toEqual(['Por favor responde con uno de los botones.', '¿Quieres avanzar con esta propuesta?']);
    const done = await say(from, { buttonId: 'accept', buttonTitle: 'Aceptar' });
    expect(done.map(textOf)).toEqual(['¡Excelente! Un ejecutivo te contactará para completar la contratación de tu seguro.']);

    const conversation = await conversationOf(from);
    expect(conversation.labels).toContain('seguro_aceptado');
    expect(conversation.bot_state.flow).toBeUndefined();
    expect(conversation.bot_paused).toBe(true);
    expect(conversation.handoff_requested_at).not.toBeNull();
    const runs = await app.dataSource.query(`SELECT agent_name, outcome FROM agent_run WHERE conversation_id = $1 ORDER BY created_at`, [conversation.id]);
    expect(runs.map((run: { agent_name: string }) => run.agent_name)).toEqual(Array(8).fill('flow'));
    expect(runs[runs.length - 1].outcome).toBe('handoff');
  }, 60_000);

  it('an idle flow expires: after the timeout the next answer is no longer taken as the pending slot', async () => {
    const from = '56913000002';
    await say(from, { text: 'necesito un seguro' });
    await say(from, { buttonId: 'vida', buttonTitle: 'Vida' });
    expect((await say(from, { text: '40' })).map(textOf)).toEqual(['¿Qué monto de cobertura buscas, en UF?']);
    // Two hours idle (the shipped flow's idleTimeoutMinutes is 60).
    const conversation = await conversationOf(from);
    const old = new Date(Date.now() - 2 * 3600_000).toISOString();
    await app.dataSource.query(`UPDATE conversation SET bot_state = jsonb_set(bot_state, '{flow,updatedAt}', to_jsonb($2::text)) WHERE id = $1`, [conversation.id, old]);

    const after = await say(from, { text: '1000' });
    expect(after.map(textOf).join(' ')).not.toContain('prima estimada');
    const [run] = await app.dataSource.query(`SELECT agent_name FROM agent_run WHERE conversation_id = $1 ORDER BY created_at DESC LIMIT 1`, [conversation.id]);
    expect(run.agent_name).not.toBe('flow');
    // Starting again begins at INICIO with no slots.
    expect((await say(from, { text: 'quiero un seguro' })).map(textOf)).toEqual([expect.stringContaining('Te ayudo a cotizar'), '¿Qué seguro te interesa?']);
    expect((await conversationOf(from)).bot_state.flow).toMatchObject({ current: 'NEEDS_ANALYSIS', slots: {} });
  }, 30_000);

  it('POST /conversations/:id/bot/reset clears the flow state and slots (404 for unknown ids)', async () => {
    const from = '56913000003';
    await say(from, { text: 'seguro de hogar' });
    await say(from, { buttonId: 'hogar', buttonTitle: 'Hogar' });
    const conversation = await conversationOf(from);
    expect(conversation.bot_state.flow).toMatchObject({ slots: { insurance_type: 'hogar' } });

    const reset = await http(app).post(`/api/v1/conversations/${conversation.id}/bot/reset`).set(auth()).expect(200);
    expect(reset.body.botState.flow).toBeUndefined();
    expect((await conversationOf(from)).bot_state.flow).toBeUndefined();

    const after = await say(from, { text: '30' });
    expect(after.map(textOf)).not.toContain('¿Cuántos años tienes?');
    await http(app).post(`/api/v1/conversations/00000000-0000-4000-8000-000000000000/bot/reset`).set(auth()).expect(404);
  }, 30_000);
});
