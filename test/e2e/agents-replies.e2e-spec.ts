import { spawn } from 'node:child_process';
import { UserRole } from '../../src/database/entities/enums';
import type { BusinessHours } from '../../src/database/entities/whatsapp-account.entity';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { DEFAULT_TEST_PASSWORD, userFactory } from '../factories/user.factory';
import { http, login } from '../support/http';
import { createTestApp, drainQueues, type TestApp } from '../support/test-app';
import { baseTestEnv } from '../support/test-env';
import { postMeta } from '../support/webhooks';

const ALWAYS_OPEN: BusinessHours = { weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]])) };
const TZ = 'America/Santiago';

let seq = 0;
/** A signed-webhook body in Meta's shape: a text or an interactive button reply. */
function inbound(phoneNumberId: string, from: string, msg: { text?: string; buttonId?: string; buttonTitle?: string; id?: string }): { body: string; id: string } {
  const id = msg.id ?? `wamid.agents-${process.pid}-${Date.now()}-${(seq += 1)}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const message = msg.buttonId
    ? { from, id, timestamp, type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: msg.buttonId, title: msg.buttonTitle ?? msg.buttonId } } }
    : { from, id, timestamp, type: 'text', text: { body: msg.text ?? 'Hola' } };
  const value = { messaging_product: 'whatsapp', metadata: { display_phone_number: '56223456789', phone_number_id: phoneNumberId }, contacts: [{ profile: { name: 'Cliente' }, wa_id: from }], messages: [message] };
  return { id, body: JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'WABA', changes: [{ field: 'messages', value }] }] }) };
}

function localDate(offsetDays: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + offsetDays * 86_400_000));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

describe('Agents: auto-replies to signed inbound webhooks', () => {
  let sim: GraphSimulatorServer;
  let app: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    sim = await startGraphSimulatorServer();
    app = await createTestApp({ env: { META_GRAPH_BASE_URL: sim.url } });
    tenant = await createTenant(app, { businessHours: ALWAYS_OPEN, rateLimitPerSecond: 200 });
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  const repliesTo = (from: string) => sim.simulator.outbox.filter((entry) => String(entry.body.to).replace(/\D/g, '') === from);
  const bodyText = (entry: { body: Record<string, unknown> }) => ((entry.body.text as { body?: string })?.body ?? (entry.body.interactive as { body?: { text?: string } })?.body?.text ?? '') as string;
  const auth = (token = tenant.token) => ({ Authorization: `Bearer ${token}` });
  const conversationOf = async (from: string) => {
    const [row] = await app.dataSource.query(
      `SELECT c.* FROM conversation c JOIN contact ct ON ct.id = c.contact_id WHERE ct.phone_e164 = $1 AND c.organization_id = $2`,
      [`+${from}`, tenant.organization.id],
    );
    return row as { id: string; bot_paused: boolean; bot_paused_at: Date | null; handoff_requested_at: Date | null; labels: string[]; bot_state: Record<string, unknown> };
  };
  const runsOf = (conversationId: string) =>
    app.dataSource.query(`SELECT * FROM agent_run WHERE conversation_id = $1 ORDER BY created_at`, [conversationId]) as Promise<Array<Record<string, unknown>>>;
  async function waitForReplies(from: string, count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (repliesTo(from).length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} replies to ${from}, got ${repliesTo(from).length}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  it('answers each signed inbound webhook with exactly one reply, webhook POST → simulator outbox p95 printed (< 1000 ms asserted)', async () => {
    const latencies: number[] = [];
    const froms: string[] = [];
    for (let i = 0; i < 20; i++) {
      const from = `5691100${String(i).padStart(4, '0')}`;
      froms.push(from);
      const { body } = inbound(tenant.account.phoneNumberId, from, { text: '¿Cuándo vence el F29?' });
      const started = Date.now();
      await postMeta(app, body).expect(200);
      await waitForReplies(from, 1);
      latencies.push(repliesTo(from)[0].receivedAt.getTime() - started);
    }
    await drainQueues(app);
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    console.log(`agents webhook→reply latency over ${latencies.length} conversations: p50=${p50} ms p95=${p95} ms max=${Math.max(...latencies)} ms (target p95 200 ms)`);

    for (const from of froms) expect(repliesTo(from)).toHaveLength(1);
    expect(p95).toBeLessThan(1000);
    const conversation = await conversationOf(froms[0]);
    const [run] = await runsOf(conversation.id);
    expect(run).toMatchObject({ agent_name: 'tax_reminders', outcome: 'replied', is_ai: false });
    expect(run.reply_message_ids).toHaveLength(1);
    const [message] = await app.dataSource.query(`SELECT kind, agent_name, agent_confidence, is_ai, metadata, status FROM message WHERE id = $1`, [(run.reply_message_ids as string[])[0]]);
    expect(message).toMatchObject({ kind: 'agent', agent_name: 'tax_reminders', is_ai: false, metadata: { agentName: 'tax_reminders', isAi: false } });
    expect(message.agent_confidence).toBeGreaterThan(0.5);
    expect(bodyText(repliesTo(froms[0])[0])).toContain('F29');
  });

  it('sends nothing for a replay of the same webhook', async () => {
    const from = '56912000001';
    const first = inbound(tenant.account.phoneNumberId, from, { text: 'Necesito emitir una factura electrónica' });
    await postMeta(app, first.body).expect(200);
    await waitForReplies(from, 1);
    await postMeta(app, first.body).expect(200);
    await postMeta(app, first.body).expect(200);
    await drainQueues(app);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await drainQueues(app);

    expect(repliesTo(from)).toHaveLength(1);
    expect(await runsOf((await conversationOf(from)).id)).toHaveLength(1);
  });

  it('sends nothing in a conversation whose bot is paused, and records the run as skipped', async () => {
    const from = '56912000002';
    await postMeta(app, inbound(tenant.account.phoneNumberId, from, { text: 'Hola' }).body).expect(200);
    await waitForReplies(from, 1);
    const conversation = await conversationOf(from);
    await http(app).post(`/api/v1/conversations/${conversation.id}/bot/pause`).set(auth()).expect(200);

    await postMeta(app, inbound(tenant.account.phoneNumberId, from, { text: '¿Cuánto cuesta el plan mensual?' }).body).expect(200);
    await drainQueues(app);

    expect(repliesTo(from)).toHaveLength(1);
    const runs = await runsOf(conversation.id);
    expect(runs.map((run) => [run.outcome, run.error])).toEqual([['replied', null], ['skipped', 'bot_paused']]);
  });

  it('hands over to a person on request: pauses the bot, flags the conversation, and later messages get no reply', async () => {
    const from = '56912000003';
    await postMeta(app, inbound(tenant.account.phoneNumberId, from, { text: 'Quiero hablar con una persona por favor' }).body).expect(200);
    await waitForReplies(from, 1);
    await drainQueues(app);
    const conversation = await conversationOf(from);
    expect(conversation.bot_paused).toBe(true);
    expect(conversation.bot_paused_at).not.toBeNull();
    expect(conversation.handoff_requested_at).not.toBeNull();
    expect((await runsOf(conversation.id))[0]).toMatchObject({ agent_name: 'human_handoff', outcome: 'handoff' });
    expect(app.logs.some((line) => line.includes('agent handoff'))).toBe(true);

    await postMeta(app, inbound(tenant.account.phoneNumberId, from, { text: '¿Hola? ¿Hay alguien?' }).body).expect(200);
    await drainQueues(app);
    expect(repliesTo(from)).toHaveLength(1);
  });

  it('outside business hours adds the out-of-hours notice to a reply that needs a person once per closed period, not twice', async () => {
    // Open every day except yesterday, today and tomorrow (holidays): closed now, same closed period for both messages.
    const closed = await createTenant(app, { businessHours: { ...ALWAYS_OPEN, holidays: [localDate(-1), localDate(0), localDate(1)] }, timezone: TZ });
    const from = '56912000004';
    await postMeta(app, inbound(closed.account.phoneNumberId, from, { text: 'Tengo un reclamo, me cobraron dos veces' }).body).expect(200);
    await waitForReplies(from, 1);
    await drainQueues(app);
    await postMeta(app, inbound(closed.account.phoneNumberId, from, { text: 'Y el link de pago no funciona' }).body).expect(200);
    await waitForReplies(from, 3);
    await drainQueues(app);

    const texts = repliesTo(from).map(bodyText);
    expect(texts).toHaveLength(3);
    expect(texts[0]).toContain('Lamentamos el inconveniente');
    expect(texts[1]).toContain('fuera de horario');
    expect(texts[2]).toContain('Lamentamos el inconveniente');
  });

  it('POST /agents/test-response routes without sending; 404 for another organisation\'s contact', async () => {
    const before = sim.simulator.outbox.length;
    const response = await http(app).post('/api/v1/agents/test-response').set(auth()).send({ text: '¿Cuándo vence el F29?', contactId: tenant.contact.id }).expect(200);

    expect(response.body).toMatchObject({ agent: 'tax_reminders', reply: { messages: [{ type: 'text' }] } });
    expect(response.body.confidence).toBeGreaterThan(0.5);
    expect(response.body.confidence).toBeGreaterThanOrEqual(response.body.scores.tax_reminders);
    expect(response.body).toMatchObject({ intent: 'tax_reminders', outOfHoursNotice: false });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sim.simulator.outbox.length).toBe(before);

    const other = await createTenant(app);
    await http(app).post('/api/v1/agents/test-response').set(auth()).send({ text: 'hola', contactId: other.contact.id }).expect(404);
    await http(app).post('/api/v1/agents/test-response').set(auth()).send({}).expect(400);
  });

  it('CLI agents:test prints {agent, confidence, scores, reply} with the default config and with --organization', async () => {
    const env = { ...process.env, ...baseTestEnv(), DATABASE_URL: app.databaseUrl, QUEUE_PREFIX: app.queuePrefix, LOG_LEVEL: 'warn' };
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('node_modules/.bin/ts-node', ['src/entrypoints/cli.ts', 'agents:test', ...args], { env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk) => (stdout += chunk));
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    // Wednesday 11:00 in Santiago: inside the default business hours, so the answer does not depend on when the test runs.
    const plain = await run(['¿Cuándo vence el F29?', '--at', '2025-06-11T15:00:00Z']);
    expect(plain.code).toBe(0);
    const parsed = JSON.parse(plain.stdout);
    expect(Object.keys(parsed)).toEqual(['agent', 'confidence', 'scores', 'reply']);
    expect(parsed.agent).toBe('tax_reminders');

    await http(app).put('/api/v1/agents/config').set(auth()).send({ config: { rules: [{ match: 'contains', pattern: 'codigo secreto', reply: 'Regla de la organización' }] } }).expect(200);
    const scoped = await run(['Tengo el codigo secreto', '--organization', tenant.organization.id]);
    expect(scoped.code).toBe(0);
    expect(JSON.parse(scoped.stdout)).toMatchObject({ agent: 'keyword_rules', reply: { messages: [{ text: 'Regla de la organización' }] } });
    await http(app).put('/api/v1/agents/config').set(auth()).send({ config: {} }).expect(200);
  }, 60_000);

  it('GET/PUT /agents/config: defaults resolved, validated with the engine validators, admin only', async () => {
    const initial = await http(app).get('/api/v1/agents/config').set(auth()).expect(200);
    expect(initial.body).toMatchObject({ autoRepliesEnabled: true, config: { threshold: 0.5, handoffAfterUnsure: 2, llm: { enabled: false } }, llm: { available: false, monthlyTokenBudget: 200000 } });
    expect(initial.body.config.rules.length).toBeGreaterThan(0);

    const invalid = await http(app).put('/api/v1/agents/config').set(auth()).send({ config: { threshold: 2, rules: [{ match: 'regex', pattern: '([', reply: 'x' }] } }).expect(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
    expect(invalid.body.details.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['config.threshold', 'config.rules[0].pattern']));

    const agentUser = await userFactory.create(app.dataSource, { organizationId: tenant.organization.id, role: UserRole.Agent });
    const agentToken = await login(app, agentUser.email, DEFAULT_TEST_PASSWORD);
    await http(app).put('/api/v1/agents/config').set(auth(agentToken)).send({ autoRepliesEnabled: false }).expect(403);
    await http(app).get('/api/v1/agents/config').set(auth(agentToken)).expect(200);

    const saved = await http(app).put('/api/v1/agents/config').set(auth()).send({ config: { threshold: 0.6, texts: { 'fallback.reply': { es: 'Ya te respondemos' } } } }).expect(200);
    expect(saved.body.stored).toEqual({ threshold: 0.6, texts: { 'fallback.reply': { es: 'Ya te respondemos' } } });
    expect(saved.body.config.threshold).toBe(0.6);
    expect(saved.body.config.texts['fallback.reply']).toMatchObject({ es: 'Ya te respondemos', en: expect.any(String) });
    await http(app).put('/api/v1/agents/config').set(auth()).send({ config: {} }).expect(200);
  });

  it('flows CRUD: shipped flows listed with their states, definitions validated, stored per organisation', async () => {
    const list = await http(app).get('/api/v1/agents/flows').set(auth()).expect(200);
    const insurance = list.body.data.find((flow: { key: string }) => flow.key === 'insurance-sales');
    expect(insurance).toMatchObject({ source: 'shipped', enabled: true, initialState: 'INICIO' });
    expect(insurance.states).toEqual(expect.arrayContaining(['INICIO', 'NEEDS_ANALYSIS', 'COTIZACION', 'PRESENTACION_PROPUESTA', 'FINALIZADO', 'RECHAZADO']));
    expect(list.body.data.map((flow: { key: string }) => flow.key)).toContain('recruiting-screening');

    const bad = await http(app).post('/api/v1/agents/flows').set(auth()).send({ key: 'encuesta', definition: { initialState: 'A', idleTimeoutMinutes: 10, states: { A: { transitions: [{ on: { always: true }, to: 'Z' }] } } } }).expect(400);
    expect(bad.body.details.fields.map((f: { message: string }) => f.message)).toEqual(expect.arrayContaining(['states.A: transition target "Z" does not exist', 'at least one state must be terminal']));

    const definition = { name: 'Encuesta', initialState: 'PREGUNTA', idleTimeoutMinutes: 30, triggers: { keywords: ['encuesta'] }, states: { PREGUNTA: { slots: [{ name: 'nota', prompt: '¿Nota del 1 al 7?', validation: { type: 'number', min: 1, max: 7 }, errorMessage: 'Un número del 1 al 7.' }], transitions: [{ on: { slotsComplete: true }, to: 'FIN' }] }, FIN: { terminal: true, messages: [{ type: 'text', text: 'Gracias: {{nota}}' }] } } };
    const created = await http(app).post('/api/v1/agents/flows').set(auth()).send({ key: 'encuesta', definition }).expect(201);
    expect(created.body).toMatchObject({ key: 'encuesta', source: 'custom' });
    expect(created.body.states.sort()).toEqual(['FIN', 'PREGUNTA']);
    await http(app).post('/api/v1/agents/flows').set(auth()).send({ key: 'encuesta', definition }).expect(409);
    const preview = await http(app).post('/api/v1/agents/test-response').set(auth()).send({ text: 'quiero responder la encuesta' }).expect(200);
    expect(preview.body).toMatchObject({ agent: 'flow', reply: { messages: [{ text: '¿Nota del 1 al 7?' }] } });

    await http(app).put('/api/v1/agents/flows/encuesta').set(auth()).send({ enabled: false }).expect(200);
    expect((await http(app).post('/api/v1/agents/test-response').set(auth()).send({ text: 'quiero responder la encuesta' }).expect(200)).body.agent).not.toBe('flow');
    const disabledShipped = await http(app).put('/api/v1/agents/flows/recruiting-screening').set(auth()).send({ enabled: false }).expect(200);
    expect(disabledShipped.body).toMatchObject({ source: 'override', enabled: false });
    await http(app).delete('/api/v1/agents/flows/recruiting-screening').set(auth()).expect(204);
    await http(app).delete('/api/v1/agents/flows/encuesta').set(auth()).expect(204);
    await http(app).delete('/api/v1/agents/flows/encuesta').set(auth()).expect(404);
    const other = await createTenant(app);
    expect((await http(app).get('/api/v1/agents/flows').set(auth(other.token)).expect(200)).body.data.map((flow: { key: string }) => flow.key)).toEqual(['insurance-sales', 'recruiting-screening']);
  });

  it('GET /analytics/responses reports rates, per-agent counts, confidence and inbound→reply times', async () => {
    const response = await http(app).get('/api/v1/analytics/responses').set(auth()).expect(200);
    console.log('analytics/responses', JSON.stringify(response.body));
    expect(response.body.bursts).toBeGreaterThanOrEqual(24);
    expect(response.body.replied).toBeGreaterThanOrEqual(23);
    expect(response.body.handoffs).toBeGreaterThanOrEqual(1);
    expect(response.body.autoResponseRate).toBeCloseTo(response.body.replied / response.body.bursts, 3);
    expect(response.body.perAgent.find((row: { agent: string }) => row.agent === 'tax_reminders').runs).toBeGreaterThanOrEqual(20);
    expect(response.body.timeToReplyMs.samples).toBe(response.body.replied);
    expect(response.body.timeToReplyMs.p95).toBeGreaterThanOrEqual(response.body.timeToReplyMs.p50);
    await http(app).get('/api/v1/analytics/responses?from=nope').set(auth()).expect(400);
  });

  it('organisation-wide autoRepliesEnabled=false stops replies (no agent work at all; the runner also refuses)', async () => {
    await http(app).put('/api/v1/agents/config').set(auth()).send({ autoRepliesEnabled: false }).expect(200);
    // The webhook worker caches the switch for up to 10 s: this test checks the runner's own guard too.
    const from = '56912000009';
    await postMeta(app, inbound(tenant.account.phoneNumberId, from, { text: 'Hola' }).body).expect(200);
    await drainQueues(app);
    expect(repliesTo(from)).toHaveLength(0);
    const runs = await runsOf((await conversationOf(from)).id);
    expect(runs.every((run) => run.outcome === 'skipped' && run.error === 'organization_auto_replies_disabled')).toBe(true);
    await http(app).put('/api/v1/agents/config').set(auth()).send({ autoRepliesEnabled: true }).expect(200);
  });
});
