/**
 * Outbound benchmark: bulk requests → queue → provider (the Graph simulator on loopback, status webhooks off).
 * Runs as deployed, on a throwaway database and BullMQ prefix: this process serves the API and the bulk
 * fan-out (APP_ROLES=api,worker on the campaigns queue), a child process is the send worker
 * (WORKER_QUEUES=outbound), another child is the Graph simulator (stamping each send when it arrives, as
 * Meta would, off the sender's event loop). Stops by itself and cleans up.
 * Reports accepted/s at the API, sent/s at the provider (whole run, and the steady middle 80 %), the busiest
 * 1-second window against the account limit, the sends in each second, the CPU share a shared virtual machine
 * lost to its hypervisor meanwhile, and duplicates (simulator outbox grouped by
 * biz_opaque_callback_data = message id, and by recipient). On failure it prints the error and the app's
 * last error log lines (the app logs into an in-memory buffer).
 * Usage: npm run bench:outbound [-- --fast-count 20000 --slow-count 1200 --concurrency 96 --existing-contacts --one-process]
 * (--one-process: the send worker runs in this process too, as in a single-container deployment;
 * BENCH_WORKER_NODE_ARGS="--cpu-prof" profiles the send worker.)
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeSync } from 'node:fs';
import { cpus, setPriority } from 'node:os';
import { Client } from 'pg';
import { createTenant } from '../../test/factories/tenant.factory';
import { http } from '../../test/support/http';
import { createTestApp, deleteQueueKeys, type TestApp } from '../../test/support/test-app';
import { TEST_PG_ADMIN_URL, TEST_REDIS_URL, databaseUrl } from '../../test/support/test-env';
import { TemplateCategory } from '../../src/database/entities/enums';
import { MessageTemplate } from '../../src/database/entities/message-template.entity';
import type { SentRecord, SimulatorChildMessage } from './graph-simulator.child';
import type { WorkerReply, WorkerRequest, WorkerStats } from './outbound-worker.child';
import { readCpuTimes, stealPercent } from './cpu-steal';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SCENARIOS = [
  { limit: 1000, count: arg('fast-count', 20000) },
  { limit: 80, count: arg('slow-count', 1200) },
];
const REQUEST_SIZE = 5000;
const DEADLINE_MS = 300_000;

function say(line: string): void {
  writeSync(2, `${line}\n`);
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Deterministic numbers libphonenumber accepts (+56 9 99…: Chilean mobiles), 100,000 per seed. */
function phones(count: number, seed: number): string[] {
  return Array.from({ length: count }, (_, i) => `+56999${seed}${String(i).padStart(5, '0')}`);
}

/** The most sends in any 1-second window, and when that window started (seconds after the first send). */
function busiestWindow(times: number[]): { count: number; atSecond: number } {
  let best = { count: 0, atSecond: 0 };
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    if (i - j + 1 > best.count) best = { count: i - j + 1, atSecond: Number(((times[j] - times[0]) / 1000).toFixed(2)) };
  }
  return best;
}

/** Rate over the middle 80 % of the sends (no ramp-up, no tail). */
function steadyPerSecond(times: number[]): number | null {
  const from = Math.floor(times.length * 0.1);
  const to = Math.ceil(times.length * 0.9) - 1;
  const span = times[to] - times[from];
  return span > 0 ? Math.round(((to - from) / span) * 1000) : null;
}

/** Sends in each whole second after the first send: where a run fell behind its limit. */
function perSecond(times: number[]): number[] {
  const counts: number[] = [];
  for (const t of times) {
    const second = Math.floor((t - times[0]) / 1000);
    counts[second] = (counts[second] ?? 0) + 1;
  }
  return Array.from(counts, (n) => n ?? 0);
}

function duplicates(values: string[]): number {
  return values.length - new Set(values).size;
}

interface Child<Ready> {
  ready: Ready;
  pid: number | undefined;
  request<T>(message: unknown, accept: (reply: unknown) => T | undefined): Promise<T>;
  stop(): Promise<void>;
}

/** Forks a TypeScript child; resolves with its first IPC message accepted by `isReady`; later messages go to `onMessage`. */
function forkChild<Ready>(file: string, env: Record<string, string>, isReady: (m: unknown) => m is Ready, onMessage: (m: unknown) => void = () => {}): Promise<Child<Ready>> {
  const nodeArgs = file === 'outbound-worker.child.ts' ? (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean) : [];
  const child = fork(`${__dirname}/${file}`, [], { execArgv: ['-r', 'ts-node/register', ...nodeArgs], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waiters: Array<(m: unknown) => boolean> = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start in 120 s`)), 120_000);
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
    child.on('message', (message: unknown) => {
      if (waiters.length > 0 && waiters[0](message)) return void waiters.shift();
      if (!isReady(message)) return onMessage(message);
      clearTimeout(timer);
      resolve({
        ready: message,
        pid: child.pid,
        request: <T>(request: unknown, accept: (reply: unknown) => T | undefined) =>
          new Promise<T>((done) => {
            waiters.push((reply) => {
              const value = accept(reply);
              if (value !== undefined) done(value);
              return value !== undefined;
            });
            child.send(request as object);
          }),
        stop: async () => {
          if (child.connected) child.disconnect();
          const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
  });
}

async function startSimulator(): Promise<{ url: string; sent: SentRecord[]; stop(): Promise<void> }> {
  const sent: SentRecord[] = [];
  const child = await forkChild(
    'graph-simulator.child.ts',
    {},
    (m): m is SimulatorChildMessage & { type: 'ready' } => (m as SimulatorChildMessage).type === 'ready',
    (m) => {
      for (const record of (m as SimulatorChildMessage & { type: 'sent' }).records) sent.push(record);
    },
  );
  // Meta's clock does not wait for our CPUs: on a saturated 2-core box the simulator gets scheduling priority,
  // so it stamps a request when it arrives rather than when the scheduler gets round to it.
  raisePriority(child.pid);
  return { url: child.ready.url, sent, stop: () => child.stop() };
}

function raisePriority(pid: number | undefined): void {
  try {
    if (pid) setPriority(pid, -10);
  } catch {
    say('could not raise the simulator priority (needs root); its send timestamps may lag under load');
  }
}

interface SendWorker {
  stats(accountId: string): Promise<WorkerStats>;
  stop(): Promise<void>;
}

async function startSendWorker(env: Record<string, string>): Promise<SendWorker> {
  const child = await forkChild('outbound-worker.child.ts', { ...env, APP_ROLES: 'worker', WORKER_QUEUES: 'outbound' }, (m): m is WorkerReply => (m as WorkerReply).type === 'ready');
  return {
    stats: (accountId) => child.request({ type: 'stats', accountId } satisfies WorkerRequest, (m) => ((m as WorkerReply).type === 'stats' ? (m as WorkerReply & { type: 'stats' }).stats : undefined)),
    stop: () => child.stop(),
  };
}

async function runScenario(app: TestApp, worker: SendWorker | null, outbox: SentRecord[], limit: number, count: number, seed: number) {
  const tenant = await createTenant(app, { rateLimitPerSecond: limit });
  await app.dataSource.getRepository(MessageTemplate).save({
    organizationId: tenant.organization.id,
    whatsappAccountId: tenant.account.id,
    name: 'bench_hello',
    language: 'es',
    category: TemplateCategory.Utility,
    status: 'APPROVED',
    parameterFormat: 'POSITIONAL',
    components: [{ type: 'BODY', text: 'Hola {{1}}', example: { body_text: [['Ana']] } }],
  });
  const to = phones(count, seed);
  // --existing-contacts: recipients already are contacts (a CRM list), so fan-out creates none.
  if (process.argv.includes('--existing-contacts')) {
    await app.dataSource.query(`INSERT INTO contact (organization_id, phone_e164) SELECT $1, p FROM unnest($2::varchar[]) AS p`, [tenant.organization.id, to]);
  }
  await worker?.stats(tenant.account.id); // resets its event-loop histogram
  const cpuBefore = readCpuTimes();
  const apiStart = Date.now();
  for (let i = 0; i < to.length; i += REQUEST_SIZE) {
    const recipients = to.slice(i, i + REQUEST_SIZE).map((phone, j) => ({ to: phone, variables: [`n${i + j}`] }));
    const response = await http(app).post('/api/v1/messages/bulk').set('Authorization', `Bearer ${tenant.token}`).send({ type: 'template', template: { name: 'bench_hello', language: 'es' }, recipients });
    if (response.status !== 202) throw new Error(`bulk request ${i / REQUEST_SIZE + 1} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 500)}`);
  }
  const apiMs = Date.now() - apiStart;
  const mine = () => outbox.filter(([phoneNumberId]) => phoneNumberId === tenant.account.phoneNumberId);
  const deadline = Date.now() + DEADLINE_MS;
  let lastTrace = 0;
  while (mine().length < count && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    if (process.env.BENCH_TRACE && Date.now() - lastTrace > 1000) {
      lastTrace = Date.now();
      const [{ n, q }] = await app.dataSource.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'queued')::int AS q FROM message WHERE whatsapp_account_id = $1`, [tenant.account.id]);
      const scans: Array<{ relname: string; seq_scan: number; seq_tup_read: number }> = await app.dataSource.query(
        `SELECT relname, seq_scan, seq_tup_read FROM pg_stat_user_tables WHERE relname IN ('message', 'contact', 'campaign_recipient', 'parked_status') ORDER BY relname`,
      );
      const seq = scans.map((r) => `${r.relname}:${r.seq_scan}/${r.seq_tup_read}`).join(' ');
      say(`t=${((Date.now() - apiStart) / 1000).toFixed(1)}s rows=${n} queued=${q} sent=${mine().length} seq scans ${seq}`);
    }
  }
  await new Promise((r) => setTimeout(r, 1000));
  const cpuStealPercent = stealPercent(cpuBefore, readCpuTimes());
  const entries = mine();
  const times = entries.map(([, receivedAt]) => receivedAt).sort((a, b) => a - b);
  const sendSeconds = times.length > 1 ? (times[times.length - 1] - times[0]) / 1000 : 0;
  const sentPerSecond = sendSeconds > 0 ? (entries.length - 1) / sendSeconds : null;
  const busiest = busiestWindow(times);
  const workerStats = await worker?.stats(tenant.account.id);
  const [{ failed }] = await app.dataSource.query(`SELECT count(*) FILTER (WHERE status = 'failed')::int AS failed FROM message WHERE whatsapp_account_id = $1`, [tenant.account.id]);
  return {
    limitPerSecond: limit,
    messages: count,
    acceptedPerSecondAtApi: Math.round((count / apiMs) * 1000),
    sentAtProvider: entries.length,
    sentPerSecondAtProvider: sentPerSecond === null ? null : Math.round(sentPerSecond),
    steadySentPerSecond: steadyPerSecond(times),
    busiestOneSecondWindow: busiest.count,
    busiestWindowStartsAtSecond: busiest.atSecond,
    observedVsLimit: sentPerSecond === null ? null : Number((sentPerSecond / limit).toFixed(3)),
    sentEachSecond: perSecond(times),
    // On a shared virtual machine: the % of CPU time the hypervisor gave to others during the scenario.
    cpuStealPercent,
    endToEndSeconds: times.length ? Number(((times[times.length - 1] - apiStart) / 1000).toFixed(1)) : null,
    // Jobs that found no slot (`account`: back to the delayed set; `late`: re-booked before calling the provider).
    ...(workerStats ? { sendWorker: workerStats } : {}),
    duplicateMessageIds: duplicates(entries.map(([, , messageId]) => messageId)),
    duplicateRecipients: duplicates(entries.map(([, , , to]) => to)),
    failed,
    completed: entries.length >= count,
  };
}

async function main(): Promise<void> {
  const name = `conversa_bench_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const queuePrefix = `{conversa-bench-${randomBytes(4).toString('hex')}}`;
  const sim = await startSimulator();
  const oneProcess = process.argv.includes('--one-process');
  const env = { META_GRAPH_BASE_URL: sim.url, OUTBOUND_CONCURRENCY: String(arg('concurrency', 96)), LOG_LEVEL: 'error' };
  let app: TestApp | undefined;
  let worker: SendWorker | null = null;
  try {
    say(`booting the app (database ${name}, migrations run at boot)`);
    app = await createTestApp({
      databaseUrl: databaseUrl(name),
      queuePrefix,
      env: { ...env, DB_MIGRATIONS_RUN: 'true', APP_ROLES: 'api,worker', WORKER_QUEUES: oneProcess ? '' : 'campaigns,inbound,agents,media,maintenance' },
    });
    if (!oneProcess) worker = await startSendWorker({ ...env, DATABASE_URL: databaseUrl(name), QUEUE_PREFIX: queuePrefix });
    const results = [];
    for (const [i, s] of SCENARIOS.entries()) {
      say(`scenario: ${s.count} messages at ${s.limit}/s`);
      results.push(await runScenario(app, worker, sim.sent, s.limit, s.count, i + 1));
      say(JSON.stringify(results[results.length - 1]));
    }
    console.log(JSON.stringify({ benchmark: 'outbound', cpus: cpus().length, results }, null, 2));
  } catch (error) {
    say(`${error instanceof Error ? error.stack : String(error)}`);
    if (app) say(`last app log lines:\n${app.logs.slice(-20).join('')}`);
    throw error;
  } finally {
    await cleanup(async () => worker?.stop());
    await cleanup(async () => app?.app.close());
    await cleanup(() => sim.stop());
    await cleanup(() => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));
    await cleanup(() => deleteQueueKeys(TEST_REDIS_URL, queuePrefix));
  }
}

/** A failing clean-up step is reported, never allowed to hide the benchmark's own error. */
async function cleanup(step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (error) {
    say(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

process.on('exit', (code) => say(`outbound bench exit ${code}`));
main().catch(() => {
  process.exitCode = 1;
});
