/**
 * Outbound benchmark: bulk requests → queue → provider (the Graph simulator on loopback, status webhooks off).
 * Boots the app in-process on a throwaway database and BullMQ prefix, stops by itself, cleans up.
 * Reports accepted/s at the API, sent/s at the provider (whole run, and the steady middle 80 %), the busiest
 * 1-second window against the account limit, and duplicates (simulator outbox grouped by
 * biz_opaque_callback_data = message id, and by recipient). On failure it prints the error and the app's
 * last error log lines (the app logs into an in-memory buffer).
 * Usage: npm run bench:outbound [-- --fast-count 20000 --slow-count 1200 --concurrency 64 --existing-contacts]
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeSync } from 'node:fs';
import { cpus } from 'node:os';
import { Client } from 'pg';
import { createTenant } from '../../test/factories/tenant.factory';
import { http } from '../../test/support/http';
import { createTestApp, deleteQueueKeys, type TestApp } from '../../test/support/test-app';
import { TEST_PG_ADMIN_URL, TEST_REDIS_URL, databaseUrl } from '../../test/support/test-env';
import { TemplateCategory } from '../../src/database/entities/enums';
import { MessageTemplate } from '../../src/database/entities/message-template.entity';
import type { OutboxEntry } from '../../src/modules/whatsapp/sandbox/graph-simulator.types';
import { startGraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';

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

function maxPerSecond(times: number[]): number {
  let max = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

/** Rate over the middle 80 % of the sends (no ramp-up, no tail). */
function steadyPerSecond(times: number[]): number | null {
  const from = Math.floor(times.length * 0.1);
  const to = Math.ceil(times.length * 0.9) - 1;
  const span = times[to] - times[from];
  return span > 0 ? Math.round(((to - from) / span) * 1000) : null;
}

function duplicates(values: string[]): number {
  return values.length - new Set(values).size;
}

async function runScenario(app: TestApp, outbox: OutboxEntry[], limit: number, count: number, seed: number) {
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
  const apiStart = Date.now();
  for (let i = 0; i < to.length; i += REQUEST_SIZE) {
    const recipients = to.slice(i, i + REQUEST_SIZE).map((phone, j) => ({ to: phone, variables: [`n${i + j}`] }));
    const response = await http(app).post('/api/v1/messages/bulk').set('Authorization', `Bearer ${tenant.token}`).send({ type: 'template', template: { name: 'bench_hello', language: 'es' }, recipients });
    if (response.status !== 202) throw new Error(`bulk request ${i / REQUEST_SIZE + 1} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 500)}`);
  }
  const apiMs = Date.now() - apiStart;
  const mine = () => outbox.filter((e) => e.phoneNumberId === tenant.account.phoneNumberId);
  const deadline = Date.now() + DEADLINE_MS;
  let lastTrace = 0;
  while (mine().length < count && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    if (process.env.BENCH_TRACE && Date.now() - lastTrace > 1000) {
      lastTrace = Date.now();
      const [{ n, q }] = await app.dataSource.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'queued')::int AS q FROM message WHERE whatsapp_account_id = $1`, [tenant.account.id]);
      say(`t=${((Date.now() - apiStart) / 1000).toFixed(1)}s rows=${n} queued=${q} sent=${mine().length}`);
    }
  }
  await new Promise((r) => setTimeout(r, 1000));
  const entries = mine();
  const times = entries.map((e) => e.receivedAt.getTime()).sort((a, b) => a - b);
  const sendSeconds = times.length > 1 ? (times[times.length - 1] - times[0]) / 1000 : 0;
  const sentPerSecond = sendSeconds > 0 ? (entries.length - 1) / sendSeconds : null;
  const [{ failed }] = await app.dataSource.query(`SELECT count(*) FILTER (WHERE status = 'failed')::int AS failed FROM message WHERE whatsapp_account_id = $1`, [tenant.account.id]);
  return {
    limitPerSecond: limit,
    messages: count,
    acceptedPerSecondAtApi: Math.round((count / apiMs) * 1000),
    sentAtProvider: entries.length,
    sentPerSecondAtProvider: sentPerSecond === null ? null : Math.round(sentPerSecond),
    steadySentPerSecond: steadyPerSecond(times),
    busiestOneSecondWindow: maxPerSecond(times),
    observedVsLimit: sentPerSecond === null ? null : Number((sentPerSecond / limit).toFixed(3)),
    endToEndSeconds: times.length ? Number(((times[times.length - 1] - apiStart) / 1000).toFixed(1)) : null,
    duplicateMessageIds: duplicates(entries.map((e) => String(e.body.biz_opaque_callback_data))),
    duplicateRecipients: duplicates(entries.map((e) => String(e.body.to))),
    failed,
    completed: entries.length >= count,
  };
}

async function main(): Promise<void> {
  const name = `conversa_bench_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const queuePrefix = `{conversa-bench-${randomBytes(4).toString('hex')}}`;
  const sim = await startGraphSimulatorServer();
  let app: TestApp | undefined;
  try {
    say(`booting the app (database ${name}, migrations run at boot)`);
    app = await createTestApp({
      databaseUrl: databaseUrl(name),
      queuePrefix,
      env: { META_GRAPH_BASE_URL: sim.url, DB_MIGRATIONS_RUN: 'true', APP_ROLES: 'api,worker', OUTBOUND_CONCURRENCY: String(arg('concurrency', 64)), LOG_LEVEL: 'error' },
    });
    const results = [];
    for (const [i, s] of SCENARIOS.entries()) {
      say(`scenario: ${s.count} messages at ${s.limit}/s`);
      results.push(await runScenario(app, sim.simulator.outbox, s.limit, s.count, i + 1));
      say(JSON.stringify(results[results.length - 1]));
    }
    console.log(JSON.stringify({ benchmark: 'outbound', cpus: cpus().length, results }, null, 2));
  } catch (error) {
    say(`${error instanceof Error ? error.stack : String(error)}`);
    if (app) say(`last app log lines:\n${app.logs.slice(-20).join('')}`);
    throw error;
  } finally {
    await cleanup(async () => app?.app.close());
    await cleanup(() => sim.close());
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
