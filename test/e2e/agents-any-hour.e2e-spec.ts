import { createServer, type Server } from 'node:http';
import type { BusinessHours } from '../../src/database/entities/whatsapp-account.entity';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, drainQueues, type TestApp } from '../support/test-app';
import { postMeta } from '../support/webhooks';

/** Loopback ports of this file (the engineer's range 8600-8699). */
const SIM_PORT = 8641;
const LLM_PORT = 8642;
const NINE_TO_SIX: BusinessHours = { weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['09:00', '18:00']]])) };

/** A fixed-offset zone where the local hour is `hour` right now: "21:00 on a working day" whatever time the test runs. */
function zoneAtLocalHour(hour: number): string {
  let offset = hour - new Date().getUTCHours();
  if (offset < -12) offset += 24;
  if (offset > 14) offset -= 24;
  // Etc/GMT signs are inverted: Etc/GMT-3 is UTC+3.
  return offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

let seq = 0;
function inbound(phoneNumberId: string, from: string, msg: { text?: string; buttonId?: string }): string {
  const id = `wamid.any-hour-${process.pid}-${Date.now()}-${(seq += 1)}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const message = msg.buttonId
    ? { from, id, timestamp, type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: msg.buttonId, title: msg.buttonId } } }
    : { from, id, timestamp, type: 'text', text: { body: msg.text } };
  const value = { messaging_product: 'whatsapp', metadata: { display_phone_number: '56223456789', phone_number_id: phoneNumberId }, contacts: [{ profile: { name: 'Cliente' }, wa_id: from }], messages: [message] };
  return JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'WABA', changes: [{ field: 'messages', value }] }] });
}

/** A fake OpenAI-compatible chat-completions server that answers every question. */
async function startFakeLlm(): Promise<{ url: string; requests: unknown[]; close: () => Promise<void> }> {
  const requests: unknown[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      requests.push(JSON.parse(raw));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const content = JSON.stringify({ intent: 'none', reply: 'Respuesta generada por IA' });
      res.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 40, completion_tokens: 10, total_tokens: 50 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(LLM_PORT, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${LLM_PORT}/v1`, requests, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

describe('Agents: answers at any hour, the out-of-hours notice only where a person is needed, flow state for operators', () => {
  let sim: GraphSimulatorServer;
  let llm: Awaited<ReturnType<typeof startFakeLlm>>;
  let app: TestApp;
  let evening: Tenant;
  let night: Tenant;

  beforeAll(async () => {
    sim = await startGraphSimulatorServer({ port: SIM_PORT });
    llm = await startFakeLlm();
    app = await createTestApp({ env: { META_GRAPH_BASE_URL: sim.url, LLM_BASE_URL: llm.url, LLM_API_KEY: 'test-llm-key', LLM_MODEL: 'fake-model', LLM_TIMEOUT_MS: '2000' } });
    evening = await createTenant(app, { businessHours: NINE_TO_SIX, timezone: zoneAtLocalHour(21), rateLimitPerSecond: 200 });
    night = await createTenant(app, { businessHours: NINE_TO_SIX, timezone: zoneAtLocalHour(3), rateLimitPerSecond: 200 });
    await http(app).put('/api/v1/agents/config').set(auth(night)).send({ config: { llm: { enabled: true } } }).expect(200);
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await llm?.close();
  });

  function auth(tenant: Tenant) {
    return { Authorization: `Bearer ${tenant.token}` };
  }
  const repliesTo = (from: string) => sim.simulator.outbox.filter((entry) => String(entry.body.to).replace(/\D/g, '') === from);
  const textOf = (entry: { body: Record<string, unknown> }) => ((entry.body.text as { body?: string })?.body ?? (entry.body.interactive as { body?: { text?: string } })?.body?.text ?? '') as string;
  const conversationOf = async (tenant: Tenant, from: string) => {
    const [row] = await app.dataSource.query(`SELECT c.* FROM conversation c JOIN contact ct ON ct.id = c.contact_id WHERE ct.phone_e164 = $1 AND c.organization_id = $2`, [`+${from}`, tenant.organization.id]);
    return row as { id: string; labels: string[]; bot_paused: boolean; handoff_requested_at: Date | null; bot_state: Record<string, unknown> };
  };
  async function say(tenant: Tenant, from: string, msg: { text?: string; buttonId?: string }): Promise<string[]> {
    const before = repliesTo(from).length;
    await postMeta(app, inbound(tenant.account.phoneNumberId, from, msg)).expect(200);
    await drainQueues(app);
    return repliesTo(from).slice(before).map(textOf);
  }

  it('answers an F29 question at 21:00 local with the F29 answer and nothing else', async () => {
    const replies = await say(evening, '56916000001', { text: '¿Hasta qué día tengo para pagar el F29?' });
    const exact = await say(evening, '56916000011', { text: '¿Cuándo vence el F29?' });

    expect(replies).toEqual([expect.stringContaining('El F29 es la declaración mensual de IVA')]);
    expect(exact).toEqual([expect.stringContaining('El F29 es la declaración mensual de IVA')]);
  });

  it('answers "quiero hablar con una persona" at 21:00 with the handoff reply and the out-of-hours notice', async () => {
    const from = '56916000002';
    const replies = await say(evening, from, { text: 'quiero hablar con una persona' });

    expect(replies).toEqual([expect.stringContaining('te comunico con una persona'), expect.stringContaining('fuera de horario')]);
    expect((await conversationOf(evening, from)).handoff_requested_at).not.toBeNull();
  });

  it('reports the routed intent and whether the notice would be added in test-response', async () => {
    const handoff = await http(app).post('/api/v1/agents/test-response').set(auth(evening)).send({ text: 'quiero hablar con una persona' }).expect(200);
    const f29 = await http(app).post('/api/v1/agents/test-response').set(auth(evening)).send({ text: '¿Cuándo vence el F29?' }).expect(200);

    expect(handoff.body).toMatchObject({ agent: 'human_handoff', intent: 'human_handoff', outOfHoursNotice: true });
    expect(f29.body).toMatchObject({ agent: 'tax_reminders', intent: 'tax_reminders', outOfHoursNotice: false, classifier: { intent: 'tax_reminders' } });
  });

  it('asks the configured LLM about an off-topic question at 03:00', async () => {
    const replies = await say(night, '56916000003', { text: '¿Me recomiendan un buen restaurante en Providencia?' });

    expect(llm.requests).toHaveLength(1);
    expect(replies).toEqual(['Respuesta generada por IA']);
  });

  it('hands off after two consecutive unsure turns', async () => {
    const from = '56916000004';
    const first = await say(evening, from, { text: '¿Venden pizza?' });
    const second = await say(evening, from, { text: '¿Me recomiendan un buen restaurante en Providencia?' });

    expect(first).toEqual([expect.stringContaining('no entendí'), expect.stringContaining('fuera de horario')]);
    expect(second).toEqual([expect.stringContaining('no estoy entendiendo')]);
    expect((await conversationOf(evening, from)).handoff_requested_at).not.toBeNull();
  });

  it("starts the insurance flow with the seed's opener, shows its state, filters by it and resets by phone, clearing the flow's labels", async () => {
    const from = '56916000005';
    const opened = await say(evening, from, { text: 'Hola, quiero información sobre seguros' });
    expect(opened).toEqual([expect.stringContaining('Te ayudo a cotizar'), '¿Qué seguro te interesa?']);
    await say(evening, from, { buttonId: 'auto' });
    const { id } = await conversationOf(evening, from);

    const shown = await http(app).get(`/api/v1/conversations/${id}`).set(auth(evening)).expect(200);
    expect(shown.body.flow).toMatchObject({ flowId: 'insurance-sales', state: 'NEEDS_ANALYSIS', slots: { insurance_type: 'auto' } });
    const inState = await http(app).get('/api/v1/conversations').query({ flowState: 'NEEDS_ANALYSIS' }).set(auth(evening)).expect(200);
    const otherState = await http(app).get('/api/v1/conversations').query({ flowState: 'COTIZACION' }).set(auth(evening)).expect(200);
    expect(inState.body.data.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(otherState.body.data).toEqual([]);

    for (const answer of [{ text: '35' }, { text: '2019' }, { buttonId: 'accept' }]) await say(evening, from, answer);
    const finished = await conversationOf(evening, from);
    expect(finished.labels).toContain('seguro_aceptado');
    expect(finished.bot_paused).toBe(true);

    const reset = await http(app).post(`/api/v1/contacts/${encodeURIComponent('+56 9 1600 0005')}/bot/reset`).set(auth(evening)).send({ resumeBot: true }).expect(200);
    expect(reset.body.conversations).toEqual([expect.objectContaining({ conversationId: id, botPaused: false })]);
    const after = await conversationOf(evening, from);
    expect(after.labels).not.toContain('seguro_aceptado');
    expect(after.bot_paused).toBe(false);
    expect(after.bot_state).not.toHaveProperty('flowLabels');
    expect((await http(app).get(`/api/v1/conversations/${id}`).set(auth(evening)).expect(200)).body.flow).toBeNull();
  });

  it('answers reset by an unknown phone with 404 and by a malformed one with 400', async () => {
    const unknown = await http(app).post(`/api/v1/contacts/${encodeURIComponent('+56 9 1699 9999')}/bot/reset`).set(auth(evening)).send({}).expect(404);
    const malformed = await http(app).post('/api/v1/contacts/not-a-phone/bot/reset').set(auth(evening)).send({}).expect(400);

    expect(unknown.body.code).toBe('CONTACT_NOT_FOUND');
    expect(malformed.body.code).toBe('INVALID_PHONE_NUMBER');
  });
});
