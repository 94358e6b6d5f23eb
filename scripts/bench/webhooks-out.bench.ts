/**
 * Outbound webhooks benchmark: events committed into the real outbox → relay → BullMQ → signed POSTs to loopback
 * receivers (a child process that verifies every signature with the standardwebhooks package). This process is the
 * worker (APP_ROLES=worker, integrations queue only) on a throwaway database and BullMQ prefix; stops by itself.
 * Phases: a 20,000-event burst (deliveries/s), 500 events/s paced (p50/p99 commit → receipt), the same pace with a
 * receiver failing 30 % of attempts, and with a second endpoint that never answers beside a healthy one.
 * Reports lost events (committed, never acknowledged) and duplicates (acknowledged more than once, by webhook-id).
 * Usage: npm run bench:webhooks-out [-- --burst 20000 --paced-seconds 10 --port-base 8220]
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { writeSync } from 'node:fs';
import { encryptSecret } from '../../src/common/crypto';
import { writeEvents } from '../../src/database/outbox';
import type { NewEvent } from '../../src/domain/events/event-catalogue';
import { generateWebhookSecret } from '../../src/modules/integrations/delivery/webhook-signature';
import globalSetup from '../../test/support/global-setup';
import { createTestApp, type TestApp } from '../../test/support/test-app';
import type { ReceiverMode, ReceiverReport, ReceiverRequest } from './webhook-receiver.child';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const BURST = arg('burst', 20000);
const PACED_SECONDS = arg('paced-seconds', 10);
const RATE = 500;
/** Receivers listen on five ports from here (parallel runs pick their own). */
const PORT_BASE = arg('port-base', 8220);
const PHASE_DEADLINE_MS = 120_000;

const say = (line: string) => writeSync(2, `${line}\n`);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface Phase {
  name: string;
  count: number;
  rate: number | null;
  receivers: Array<{ port: number; mode: ReceiverMode; measured: boolean }>;
}

const PHASES: Phase[] = [
  { name: `burst of ${BURST}`, count: BURST, rate: null, receivers: [{ port: PORT_BASE + 0, mode: 'ok', measured: true }] },
  { name: `${RATE}/s for ${PACED_SECONDS} s`, count: RATE * PACED_SECONDS, rate: RATE, receivers: [{ port: PORT_BASE + 1, mode: 'ok', measured: true }] },
  { name: `${RATE}/s, receiver failing 30 %`, count: RATE * PACED_SECONDS, rate: RATE, receivers: [{ port: PORT_BASE + 2, mode: 'fail30', measured: true }] },
  {
    name: `${RATE}/s, a hanging endpoint beside a healthy one`,
    count: RATE * PACED_SECONDS,
    rate: RATE,
    receivers: [{ port: PORT_BASE + 3, mode: 'hang', measured: false }, { port: PORT_BASE + 4, mode: 'ok', measured: true }],
  },
];

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

class Receivers {
  private readonly child = fork(require.resolve('./webhook-receiver.child'), [], { execArgv: ['-r', 'ts-node/register/transpile-only'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });

  request<T>(message: ReceiverRequest, key: string): Promise<T> {
    return new Promise((done) => {
      const listener = (reply: Record<string, unknown>) => {
        if (!(key in reply)) return;
        this.child.off('message', listener);
        done(reply[key] as T);
      };
      this.child.on('message', listener);
      this.child.send(message);
    });
  }

  close(): void {
    this.child.kill();
  }
}

async function organization(app: TestApp, name: string): Promise<string> {
  const [row] = await app.dataSource.query(`INSERT INTO organization (name, slug) VALUES ($1, $2) RETURNING id`, [name, `bench-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`]);
  return row.id;
}

async function endpoint(app: TestApp, organizationId: string, port: number, secret: string): Promise<void> {
  await app.dataSource.query(`INSERT INTO webhook_endpoint (organization_id, url, events, secret_encrypted) VALUES ($1, $2, '{*}', $3)`, [
    organizationId,
    `http://127.0.0.1:${port}/hook`,
    encryptSecret(secret, app.config.encryptionKey),
  ]);
}

function event(organizationId: string, i: number): NewEvent<'message.received'> {
  const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  return {
    organizationId,
    type: 'message.received',
    conversationId: id,
    data: {
      message: {
        id, conversationId: id, contactId: id, whatsappAccountId: id, direction: 'inbound', type: 'text', status: 'received',
        text: `Hola, quisiera saber el estado de mi pedido número ${i}`, content: { body: 'Hola' }, providerMessageId: `wamid.bench-${i}`, occurredAt: new Date().toISOString(),
      },
    },
  };
}

/** Commits `count` events (batches of 25 every 50 ms at a rate, else batches of 500 back to back); answers commit time by event id. */
async function produce(app: TestApp, organizationId: string, count: number, rate: number | null): Promise<Map<string, number>> {
  const committed = new Map<string, number>();
  const batch = rate ? Math.max(1, Math.round(rate / 20)) : 500;
  const started = Date.now();
  for (let sent = 0; sent < count; sent += batch) {
    const events = Array.from({ length: Math.min(batch, count - sent) }, (_, k) => event(organizationId, sent + k));
    const ids = await app.dataSource.transaction((m) => writeEvents(m, events));
    const at = Date.now();
    for (const id of ids) committed.set(id, at);
    if (rate) {
      const due = started + ((sent + batch) / rate) * 1000;
      if (due > Date.now()) await sleep(due - Date.now());
    }
  }
  return committed;
}

async function runPhase(app: TestApp, receivers: Receivers, phase: Phase, secret: string): Promise<void> {
  const organizationId = await organization(app, phase.name);
  for (const receiver of phase.receivers) await endpoint(app, organizationId, receiver.port, secret);
  const measured = phase.receivers.filter((r) => r.measured).map((r) => r.port);
  const cpuBefore = process.cpuUsage();
  const committed = await produce(app, organizationId, phase.count, phase.rate);
  const deadline = Date.now() + PHASE_DEADLINE_MS;
  let reports: ReceiverReport[];
  for (;;) {
    reports = (await receivers.request<ReceiverReport[]>({ report: true }, 'reports')).filter((r) => phase.receivers.some((p) => p.port === r.port));
    const done = reports.filter((r) => measured.includes(r.port)).every((r) => new Set(r.acked.map(([id]) => id)).size >= phase.count);
    if (done || Date.now() > deadline) break;
    await sleep(250);
  }
  const cpu = process.cpuUsage(cpuBefore);
  say(`  [${phase.name}] this process (relay + delivery worker + producer) used ${((cpu.user + cpu.system) / 1000 / phase.count).toFixed(2)} ms CPU per event`);
  for (const report of reports) {
    const mode = phase.receivers.find((r) => r.port === report.port)!.mode;
    const first = new Map<string, number>();
    let duplicates = 0;
    for (const [id, at] of report.acked) {
      if (first.has(id)) duplicates += 1;
      else first.set(id, at);
    }
    const lost = [...committed.keys()].filter((id) => !first.has(id)).length;
    const latencies = [...first].map(([id, at]) => at - (committed.get(id) ?? at)).sort((a, b) => a - b);
    const times = [...first.values()];
    const span = (Math.max(...times) - Math.min(...committed.values())) / 1000;
    const line =
      mode === 'hang'
        ? `hanging endpoint: ${report.attempts} attempts received (all timed out), ${report.badSignatures} bad signatures`
        : `${mode} endpoint: ${first.size}/${committed.size} delivered, ${(first.size / span).toFixed(0)} deliveries/s, ` +
          `commit→receipt p50 ${percentile(latencies, 50)} ms p99 ${percentile(latencies, 99)} ms, lost ${lost}, duplicates ${duplicates}, ` +
          `attempts ${report.attempts}, bad signatures ${report.badSignatures}`;
    say(`  [${phase.name}] ${line}`);
  }
}

async function main(): Promise<void> {
  await globalSetup();
  const secret = generateWebhookSecret();
  const receivers = new Receivers();
  const setup = PHASES.flatMap((p) => p.receivers.map((r) => ({ port: r.port, mode: r.mode, secret })));
  await receivers.request({ setup }, 'ready');
  const app = await createTestApp({
    env: {
      APP_ROLES: 'worker',
      WORKER_QUEUES: 'integrations',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RETRY_SCHEDULE_MS: '0,50,100,200,400,800,1600,3200,6400,12800',
      WEBHOOK_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'warn',
      // Width and relay settings can be tried from the environment (e.g. WEBHOOK_ENDPOINT_CONCURRENCY=32).
      ...Object.fromEntries(['WEBHOOK_DELIVERY_CONCURRENCY', 'WEBHOOK_ENDPOINT_CONCURRENCY', 'OUTBOX_POLL_INTERVAL_MS'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : []))),
    },
  });
  say(`webhooks-out benchmark: delivery concurrency ${app.config.WEBHOOK_DELIVERY_CONCURRENCY}, per endpoint ${app.config.WEBHOOK_ENDPOINT_CONCURRENCY}, relay poll ${app.config.OUTBOX_POLL_INTERVAL_MS} ms`);
  try {
    for (const phase of PHASES) await runPhase(app, receivers, phase, secret);
  } finally {
    await app.close();
    receivers.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    say(`benchmark failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
