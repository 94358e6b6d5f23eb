/**
 * Outbound benchmark: bulk requests → queue → provider (the Graph simulator on loopback, status webhooks off).
 * Boots the app in-process on a throwaway database and BullMQ prefix, stops by itself, cleans up.
 * Reports accepted/s at the API, sent/s at the provider, the busiest 1-second window against the account
 * limit, and duplicates (simulator outbox grouped by biz_opaque_callback_data = message id).
 * Usage: npm run bench:outbound [-- --fast-count 20000 --slow-count 1200]
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeSync } from 'node:fs';
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
const DEADLINE_MS = 240_000;

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function maxPerSecond(entries: OutboxEntry[]): number {
  const times = entries.map((e) => e.receivedAt.getTime()).sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
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
  const phones = Array.from({ length: count }, (_, i) => `+569${seed}${String(i).padStart(7, '0')}`);
  const apiStart = Date.now();
  for (let i = 0; i < phones.length; i += REQUEST_SIZE) {
    const recipients = phones.slice(i, i + REQUEST_SIZE).map((to, j) => ({ to, variables: [`n${i + j}`] }));
    await http(app).post('/api/v1/messages/bulk').set('Authorization', `Bearer ${tenant.token}`).send({ type: 'template', template: { name: 'bench_hello', language: 'es' }, recipients }).expect(202);
  }
  const apiMs = Date.now() - apiStart;
  const mine = () => outbox.filter((e) => e.phoneNumberId === tenant.account.phoneNumberId);
  const deadline = Date.now() + DEADLINE_MS;
  while (mine().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  await new Promise((r) => setTimeout(r, 1000));
  const entries = mine();
  const times = entries.map((e) => e.receivedAt.getTime()).sort((a, b) => a - b);
  const sendSeconds = times.length > 1 ? (times[times.length - 1] - times[0]) / 1000 : 0;
  const ids = entries.map((e) => String(e.body.biz_opaque_callback_data));
  const [{ failed }] = await app.dataSource.query(`SELECT count(*) FILTER (WHERE status = 'failed')::int AS failed FROM message WHERE whatsapp_account_id = $1`, [tenant.account.id]);
  return {
    limitPerSecond: limit,
    messages: count,
    acceptedPerSecondAtApi: Math.round((count / apiMs) * 1000),
    sentAtProvider: entries.length,
    sentPerSecondAtProvider: sendSeconds > 0 ? Math.round(entries.length / sendSeconds) : null,
    busiestOneSecondWindow: maxPerSecond(entries),
    observedVsLimit: sendSeconds > 0 ? Number((entries.length / sendSeconds / limit).toFixed(3)) : null,
    endToEndSeconds: Number(((times[times.length - 1] - apiStart) / 1000).toFixed(1)),
    duplicates: ids.length - new Set(ids).size,
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
    app = await createTestApp({
      databaseUrl: databaseUrl(name),
      queuePrefix,
      env: { META_GRAPH_BASE_URL: sim.url, DB_MIGRATIONS_RUN: 'true', APP_ROLES: 'api,worker', WORKER_CONCURRENCY: '64', LOG_LEVEL: 'error' },
    });
    const results = [];
    for (const [i, s] of SCENARIOS.entries()) results.push(await runScenario(app, sim.simulator.outbox, s.limit, s.count, i + 1));
    console.log(JSON.stringify({ benchmark: 'outbound', cpus: (await import('node:os')).cpus().length, results }, null, 2));
  } finally {
    await app?.app.close();
    await sim.close();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    await deleteQueueKeys(TEST_REDIS_URL, queuePrefix);
  }
}

process.on('exit', (code) => writeSync(2, `outbound bench exit ${code}\n`));
main().catch((error: unknown) => {
  writeSync(2, `${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
