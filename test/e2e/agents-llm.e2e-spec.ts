import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BusinessHours } from '../../src/database/entities/whatsapp-account.entity';
import { MetricsService } from '../../src/modules/metrics/metrics.service';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, drainQueues, type TestApp } from '../support/test-app';
import { metaMessagesPayload, postMeta } from '../support/webhooks';

const ALWAYS_OPEN: BusinessHours = { weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]])) };
const LLM_TIMEOUT_MS = 800;

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: { model: string; messages: Array<{ role: string; content: string }>; max_tokens: number; temperature: number };
}

/** A fake OpenAI-compatible chat-completions server. */
async function startFakeLlm(): Promise<{ url: string; requests: Recorded[]; mode: { delayMs: number }; close: () => Promise<void> }> {
  const requests: Recorded[] = [];
  const mode = { delayMs: 0 };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, body: JSON.parse(raw) });
      setTimeout(() => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify({ intent: 'none', reply: 'Respuesta generada por IA' }) }, finish_reason: 'stop' }], usage: { prompt_tokens: 40, completion_tokens: 10, total_tokens: 50 } }));
      }, mode.delayMs).unref();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, requests, mode, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

describe('Agents: LLM agent (OpenAI-compatible) with timeout fallback and a monthly token budget', () => {
  let sim: GraphSimulatorServer;
  let llm: Awaited<ReturnType<typeof startFakeLlm>>;
  let app: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    sim = await startGraphSimulatorServer();
    llm = await startFakeLlm();
    app = await createTestApp({ env: { META_GRAPH_BASE_URL: sim.url, LLM_BASE_URL: llm.url, LLM_API_KEY: 'test-llm-key', LLM_MODEL: 'fake-model', LLM_TIMEOUT_MS: String(LLM_TIMEOUT_MS) } });
    tenant = await createTenant(app, { businessHours: ALWAYS_OPEN });
    await http(app).put('/api/v1/agents/config').set({ Authorization: `Bearer ${tenant.token}` }).send({ config: { llm: { enabled: true, instructions: 'Sé breve.' } } }).expect(200);
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await llm?.close();
  });

  const repliesTo = (from: string) => sim.simulator.outbox.filter((entry) => String(entry.body.to).replace(/\D/g, '') === from);
  const lastRun = async (from: string) =>
    (await app.dataSource.query(
      `SELECT r.* FROM agent_run r JOIN conversation c ON c.id = r.conversation_id JOIN contact ct ON ct.id = c.contact_id WHERE ct.phone_e164 = $1 ORDER BY r.created_at DESC LIMIT 1`,
      [`+${from}`],
    ))[0];
  async function say(from: string, text: string): Promise<number> {
    const started = Date.now();
    await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ from, text }] })).expect(200);
    const deadline = Date.now() + 10_000;
    while (repliesTo(from).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    const elapsed = Date.now() - started;
    await drainQueues(app);
    return elapsed;
  }

  it('consults the model when the rule agents are unsure, with a well-formed chat-completions request; the reply is tagged isAi', async () => {
    const from = '56915000001';
    await say(from, 'xyzzy plugh frobnicate quux');

    expect(llm.requests).toHaveLength(1);
    const [request] = llm.requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer test-llm-key');
    expect(request.headers['content-type']).toContain('application/json');
    expect(request.body).toMatchObject({ model: 'fake-model', max_tokens: expect.any(Number), temperature: expect.any(Number) });
    expect(request.body.messages[0].role).toBe('system');
    expect(request.body.messages[0].content).toContain('Sé breve.');
    expect(request.body.messages.at(-1)).toEqual({ role: 'user', content: 'xyzzy plugh frobnicate quux' });
    expect(JSON.stringify(request.body)).not.toContain(from);

    expect(repliesTo(from).map((entry) => (entry.body.text as { body: string }).body)).toEqual(['Respuesta generada por IA']);
    const run = await lastRun(from);
    expect(run).toMatchObject({ agent_name: 'llm', outcome: 'replied', is_ai: true });
    const [message] = await app.dataSource.query(`SELECT is_ai, agent_name FROM message WHERE id = $1`, [run.reply_message_ids[0]]);
    expect(message).toEqual({ is_ai: true, agent_name: 'llm' });
  });

  it('falls back to the rule agents within the timeout bound when the model is slow', async () => {
    llm.mode.delayMs = 5_000;
    const from = '56915000002';
    const elapsed = await say(from, 'blorft zindle wompus');
    llm.mode.delayMs = 0;
    console.log(`LLM timeout fallback: webhook → reply ${elapsed} ms (LLM_TIMEOUT_MS ${LLM_TIMEOUT_MS})`);

    expect(repliesTo(from)).toHaveLength(1);
    expect(elapsed).toBeLessThan(LLM_TIMEOUT_MS + 1500);
    expect(await lastRun(from)).toMatchObject({ agent_name: 'unrecognized', is_ai: false });
  });

  it('budget exhaustion disables the model for that organisation: metric incremented, one warn line, rule fallback', async () => {
    await http(app).put('/api/v1/agents/config').set({ Authorization: `Bearer ${tenant.token}` }).send({ monthlyTokenBudget: 10 }).expect(200);
    const before = llm.requests.length;
    await say('56915000003', 'glimmer snarf plonk');
    await say('56915000004', 'tronk flibber wazoo');

    expect(llm.requests.length).toBe(before);
    expect(await lastRun('56915000003')).toMatchObject({ agent_name: 'unrecognized', is_ai: false });
    expect(repliesTo('56915000004')).toHaveLength(1);
    const metric = await app.get(MetricsService).registry.getSingleMetricAsString('conversa_llm_budget_exhausted_total');
    expect(metric).toContain(`conversa_llm_budget_exhausted_total{organization="${tenant.organization.id}"} 2`);
    const warnings = app.logs.filter((line) => line.includes('llm monthly token budget exhausted'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0])).toMatchObject({ level: expect.anything(), organizationId: tenant.organization.id });

    // Another organisation keeps its own budget.
    const other = await createTenant(app, { businessHours: ALWAYS_OPEN });
    await http(app).put('/api/v1/agents/config').set({ Authorization: `Bearer ${other.token}` }).send({ config: { llm: { enabled: true } } }).expect(200);
    await postMeta(app, metaMessagesPayload({ phoneNumberId: other.account.phoneNumberId, messages: [{ from: '56915000005', text: 'qwop zarg' }] })).expect(200);
    await drainQueues(app);
    expect(llm.requests.length).toBe(before + 1);
  });
});
