/**
 * Webhook ingest benchmark (loopback only, bounded, stops by itself, cleans up).
 *
 * Posts realistic, distinct, correctly signed Meta payloads (4 inbound texts : 1 status, 2,000 senders,
 * half of them known contacts whose seeded outbound messages the statuses refer to) to:
 *   (a) a bare node:http server that only verifies the signature        — the ceiling;
 *   (b) a bare node:http server doing the naive durable ingest            — the baseline
 *       (verify, one INSERT … ON CONFLICT DO NOTHING, one BullMQ add per request);
 *   (c) Conversa's POST /webhooks/meta, APP_ROLES=api in a child process on its own cloned database
 *       and QUEUE_PREFIX.
 * First samples how long the disk takes to flush 8 KB (fsync-probe.ts: the floor under a durable p99).
 * Each target runs in its own child process (autocannon stays in this one). Measures p50/p99 at a fixed
 * offered rate (paced, open loop, from a generator process of its own: paced-load.ts), then requests/s and
 * p50/p99 at full load, then posts a burst of events to (c) and times a separate APP_ROLES=worker process
 * until every webhook_event row is processed and the domain rows exist.
 *
 * Usage: npm run bench:webhooks [-- --duration 10 --warmup 3 --connections 100 --rate 1000 --rate-duration 10
 *                                   --burst 20000 --senders 2000 --inbound-concurrency 128 --log-level warn
 *                                   --burst-only | --load-only --profile <dir>]
 * BENCH_APP_NODE_ARGS (e.g. "--trace-gc") are passed to Conversa's processes.
 * WORKER_QUEUES=inbound in the environment limits the burst's worker to the inbound queue (no agent runs).
 */
import 'reflect-metadata';
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { encryptSecret } from '../../src/common/crypto';
import { QueueName } from '../../src/queues/queue-names';
import globalSetup from '../../test/support/global-setup';
import { createTestDatabase } from '../../test/support/test-database';
import { deleteQueueKeys } from '../../test/support/test-app';
import { baseTestEnv, TEST_REDIS_URL } from '../../test/support/test-env';
import { newWamid } from '../../src/modules/whatsapp/sandbox/simulator-webhooks';
import { readCpuTimes, stealPercent } from './cpu-steal';
import { type FsyncFigures, probeFsync } from './fsync-probe';
import { type PacedFigures, pacedLoadInChild } from './paced-load';
import { type BenchPopulation, contactName, PayloadStream, senderWaIds, type SignedBody } from './webhooks-payloads';

// autocannon ships no type declarations; only the fields read here are typed.
interface CannonResult {
  duration: number;
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latency: { p50: number; p99: number; average: number; max: number };
}
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<CannonResult>;

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const argText = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? String(process.argv[i + 1]) : fallback;
};

const OPTS = {
  duration: arg('duration', 10),
  warmup: arg('warmup', 3),
  connections: arg('connections', 100),
  rate: arg('rate', 1000),
  rateDuration: arg('rate-duration', 10),
  burst: arg('burst', 20000),
  senders: arg('senders', 2000),
  pool: arg('pool', 100000),
  inboundConcurrency: arg('inbound-concurrency', 0),
  logLevel: argText('log-level', 'warn'),
  /** Skip the load runs (a), (b), (c) and only post and process the burst (for profiling the worker). */
  burstOnly: process.argv.includes('--burst-only'),
  /** Only the load runs (a), (b), (c), no burst (for tuning ingest latency). */
  loadOnly: process.argv.includes('--load-only'),
  /** Write V8 CPU profiles of Conversa's api and worker processes to this directory. */
  profile: argText('profile', ''),
};
const BURST_DEADLINE_MS = 180_000;
const PAUSE_MS = 2000;
/** Seconds of disk-flush sampling before the load runs: the floor under a durable server's latency tail. */
const FSYNC_PROBE_SECONDS = 5;
const SERVER_FILE = join(__dirname, 'webhooks-bench-server.ts');
const TARGETS = { a: 'signature only (ceiling)', b: 'naive durable (baseline)', c: 'Conversa /webhooks/meta' } as const;

type Target = keyof typeof TARGETS;
interface LoadFigures {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** Fixed-rate runs: % of CPU time the hypervisor took meanwhile (null where unknown). */
  cpuStealPercent?: number | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => writeSync(2, `[bench] ${line}\n`);

// ---------------------------------------------------------------------------------------------------
// Child processes

interface Child {
  process: ChildProcess;
  port: number;
  bootMs: number;
  readyAt: number;
  /** The child's event-loop delay (ms) since the previous call. */
  loopStats(): Promise<LoopStats>;
  stop(): Promise<void>;
}

interface LoopStats {
  p50: number;
  p99: number;
  max: number;
}

function startChild(mode: 'ceiling' | 'naive' | 'app', env: Record<string, string>, logFile: string, execArgv: string[] = []): Promise<Child> {
  const forkedAt = Date.now();
  const fd = openSync(logFile, 'a');
  const child = fork(SERVER_FILE, [mode], {
    execArgv: ['-r', 'ts-node/register', ...execArgv],
    env: { ...process.env, ...env },
    stdio: ['ignore', fd, fd, 'ipc'],
  });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${mode} server did not start in 120 s (log: ${logFile})`)), 120_000);
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code} before it was ready (log: ${logFile})`)));
    child.once('message', (message: { port: number; readyAt: number }) => {
      clearTimeout(timer);
      resolve({
        process: child,
        port: message.port,
        bootMs: Date.now() - forkedAt,
        readyAt: message.readyAt,
        loopStats: () =>
          new Promise<LoopStats>((resolveStats) => {
            const onMessage = (reply: { loop?: LoopStats }) => {
              if (!reply.loop) return;
              child.off('message', onMessage);
              resolveStats(reply.loop);
            };
            child.on('message', onMessage);
            child.send('loop-stats');
          }),
        stop: async () => {
          if (child.exitCode !== null) return;
          child.send('stop');
          const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Load generation

/** Pre-signed bodies, so the load generator spends no CPU on JSON and HMAC while measuring. */
class BodySource {
  private readonly bodies: SignedBody[];
  private index = 0;

  constructor(
    private readonly stream: PayloadStream,
    size: number,
    private readonly cycle = false,
  ) {
    this.bodies = stream.take(size);
  }

  next(): SignedBody {
    if (this.index < this.bodies.length) return this.bodies[this.index++];
    if (this.cycle) return this.bodies[this.index++ % this.bodies.length];
    // Distinct bodies beyond the pool: generated on the fly.
    return this.stream.next();
  }
}

async function load(port: number, source: BodySource, opts: { duration?: number; amount?: number; connections: number }): Promise<LoadFigures> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: opts.connections,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration }),
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/webhooks/meta',
        setupRequest: (request: Record<string, unknown>) => {
          const { body, signature } = source.next();
          return { ...request, body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature, 'user-agent': 'facebookexternalua' } };
        },
      },
    ],
  });
  return {
    rps: Math.round(result['2xx'] / result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result['2xx'] + result.non2xx,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/**
 * The latency at a fixed offered rate first, after a warm-up at that same rate (steady state: neither
 * the backlog nor the aftermath — autovacuum, checkpoints — of a saturation run lands in it), then the
 * throughput at saturation.
 */
async function measure(target: Target, server: Child, source: BodySource): Promise<{ throughput: LoadFigures; fixedRate: LoadFigures }> {
  log(`${TARGETS[target]}: warm-up ${OPTS.warmup}s at ${OPTS.rate} req/s`);
  await pacedRun(server, source, OPTS.warmup);
  const fixedRate = await measureFixedRate(target, server, source);
  await sleep(PAUSE_MS);
  log(`${TARGETS[target]}: throughput ${OPTS.duration}s × ${OPTS.connections} connections`);
  const throughput = await load(server.port, source, { duration: OPTS.duration, connections: OPTS.connections });
  log(`${TARGETS[target]}: ${throughput.rps} req/s, p50 ${throughput.p50} ms, p99 ${throughput.p99} ms, non-2xx ${throughput.non2xx}, errors ${throughput.errors}`);
  return { throughput, fixedRate };
}

function pacedRun(server: Child, source: BodySource, durationSeconds: number): Promise<PacedFigures> {
  const requests = Array.from({ length: Math.ceil(OPTS.rate * durationSeconds) }, () => {
    const { body, signature } = source.next();
    return { path: '/webhooks/meta', body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature, 'user-agent': 'facebookexternalua' } };
  });
  return pacedLoadInChild({ port: server.port, rate: OPTS.rate, durationSeconds, connections: 64, requests });
}

async function measureFixedRate(target: Target, server: Child, source: BodySource): Promise<LoadFigures> {
  await server.loopStats();
  log(`${TARGETS[target]}: fixed rate ${OPTS.rate} req/s for ${OPTS.rateDuration}s (paced, open loop)`);
  const cpuBefore = readCpuTimes();
  const paced = await pacedRun(server, source, OPTS.rateDuration);
  const cpuStealPercent = stealPercent(cpuBefore, readCpuTimes());
  const figures = { rps: paced.rps, p50: paced.p50, p99: paced.p99, requests: paced.completed, non2xx: paced.non2xx, errors: paced.errors, cpuStealPercent };
  const loop = await server.loopStats();
  log(
    `${TARGETS[target]} @${OPTS.rate}/s: ${figures.rps} req/s, p50 ${figures.p50} ms, p99 ${figures.p99} ms, max ${paced.max} ms, non-2xx ${figures.non2xx}; ` +
      `event-loop delay p99 (max): server ${loop.p99} (${loop.max}) ms, load generator ${paced.generatorLoopP99} ms; CPU stolen by the hypervisor ${cpuStealPercent ?? '?'} %`,
  );
  return figures;
}

// ---------------------------------------------------------------------------------------------------
// Data

async function seed(db: Client, encryptionKey: Buffer, senders: string[]): Promise<BenchPopulation> {
  const suffix = randomBytes(3).toString('hex');
  const [{ id: organizationId }] = (
    await db.query(`INSERT INTO organization (name, slug, settings) VALUES ($1, $2, $3) RETURNING id`, [
      `Bench ${suffix}`,
      `bench-${suffix}`,
      // No auto-replies: agent runs would otherwise call the real Graph API.
      { autoRepliesEnabled: false },
    ])
  ).rows;
  const business = { phoneNumberId: `1${Date.now()}`.slice(0, 15), displayPhoneNumber: '+56 2 2345 6789', wabaId: `2${Date.now()}`.slice(0, 15) };
  const [{ id: accountId }] = (
    await db.query(
      `INSERT INTO whatsapp_account (organization_id, name, provider, phone_number_id, waba_id, display_phone_number, access_token_encrypted, is_default, auto_replies_enabled)
       VALUES ($1, 'Bench number', 'meta', $2, $3, $4, $5, true, false) RETURNING id`,
      [organizationId, business.phoneNumberId, business.wabaId, business.displayPhoneNumber, encryptSecret('bench-token', encryptionKey)],
    )
  ).rows;
  // Half of the senders are known: contact, conversation and two outbound messages each (the statuses' targets).
  const known = senders.slice(0, Math.floor(senders.length / 2));
  const contacts = (
    await db.query<{ id: string; wa_id: string }>(
      `INSERT INTO contact (organization_id, phone_e164, wa_id, profile_name)
       SELECT $1, '+' || w, w, n FROM unnest($2::text[], $3::text[]) AS t(w, n) RETURNING id, wa_id`,
      [organizationId, known, known.map((_, i) => contactName(i))],
    )
  ).rows;
  const conversations = (
    await db.query<{ id: string; contact_id: string }>(
      `INSERT INTO conversation (organization_id, whatsapp_account_id, contact_id, last_message_at, last_message_preview)
       SELECT $1, $2, c, now() - interval '2 hours', 'Hola! Tu pedido está en camino' FROM unnest($3::uuid[]) AS t(c) RETURNING id, contact_id`,
      [organizationId, accountId, contacts.map((c) => c.id)],
    )
  ).rows;
  const waIdOf = new Map(contacts.map((c) => [c.id, c.wa_id]));
  const outbound: BenchPopulation['outbound'] = [];
  const rows: { conv: string[]; contact: string[]; wamid: string[] } = { conv: [], contact: [], wamid: [] };
  for (const conversation of conversations) {
    for (let j = 0; j < 2; j++) {
      const recipient = waIdOf.get(conversation.contact_id)!;
      const providerMessageId = newWamid(recipient);
      outbound.push({ providerMessageId, recipient });
      rows.conv.push(conversation.id);
      rows.contact.push(conversation.contact_id);
      rows.wamid.push(providerMessageId);
    }
  }
  await db.query(
    `INSERT INTO message (organization_id, whatsapp_account_id, conversation_id, contact_id, direction, type, status, content, text, occurred_at, sent_at, provider_message_id)
     SELECT $1, $2, conv, ct, 'outbound', 'text', 'sent', '{"text": {"body": "Hola! Tu pedido está en camino"}}', 'Hola! Tu pedido está en camino',
            now() - interval '2 hours', now() - interval '2 hours', w
     FROM unnest($3::uuid[], $4::uuid[], $5::text[]) AS t(conv, ct, w)`,
    [organizationId, accountId, rows.conv, rows.contact, rows.wamid],
  );
  // The naive baseline's table: the same shape, defaults and unique index as webhook_event.
  await db.query(`CREATE TABLE bench_naive_webhook_event (LIKE webhook_event INCLUDING ALL)`);
  await db.query('ANALYZE');
  return { business, senders, knownSenders: known.length, outbound };
}

interface BurstFigures {
  events: number;
  postSeconds: number;
  postRps: number;
  workerBootSeconds: number;
  drainSeconds: number;
  eventsPerSecond: number;
  processed: number;
  failed: number;
  inboundMessages: number;
  expectedInbound: number;
  statusesApplied: number;
  expectedStatusesApplied: number;
  contacts: number;
  conversations: number;
  complete: boolean;
}

async function burst(db: Client, api: Child, population: BenchPopulation, appSecret: string, queuePrefix: string, startWorker: () => Promise<Child>): Promise<{ figures: BurstFigures; worker: Child }> {
  const stream = new PayloadStream(population, appSecret);
  // Exactly OPTS.burst distinct events: should autocannon send a few more, they repeat earlier bodies
  // (duplicates, as Meta's retries would be), which ingest acknowledges without storing.
  const source = new BodySource(stream, OPTS.burst, true);
  const statusEvents = Math.floor(OPTS.burst / 5);
  const expectedInbound = OPTS.burst - statusEvents;
  log(`burst: posting ${OPTS.burst} events to the api role (no worker running)`);
  const started = Date.now();
  const posted = await load(api.port, source, { amount: OPTS.burst, connections: OPTS.connections });
  const postSeconds = (Date.now() - started) / 1000;
  const [{ stored }] = (await db.query(`SELECT count(*)::int AS stored FROM webhook_event WHERE status = 'received'`)).rows;
  log(`burst: ${posted.requests} posted, ${stored} stored in ${postSeconds.toFixed(1)}s (non-2xx ${posted.non2xx}); starting the worker role`);
  if (stored !== OPTS.burst) throw new Error(`expected ${OPTS.burst} stored events, found ${stored}`);
  await api.stop();

  const spawnedAt = Date.now();
  const worker = await startWorker();
  // Watched through the queue (cheap Redis counts), then confirmed in the database: counting the table ten times a
  // second took 10 % of a core from the database being measured.
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(QueueName.Inbound, { connection, prefix: queuePrefix });
  try {
    while (Date.now() - spawnedAt < BURST_DEADLINE_MS) {
      const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children');
      if (Object.values(counts).every((n) => n === 0)) {
        const [{ open }] = (await db.query<{ open: number }>(`SELECT count(*)::int AS open FROM webhook_event WHERE status IN ('received', 'processing')`)).rows;
        if (open === 0) break;
      }
      await sleep(100);
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
  const finishedAt = Date.now();
  const done = (
    await db.query<{ processed: number; failed: number }>(
      `SELECT count(*) FILTER (WHERE status = 'processed')::int AS processed, count(*) FILTER (WHERE status = 'failed')::int AS failed FROM webhook_event`,
    )
  ).rows[0];
  const [counts] = (
    await db.query(
      `SELECT (SELECT count(*)::int FROM message WHERE direction = 'inbound') AS inbound,
              (SELECT count(*)::int FROM message WHERE direction = 'outbound' AND status = 'read' AND delivered_at IS NOT NULL AND read_at IS NOT NULL) AS statuses,
              (SELECT count(*)::int FROM contact) AS contacts,
              (SELECT count(*)::int FROM conversation) AS conversations`,
    )
  ).rows;
  // Each seeded message receives delivered then read when the burst holds 2 statuses per message.
  const expectedStatusesApplied = Math.min(population.outbound.length, Math.max(0, statusEvents - population.outbound.length));
  const drainSeconds = (finishedAt - worker.readyAt) / 1000;
  const figures: BurstFigures = {
    events: OPTS.burst,
    postSeconds: Number(postSeconds.toFixed(2)),
    postRps: Math.round(OPTS.burst / postSeconds),
    workerBootSeconds: Number((worker.bootMs / 1000).toFixed(2)),
    drainSeconds: Number(drainSeconds.toFixed(2)),
    eventsPerSecond: Math.round(done.processed / drainSeconds),
    processed: done.processed,
    failed: done.failed,
    inboundMessages: counts.inbound,
    expectedInbound,
    statusesApplied: counts.statuses,
    expectedStatusesApplied,
    contacts: counts.contacts,
    conversations: counts.conversations,
    complete: done.processed === OPTS.burst && counts.inbound === expectedInbound && counts.statuses === expectedStatusesApplied,
  };
  log(`burst: ${done.processed} processed, ${done.failed} failed in ${figures.drainSeconds}s after worker boot (${figures.eventsPerSecond} events/s)`);
  return { figures, worker };
}

async function clearIngested(db: Client, queuePrefix: string): Promise<void> {
  await db.query('TRUNCATE webhook_event');
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(QueueName.Inbound, { connection, prefix: queuePrefix });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------------

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
}

async function main(): Promise<void> {
  const env = baseTestEnv();
  const appSecret = env.META_APP_SECRET;
  const encryptionKey = Buffer.from(env.ENCRYPTION_KEY, 'hex');
  const tag = randomBytes(4).toString('hex');
  const queuePrefix = `{conversa-bench-${tag}}`;
  const naivePrefix = `{conversa-bench-${tag}-naive}`;
  const logFile = join(tmpdir(), `conversa-webhooks-bench-${tag}.log`);
  await globalSetup(); // the migrated template the test harness clones
  const database = await createTestDatabase();
  const db = new Client({ connectionString: database.url });
  await db.connect();
  const children: Child[] = [];
  const track = async (start: Promise<Child>) => {
    const child = await start;
    children.push(child);
    return child;
  };
  try {
    log(`database ${database.name}, queue prefix ${queuePrefix}, child logs ${logFile}`);
    const population = await seed(db, encryptionKey, senderWaIds(OPTS.senders));
    const childEnv = { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, META_APP_SECRET: appSecret };
    const appEnv = (roles: string) => {
      const e: Record<string, string> = { ...env, ...childEnv, APP_ROLES: roles, QUEUE_PREFIX: queuePrefix, PORT: '0', LOG_LEVEL: OPTS.logLevel, NODE_ENV: 'production' };
      // Production defaults, not the test harness's shortcuts.
      delete e.AGENTS_DEBOUNCE_MS;
      delete e.WEBHOOK_INGEST_BATCH_MS;
      if (OPTS.inboundConcurrency > 0) e.INBOUND_CONCURRENCY = String(OPTS.inboundConcurrency);
      return e;
    };

    const throughput = {} as Record<Target, LoadFigures>;
    const fixedRate = {} as Partial<Record<Target, LoadFigures>>;
    let fsync: FsyncFigures | undefined;

    if (!OPTS.burstOnly) {
      const [{ data_directory: dataDirectory }] = (await db.query('SHOW data_directory').catch(() => ({ rows: [{ data_directory: null }] }))).rows;
      fsync = await probeFsync(FSYNC_PROBE_SECONDS, dataDirectory);
      log(`disk flush (8 KB write + fdatasync, ${fsync.samples} samples): p50 ${fsync.p50} ms, p99 ${fsync.p99} ms, p99.9 ${fsync.p999} ms, max ${fsync.max} ms, ${fsync.over10ms} over 10 ms; same device as the database: ${fsync.sameDeviceAsDatabase ?? 'unknown'}`);
    }

    if (!OPTS.burstOnly) {
      const ceiling = await track(startChild('ceiling', childEnv, logFile));
      const ceilingBodies = new BodySource(new PayloadStream(population, appSecret), 20000, true);
      ({ throughput: throughput.a, fixedRate: fixedRate.a } = await measure('a', ceiling, ceilingBodies));
      await ceiling.stop();

      const naive = await track(startChild('naive', { ...childEnv, QUEUE_PREFIX: naivePrefix }, logFile));
      const naiveBodies = new BodySource(new PayloadStream(population, appSecret), OPTS.pool);
      ({ throughput: throughput.b, fixedRate: fixedRate.b } = await measure('b', naive, naiveBodies));
      await naive.stop();
      await db.query('TRUNCATE bench_naive_webhook_event');
      await deleteQueueKeys(TEST_REDIS_URL, naivePrefix);
    }

    const profileArgs = [...(OPTS.profile ? ['--cpu-prof', `--cpu-prof-dir=${OPTS.profile}`] : []), ...(process.env.BENCH_APP_NODE_ARGS?.split(' ').filter(Boolean) ?? [])];
    const api = await track(startChild('app', appEnv('api'), logFile, profileArgs));
    log(`Conversa api role booted in ${(api.bootMs / 1000).toFixed(1)}s`);
    if (!OPTS.burstOnly) {
      const appBodies = new BodySource(new PayloadStream(population, appSecret), OPTS.pool);
      ({ throughput: throughput.c, fixedRate: fixedRate.c } = await measure('c', api, appBodies));
      await sleep(PAUSE_MS); // requests still in flight when the run ended land first
      await clearIngested(db, queuePrefix);
    }
    if (OPTS.loadOnly) {
      process.stdout.write(`${JSON.stringify({ benchmark: 'webhooks', cpus: cpus().length, options: OPTS, fsync, throughput, fixedRate })}\n`);
      return;
    }
    const { figures: burstFigures, worker } = await burst(db, api, population, appSecret, queuePrefix, () =>
      track(startChild('app', appEnv('worker'), logFile, profileArgs)));
    await worker.stop();
    if (OPTS.burstOnly) {
      process.stdout.write(`${JSON.stringify({ benchmark: 'webhooks', cpus: cpus().length, options: OPTS, burst: burstFigures })}\n`);
      return;
    }

    const ratio = (x: number, y: number) => Number((x / y).toFixed(2));
    const summary = {
      benchmark: 'webhooks',
      cpus: cpus().length,
      options: OPTS,
      throughput,
      fixedRate: { offered: OPTS.rate, a: fixedRate.a, b: fixedRate.b, c: fixedRate.c },
      fsync,
      ratios: { bOverA: ratio(throughput.b.rps, throughput.a.rps), cOverA: ratio(throughput.c.rps, throughput.a.rps), cOverB: ratio(throughput.c.rps, throughput.b.rps) },
      burst: burstFigures,
      targets: {
        cOverBAtLeast1_5: throughput.c.rps / throughput.b.rps >= 1.5,
        p99AtRateAtMost10ms: (fixedRate.c?.p99 ?? Infinity) <= 10,
        burstWithin30s: burstFigures.complete && burstFigures.drainSeconds <= 30,
      },
    };

    const fmt = (f?: LoadFigures) => (f ? [String(f.rps), f.p50.toFixed(1), f.p99.toFixed(1), String(f.non2xx + f.errors)] : ['-', '-', '-', '-']);
    const out = [
      '',
      `Webhook ingest benchmark — ${summary.cpus} CPUs, ${OPTS.connections} connections, ${OPTS.duration}s per throughput run`,
      table([
        ['target', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx+err', `@${OPTS.rate}/s p50 ms`, `@${OPTS.rate}/s p99 ms`],
        ...(['a', 'b', 'c'] as Target[]).map((t) => {
          const load = fmt(throughput[t]);
          const fixed = fmt(fixedRate[t]);
          return [`(${t}) ${TARGETS[t]}`, ...load, fixed[1], fixed[2]];
        }),
      ]),
      '',
      table([
        ['figure', 'value', 'target', 'met'],
        ['b/a (baseline vs ceiling)', String(summary.ratios.bOverA), '-', '-'],
        ['c/a (Conversa vs ceiling)', String(summary.ratios.cOverA), '-', '-'],
        ['c/b (Conversa vs baseline)', String(summary.ratios.cOverB), '>= 1.5', summary.targets.cOverBAtLeast1_5 ? 'yes' : 'NO'],
        [`p99 of (c) at ${OPTS.rate} req/s`, `${fixedRate.c!.p99.toFixed(1)} ms`, '<= 10 ms', summary.targets.p99AtRateAtMost10ms ? 'yes' : 'NO'],
        [`p99 of (b) at ${OPTS.rate} req/s`, `${fixedRate.b!.p99.toFixed(1)} ms`, '-', '-'],
        [`p99 of (a) at ${OPTS.rate} req/s (measurement floor)`, `${fixedRate.a!.p99.toFixed(1)} ms`, '-', '-'],
        ['disk flush p99.9 / max (durability floor)', `${fsync!.p999} / ${fsync!.max} ms`, '-', '-'],
        [`burst: ${OPTS.burst} events posted`, `${burstFigures.postSeconds} s (${burstFigures.postRps}/s)`, '-', '-'],
        ['burst: worker drain (after boot)', `${burstFigures.drainSeconds} s (${burstFigures.eventsPerSecond} events/s)`, '<= 30 s', summary.targets.burstWithin30s ? 'yes' : 'NO'],
        ['burst: worker boot', `${burstFigures.workerBootSeconds} s`, '-', '-'],
        ['burst: processed / failed', `${burstFigures.processed} / ${burstFigures.failed}`, `${OPTS.burst} / 0`, burstFigures.processed === OPTS.burst ? 'yes' : 'NO'],
        ['burst: inbound message rows', `${burstFigures.inboundMessages}`, `${burstFigures.expectedInbound}`, burstFigures.inboundMessages === burstFigures.expectedInbound ? 'yes' : 'NO'],
        ['burst: seeded messages now read', `${burstFigures.statusesApplied}`, `${burstFigures.expectedStatusesApplied}`, burstFigures.statusesApplied === burstFigures.expectedStatusesApplied ? 'yes' : 'NO'],
        ['burst: contacts / conversations', `${burstFigures.contacts} / ${burstFigures.conversations}`, `${OPTS.senders} / ${OPTS.senders}`, '-'],
      ]),
      '',
    ].join('\n');
    process.stdout.write(`${out}\n`);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    for (const child of children) await child.stop().catch(() => undefined);
    await db.end().catch(() => undefined);
    await database.drop().catch((error: unknown) => log(`could not drop ${database.name}: ${(error as Error).message}`));
    await deleteQueueKeys(TEST_REDIS_URL, queuePrefix).catch(() => undefined);
    await deleteQueueKeys(TEST_REDIS_URL, naivePrefix).catch(() => undefined);
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    writeSync(2, `${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
