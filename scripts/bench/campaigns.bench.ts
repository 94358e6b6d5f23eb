/**
 * Campaigns benchmark: one campaign of existing contacts (a label) and CSV rows at a 1,000/s account limit into the
 * Graph simulator on loopback (its own process, posting sent/delivered/read status webhooks back: Meta's ≈3× volume).
 * This process serves the API and runs the inbound, maintenance and integrations (outbox relay) queues; two child
 * processes are send workers, a third runs the campaign runner. Mid-run the campaign is paused and resumed, and one
 * send worker is killed with SIGKILL (then restarted, as a supervisor would).
 * Prints sent/s (steady, before the pause and after the resume) against the limit, the busiest 1-second window, the
 * tier cap, duplicates by recipient, and the time from the pause request to the last send. Stops by itself.
 * Usage: npm run bench:campaigns [-- --count 100000 --limit 1000 --no-statuses --status-batch-ms 100 --no-relay
 *   --no-vacuum --sim-port 8331 --app-port 8332]
 * (--no-statuses: the simulator posts no status webhooks, to separate the campaign engine from webhook ingest;
 * --status-batch-ms N: the statuses due within N ms share one webhook POST, as Meta batches under volume;
 * --no-relay: the events the sends write stay undispatched (the figures before 2026-12-07 05:20 UTC ran so);
 * BENCH_CPU_PROF=<dir> writes a CPU profile of every child process there.)
 * A server running with autovacuum off (a test machine's setting; PostgreSQL's default is on) gets the benchmark's own
 * VACUUM and ANALYZE of the tables it writes that autovacuum's default thresholds say are due, checked every
 * VACUUM_EVERY_MS; --no-vacuum leaves it off.
 */
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeSync } from 'node:fs';
import { cpus, setPriority } from 'node:os';
import { Client } from 'pg';
import { TemplateCategory } from '../../src/database/entities/enums';
import { MessageTemplate } from '../../src/database/entities/message-template.entity';
import { createTenant } from '../../test/factories/tenant.factory';
import { http } from '../../test/support/http';
import { createTestApp, deleteQueueKeys, type TestApp } from '../../test/support/test-app';
import { baseTestEnv, databaseUrl, TEST_PG_ADMIN_URL, TEST_REDIS_URL } from '../../test/support/test-env';
import type { SentRecord, SimulatorChildMessage } from './graph-simulator.child';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const COUNT = arg('count', 100_000);
const LIMIT = arg('limit', 1000);
const SIM_PORT = arg('sim-port', 8331);
const APP_PORT = arg('app-port', 8332);
/** 0: one status per webhook POST; else the statuses due within this many ms share one POST, as Meta batches under volume. */
const STATUS_BATCH_MS = arg('status-batch-ms', 0);
/** The outbox relay (integrations queue) fans out the events the sends write, as deployed; --no-relay leaves them undispatched. */
const RELAY = !process.argv.includes('--no-relay');
const DEADLINE_MS = 15 * 60_000;
const VACUUM_EVERY_MS = 15_000;
const VACUUMED_TABLES = ['campaign_recipient', 'message', 'conversation', 'contact', 'outbox_event', 'webhook_event'];

const say = (line: string) => writeSync(2, `${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Chilean mobiles +56 9 9…, 100,000 per seed. */
const phones = (count: number, seed: number) => Array.from({ length: count }, (_, i) => `+5699${seed}${String(i).padStart(6, '0')}`);

function busiestWindow(times: number[]): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** Rate over the middle 80 % of a run of sends (no ramp-up, no tail). */
function steady(times: number[]): number | null {
  const from = Math.floor(times.length * 0.1);
  const to = Math.ceil(times.length * 0.9) - 1;
  const span = times[to] - times[from];
  return span > 0 ? Math.round(((to - from) / span) * 1000) : null;
}

/** CPU time the whole machine has spent busy (every process: the app, workers, PostgreSQL, Redis, the simulator; not time stolen by the hypervisor), in ms (USER_HZ = 100). */
function machineBusyMs(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const idle = ticks[3] + ticks[4];
  return ((ticks.slice(0, 7).reduce((a, b) => a + b, 0) - idle) * 1000) / 100;
}

/**
 * Which of `tables` autovacuum would vacuum and analyze now, by its default thresholds (PostgreSQL 15:
 * autovacuum_vacuum_threshold 50 + scale 0.2 of the rows for dead rows, autovacuum_vacuum_insert_threshold 1,000 +
 * 0.2 for inserted rows, autovacuum_analyze_threshold 50 + 0.1 for changed rows).
 */
async function autovacuumDue(client: Client, tables: string[]): Promise<Array<{ table: string; vacuum: boolean; analyze: boolean }>> {
  const { rows } = await client.query(
    `SELECT s.relname AS table, greatest(c.reltuples, 0) AS rows, s.n_dead_tup AS dead, s.n_ins_since_vacuum AS inserted, s.n_mod_since_analyze AS changed
       FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.schemaname = 'public' AND s.relname = ANY($1::text[])`,
    [tables],
  );
  return rows
    .map((r: { table: string; rows: number; dead: string; inserted: string; changed: string }) => ({
      table: r.table,
      vacuum: Number(r.dead) > 50 + 0.2 * r.rows || Number(r.inserted) > 1000 + 0.2 * r.rows,
      analyze: Number(r.changed) > 50 + 0.1 * r.rows,
    }))
    .filter((t) => t.vacuum || t.analyze);
}

/**
 * Autovacuum's stand-in when the server has it off: without it the campaign's tables bloat with dead rows and the
 * planner keeps the statistics of an empty table, which no deployment sees. Every VACUUM_EVERY_MS it vacuums and
 * analyzes the tables that autovacuum's default thresholds say are due, as autovacuum's own check would (which runs
 * once a minute by default: this checks more often, for fresher statistics). Returns what it did, and a stop function.
 */
async function emulateAutovacuum(url: string): Promise<{ mode: string; runs: Map<string, number>; stop: () => Promise<void> }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const [{ autovacuum }] = (await client.query('SHOW autovacuum')).rows;
  if (autovacuum === 'on' || process.argv.includes('--no-vacuum')) {
    await client.end();
    return { mode: autovacuum === 'on' ? 'server autovacuum' : 'none (--no-vacuum)', runs: new Map(), stop: async () => {} };
  }
  // Throttled as autovacuum is by default (a manual VACUUM is not).
  await client.query(`SET vacuum_cost_delay = '2ms'`);
  let running: Promise<unknown> = Promise.resolve();
  const runs = new Map<string, number>();
  const pass = async () => {
    for (const due of await autovacuumDue(client, VACUUMED_TABLES)) {
      const statement = due.vacuum ? `VACUUM ${due.analyze ? '(ANALYZE) ' : ''}${due.table}` : `ANALYZE ${due.table}`;
      await client.query(statement);
      runs.set(statement, (runs.get(statement) ?? 0) + 1);
    }
  };
  const timer = setInterval(() => {
    running = running.then(pass).catch((error: Error) => say(`vacuum failed: ${error.message}`));
  }, VACUUM_EVERY_MS);
  return {
    mode: `the benchmark checks every ${VACUUM_EVERY_MS / 1000} s and vacuums/analyzes the tables autovacuum's default thresholds say are due (the server has autovacuum off)`,
    runs,
    stop: async () => {
      clearInterval(timer);
      await running;
      await client.end();
    },
  };
}

function forkChild(file: string, env: Record<string, string>, onMessage: (m: unknown) => void = () => {}): Promise<{ child: ChildProcess; ready: unknown }> {
  const child = fork(`${__dirname}/${file}`, [], { execArgv: ['-r', 'ts-node/register/transpile-only', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start in 120 s`)), 120_000);
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
    child.on('message', (m: { type?: string }) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve({ child, ready: m });
      } else onMessage(m);
    });
  });
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  if (child.connected) child.disconnect();
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(killer);
}

async function setUp(app: TestApp) {
  const tenant = await createTenant(app, { rateLimitPerSecond: LIMIT, messagingLimit: COUNT });
  await app.dataSource.getRepository(MessageTemplate).save({
    organizationId: tenant.organization.id, whatsappAccountId: tenant.account.id, name: 'bench_hello', language: 'es', category: TemplateCategory.Utility,
    status: 'APPROVED', parameterFormat: 'POSITIONAL', components: [{ type: 'BODY', text: 'Hola {{1}}', example: { body_text: [['Ana']] } }],
  });
  const half = Math.floor(COUNT / 2);
  await app.dataSource.query(`INSERT INTO contact (organization_id, phone_e164, labels) SELECT $1, p, '{bench}' FROM unnest($2::varchar[]) AS p`, [tenant.organization.id, phones(half, 1)]);
  const auth = `Bearer ${tenant.token}`;
  const created = await http(app).post('/api/v1/campaigns').set('Authorization', auth).send({ name: 'bench', content: { type: 'template', template: { name: 'bench_hello', language: 'es', variables: ['cliente'] } }, audience: { labels: ['bench'] } });
  if (created.status !== 201) throw new Error(`create answered ${created.status}: ${JSON.stringify(created.body).slice(0, 300)}`);
  const csv = ['phone,1', ...phones(COUNT - half, 2).map((p, i) => `${p},csv${i}`)].join('\n');
  const upload = await http(app).post(`/api/v1/campaigns/${created.body.id}/audience/csv`).set('Authorization', auth).set('Content-Type', 'text/csv').send(csv);
  if (upload.status !== 201) throw new Error(`CSV answered ${upload.status}: ${JSON.stringify(upload.body).slice(0, 300)}`);
  return { tenant, auth, id: created.body.id as string, total: upload.body.total as number };
}

async function main(): Promise<void> {
  const name = `conversa_bench_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const queuePrefix = `{conversa-bench-${randomBytes(4).toString('hex')}}`;
  const sent: SentRecord[] = [];
  const statuses: Record<string, string> = process.argv.includes('--no-statuses')
    ? {}
    : { BENCH_STATUS_URL: `http://127.0.0.1:${APP_PORT}/webhooks/meta`, BENCH_STATUS_SECRET: baseTestEnv().META_APP_SECRET, ...(STATUS_BATCH_MS > 0 ? { BENCH_STATUS_BATCH_MS: String(STATUS_BATCH_MS) } : {}) };
  const sim = await forkChild('graph-simulator.child.ts', { BENCH_SIM_PORT: String(SIM_PORT), ...statuses }, (m) => {
    for (const record of (m as SimulatorChildMessage & { type: 'sent' }).records ?? []) sent.push(record);
  });
  // Meta stamps a request when it reaches Meta: the simulator must not wait for a core behind the processes it
  // measures, or a stall of its own would squeeze a second of sends into less (raising it needs root; else it stays).
  try {
    setPriority(sim.child.pid!, -10);
  } catch {
    say('could not raise the simulator\'s priority: its 1-second windows include its own scheduling delays');
  }
  const env = { META_GRAPH_BASE_URL: `http://127.0.0.1:${SIM_PORT}`, LOG_LEVEL: 'error', WORKER_STALLED_INTERVAL_MS: '5000', MAINTENANCE_SWEEP_INTERVAL_MS: '5000' };
  const workers: ChildProcess[] = [];
  let runner: ChildProcess | undefined;
  let progress: NodeJS.Timeout | undefined;
  let app: TestApp | undefined;
  let vacuum: Awaited<ReturnType<typeof emulateAutovacuum>> | undefined;
  try {
    app = await createTestApp({ databaseUrl: databaseUrl(name), queuePrefix, env: { ...env, PORT: String(APP_PORT), DB_MIGRATIONS_RUN: 'true', APP_ROLES: 'api,worker,scheduler', WORKER_QUEUES: `inbound,agents,media,maintenance${RELAY ? ',integrations' : ''}` } });
    const workerEnv = { ...env, DATABASE_URL: databaseUrl(name), QUEUE_PREFIX: queuePrefix, APP_ROLES: 'worker', WORKER_QUEUES: 'outbound' };
    for (let i = 0; i < 2; i++) workers.push((await forkChild('outbound-worker.child.ts', workerEnv)).child);
    // The campaign runner in a worker of its own, as deployed: the status webhooks' ingest does not hold up its claims.
    runner = (await forkChild('outbound-worker.child.ts', { ...workerEnv, WORKER_QUEUES: 'campaigns' })).child;
    say(`setting up ${COUNT} recipients (half contacts with a label, half CSV)`);
    const { tenant, auth, id, total } = await setUp(app);
    const mine = () => sent.filter(([phoneNumberId]) => phoneNumberId === tenant.account.phoneNumberId);
    vacuum = await emulateAutovacuum(databaseUrl(name));
    const start = Date.now();
    const busyAtStart = machineBusyMs();
    await http(app).post(`/api/v1/campaigns/${id}/start`).set('Authorization', auth).expect(200);
    progress = setInterval(() => say(`t=${((Date.now() - start) / 1000).toFixed(0)}s sent=${mine().length}`), 5000);
    while (mine().length < total * 0.4) await sleep(50);
    const pausedAt = Date.now();
    const paused = await http(app).post(`/api/v1/campaigns/${id}/pause`).set('Authorization', auth);
    if (paused.status !== 200) throw new Error(`pause answered ${paused.status}: ${JSON.stringify(paused.body)}`);
    const pauseAnsweredMs = Date.now() - pausedAt;
    await sleep(3000);
    const atPause = mine().map(([, t]) => t).sort((a, b) => a - b);
    const resumedAt = Date.now();
    await http(app).post(`/api/v1/campaigns/${id}/resume`).set('Authorization', auth).expect(200);
    while (mine().length < total * 0.6) await sleep(50);
    workers[0].kill('SIGKILL');
    const killedAt = Date.now();
    say(`paused at ${atPause.length} sends, killed a send worker at ${mine().length}`);
    // Restarted as a supervisor (systemd, Docker's restart policy) would: what it had claimed must not go out twice.
    workers[0] = (await forkChild('outbound-worker.child.ts', workerEnv)).child;
    say(`send worker restarted at ${mine().length} sends`);
    for (;;) {
      const [row] = await app.dataSource.query(`SELECT status FROM campaign WHERE id = $1`, [id]);
      if (row.status === 'completed' || Date.now() - start > DEADLINE_MS) break;
      await sleep(500);
    }
    clearInterval(progress);
    const busyMs = machineBusyMs() - busyAtStart;
    await vacuum.stop();
    await sleep(1500);
    const entries = mine();
    const times = entries.map(([, t]) => t).sort((a, b) => a - b);
    const before = times.filter((t) => t <= pausedAt);
    const after = times.filter((t) => t >= resumedAt);
    const [counts] = await app.dataSource.query(
      `SELECT count(*) FILTER (WHERE m.status IN ('sent', 'delivered', 'read'))::int AS sent, count(*) FILTER (WHERE m.status IN ('delivered', 'read'))::int AS delivered,
              count(*) FILTER (WHERE m.status = 'read')::int AS read, count(*) FILTER (WHERE m.status = 'failed')::int AS failed,
              count(*) FILTER (WHERE cr.status IN ('pending', 'held', 'queued'))::int AS unfinished
         FROM campaign_recipient cr LEFT JOIN message m ON m.id = cr.message_id WHERE cr.campaign_id = $1`,
      [id],
    );
    const recipients = entries.map(([, , , to]) => to);
    const messageIds = entries.map(([, , messageId]) => messageId);
    console.log(JSON.stringify({
      benchmark: 'campaigns', cpus: cpus().length, recipients: total, limitPerSecond: LIMIT, statusWebhooks: 'BENCH_STATUS_URL' in statuses, statusBatchMs: STATUS_BATCH_MS, outboxRelay: RELAY, vacuum: vacuum.mode, vacuumRuns: Object.fromEntries(vacuum.runs),
      steadySentPerSecond: { beforePause: steady(before), afterResume: steady(after) },
      steadyVsLimit: { beforePause: Number(((steady(before) ?? 0) / LIMIT).toFixed(3)), afterResume: Number(((steady(after) ?? 0) / LIMIT).toFixed(3)) },
      busiestOneSecondWindow: busiestWindow(times),
      tierCap: COUNT, uniqueRecipientsReached: new Set(recipients).size,
      duplicateRecipients: recipients.length - new Set(recipients).size,
      duplicateMessageIds: messageIds.length - new Set(messageIds).size,
      pauseAnsweredMs, lastSendAfterPauseRequestMs: before.length ? Math.max(0, (atPause.at(-1) ?? pausedAt) - pausedAt) : null,
      sendsBetweenPauseAnswerAndResume: times.filter((t) => t > pausedAt + pauseAnsweredMs && t < resumedAt).length,
      sendWorkerKilledAtSecond: Number(((killedAt - start) / 1000).toFixed(1)),
      endToEndSeconds: Number(((times.at(-1)! - start) / 1000).toFixed(1)),
      // Steadier than sent/s on a shared machine: what each send cost the machine, all processes together.
      machineCpuMsPerSend: Number((busyMs / Math.max(1, entries.length)).toFixed(3)),
      messages: counts,
    }, null, 2));
  } catch (error) {
    say(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (app) say(`last app log lines:\n${app.logs.slice(-20).join('')}`);
    process.exitCode = 1;
  } finally {
    clearInterval(progress);
    await vacuum?.stop().catch(() => undefined);
    for (const worker of [...workers, runner]) await stop(worker).catch(() => undefined);
    await app?.app.close().catch(() => undefined);
    await stop(sim.child).catch(() => undefined);
    if (process.env.BENCH_KEEP_DB) say(`kept database ${name}`);
    else await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).catch(() => undefined);
    await deleteQueueKeys(TEST_REDIS_URL, queuePrefix).catch(() => undefined);
  }
}

void main();
