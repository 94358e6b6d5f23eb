/**
 * Inbox read latency through the real HTTP API (app booted in-process, api role only), against a
 * database seeded by scripts/seed-inbox.ts:
 *   DATABASE_URL=… tsx scripts/bench/inbox.bench.ts --email=bench-…@conversa.local [--password=…] [--requests=200]
 * Prints p50/p95/max per scenario and EXPLAIN (ANALYZE, BUFFERS) of the exact SQL each route ran.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createRootLogger } from '../../src/common/logging/logger';
import { loadConfig } from '../../src/config/app-config';
import { createApplication } from '../../src/entrypoints/http-app';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')) as Array<[string, string]>);
const REQUESTS = Number(args.requests ?? 200);
const SEARCH_TERMS = ['reembolso número 4821', 'devolución dañado', '"pedido número 777"', 'boleta electrónica 1234', 'garantía Valparaíso 99'];

interface Captured {
  sql: string;
  params: unknown[];
}

async function main(): Promise<void> {
  const config = loadConfig({ APP_ROLES: 'api', PORT: '0', LOG_LEVEL: 'warn', DB_MIGRATIONS_RUN: 'false', API_RATE_LIMIT_PER_MINUTE: '1000000', LOGIN_RATE_LIMIT_PER_MINUTE: '1000000', QUEUE_PREFIX: `{conversa-bench-${process.pid}}` });
  const app = (await createApplication(config, createRootLogger('warn'))) as INestApplication;
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const dataSource = app.get(DataSource);
  const captured = capture(dataSource);
  try {
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: args.email, password: args.password ?? 'bench-password-123' }),
    });
    if (!login.ok) throw new Error(`login failed: ${login.status}`);
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const get = async (path: string) => {
      const started = performance.now();
      const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await response.json()) as { data: Array<{ id: string }>; nextCursor: string | null };
      if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - started, body };
    };
    let deepCursor: string | null = null;
    for (let page = 0; page < 40; page += 1) deepCursor = (await get(`/api/v1/conversations?limit=25${deepCursor ? `&cursor=${deepCursor}` : ''}`)).body.nextCursor;
    const conversationIds = (await dataSource.query(`SELECT id FROM conversation ORDER BY random() LIMIT $1`, [REQUESTS])).map((r: { id: string }) => r.id);
    const scenarios: Array<[string, (i: number) => string, RegExp]> = [
      ['inbox first page (25)', () => '/api/v1/conversations?limit=25', /WITH keyed/],
      ['inbox page 41 (25, after 1,000 rows)', () => `/api/v1/conversations?limit=25&cursor=${deepCursor}`, /WITH keyed/],
      ['inbox first page, unread + open filter', () => '/api/v1/conversations?limit=25&unread=true&status=open', /WITH keyed/],
      ["conversation's latest 50 messages", (i) => `/api/v1/conversations/${conversationIds[i % conversationIds.length]}/messages?limit=50`, /FROM message m WHERE m.conversation_id/],
      ['search (selective terms)', (i) => `/api/v1/messages/search?q=${encodeURIComponent(SEARCH_TERMS[i % SEARCH_TERMS.length])}`, /WITH tsq/],
      ['search (common word "pedido", first page)', () => '/api/v1/messages/search?q=pedido', /WITH tsq/],
    ];
    const plans: string[] = [];
    for (const [label, path, pattern] of scenarios) {
      for (let i = 0; i < 10; i += 1) await get(path(i));
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i += 1) times.push((await get(path(i))).ms);
      times.sort((x, y) => x - y);
      const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))].toFixed(1);
      process.stdout.write(`${label.padEnd(44)} p50 ${pct(50).padStart(7)} ms   p95 ${pct(95).padStart(7)} ms   max ${times[times.length - 1].toFixed(1).padStart(7)} ms\n`);
      const query = [...captured].reverse().find((c) => pattern.test(c.sql));
      if (query) plans.push(`--- ${label}\n${await explain(dataSource, query)}`);
    }
    process.stdout.write(`\n${plans.join('\n\n')}\n`);
  } finally {
    await app.close();
  }
}

function capture(dataSource: DataSource): Captured[] {
  const log: Captured[] = [];
  const original = dataSource.query.bind(dataSource);
  dataSource.query = (async (sql: string, params?: unknown[]) => {
    log.push({ sql, params: params ?? [] });
    if (log.length > 50) log.shift();
    return original(sql, params);
  }) as typeof dataSource.query;
  return log;
}

async function explain(dataSource: DataSource, query: Captured): Promise<string> {
  const rows: Array<{ 'QUERY PLAN': string }> = await dataSource.query(`EXPLAIN (ANALYZE, BUFFERS) ${query.sql}`, query.params);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
