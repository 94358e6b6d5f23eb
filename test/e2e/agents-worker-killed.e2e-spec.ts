import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BusinessHours } from '../../src/database/entities/whatsapp-account.entity';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { createTenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, waitFor, type TestApp } from '../support/test-app';
import { baseTestEnv } from '../support/test-env';
import { metaMessagesPayload, postMeta } from '../support/webhooks';

const ROOT = resolve(__dirname, '../..');
const ALWAYS_OPEN: BusinessHours = { weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]])) };
/** BullMQ's job lock and stalled-job check for every worker of this test. */
const STALLED_MS = 2000;
/**
 * The dead worker's job lock expires within STALLED_MS of the kill; BullMQ moves a job after two stalled checks
 * (one marks it, the next finds its lock gone), a check may be skipped when timers drift, so 2–3 × STALLED_MS.
 * The rest is the run and the send.
 */
const REPLY_DEADLINE_MS = 3 * STALLED_MS + 3000;

/** An OpenAI-compatible endpoint that never answers: a run that reaches it stays inside the conversation lock. */
async function startHangingLlm(port: number): Promise<{ url: string; called: Promise<void>; close: () => Promise<void> }> {
  let onCall!: () => void;
  const called = new Promise<void>((done) => (onCall = done));
  const server: Server = createServer(() => onCall());
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${port}/v1`, called, close: () => new Promise((done) => (server.closeAllConnections(), server.close(() => done()))) };
}

/** The real entry point as a worker process of its own, consuming only the agents queue. */
function spawnAgentsWorker(app: TestApp, env: Record<string, string>): { child: ChildProcess; stderr: () => string } {
  let stderr = '';
  const child = spawn(process.execPath, ['-r', join(ROOT, 'node_modules/ts-node/register/transpile-only'), join(ROOT, 'src/entrypoints/main.ts')], {
    cwd: mkdtempSync(join(tmpdir(), 'conversa-agents-worker-')),
    env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...baseTestEnv(), DATABASE_URL: app.databaseUrl, QUEUE_PREFIX: app.queuePrefix, APP_ROLES: 'worker', WORKER_QUEUES: 'agents', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  return { child, stderr: () => stderr };
}

describe('AgentRunner', () => {
  let sim: GraphSimulatorServer;
  let llm: Awaited<ReturnType<typeof startHangingLlm>>;
  let api: TestApp;
  let survivor: TestApp | undefined;
  let worker: ReturnType<typeof spawnAgentsWorker> | undefined;

  beforeAll(async () => {
    sim = await startGraphSimulatorServer({ port: 7403 });
    llm = await startHangingLlm(7404);
    const llmEnv = { LLM_BASE_URL: llm.url, LLM_API_KEY: 'test-llm-key', LLM_TIMEOUT_MS: '60000' };
    // Everything but the agents queue runs here: webhooks in, replies out to the simulator.
    api = await createTestApp({
      env: { PORT: '7405', META_GRAPH_BASE_URL: sim.url, WORKER_QUEUES: 'inbound,outbound,campaigns,media,maintenance', WORKER_STALLED_INTERVAL_MS: String(STALLED_MS), ...llmEnv },
    });
  });
  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    await survivor?.close();
    await api?.close();
    await sim?.close();
    await llm?.close();
  });

  describe('run', () => {
    it('replies within the stalled-job interval plus a few seconds after the worker holding the conversation lock is killed', async () => {
      const tenant = await createTenant(api, { businessHours: ALWAYS_OPEN });
      await http(api).put('/api/v1/agents/config').set({ Authorization: `Bearer ${tenant.token}` }).send({ config: { llm: { enabled: true } } }).expect(200);
      const from = '56916000001';
      // No rule agent is sure of this text, so the run asks the model and waits on it, holding the lock.
      await postMeta(api, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ from, text: 'xyzzy plugh frobnicate quux' }] })).expect(200);

      worker = spawnAgentsWorker(api, { META_GRAPH_BASE_URL: sim.url, WORKER_STALLED_INTERVAL_MS: String(STALLED_MS), LLM_BASE_URL: llm.url, LLM_API_KEY: 'test-llm-key', LLM_TIMEOUT_MS: '60000' });
      const exited = new Promise((done) => worker!.child.once('exit', done));
      await Promise.race([llm.called, exited.then(() => Promise.reject(new Error(`agents worker exited early:\n${worker!.stderr()}`)))]);
      const [{ n: locked }] = await api.dataSource.query(`SELECT count(*)::int AS n FROM agent_run WHERE error = 'in_progress'`);
      expect(locked).toBe(1);

      // Another agents worker (no model configured: the rule agents answer), then the holder dies without cleanup.
      survivor = await createTestApp({ databaseUrl: api.databaseUrl, queuePrefix: api.queuePrefix, env: { APP_ROLES: 'worker', WORKER_QUEUES: 'agents', META_GRAPH_BASE_URL: sim.url, WORKER_STALLED_INTERVAL_MS: String(STALLED_MS) } });
      worker.child.kill('SIGKILL');
      const killedAt = Date.now();
      await exited;

      const repliesTo = () => sim.simulator.outbox.filter((entry) => String(entry.body.to).replace(/\D/g, '') === from);
      await waitFor(async () => repliesTo().length > 0, REPLY_DEADLINE_MS + 120_000, 'the reply after the kill');
      const delay = Date.now() - killedAt;
      console.log(`agent reply sent ${delay} ms after SIGKILL of the worker holding the conversation lock (stalled interval ${STALLED_MS} ms)`);
      expect(delay).toBeLessThan(REPLY_DEADLINE_MS);
      expect(repliesTo()).toHaveLength(1);
      const runs = await api.dataSource.query(`SELECT outcome, agent_name FROM agent_run`);
      expect(runs).toEqual([{ outcome: 'replied', agent_name: 'unrecognized' }]);
    }, 180_000);
  });
});
