/**
 * Analytics report latency through the real HTTP API (api role in-process) against a database seeded by
 * scripts/seed-inbox.ts: rebuilds the organisation's cycles first (timed), then requests each report:
 *   DATABASE_URL=… ts-node scripts/bench/analytics.bench.ts --email=bench-…@conversa.local [--requests=100]
 * Prints p50/p95/max per report (90 whole days: the seed's whole span) over HTTP and of the service call alone
 * (the queries and their assembly, without the HTTP stack), and the rebuild time.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createRootLogger } from '../../src/common/logging/logger';
import { loadConfig } from '../../src/config/app-config';
import { createApplication } from '../../src/entrypoints/http-app';
import { AnalyticsReportsService } from '../../src/modules/lifecycle/analytics/analytics-reports.service';
import { AnalyticsRollupService } from '../../src/modules/lifecycle/analytics/analytics-rollup.service';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')) as Array<[string, string]>);
const REQUESTS = Number(args.requests ?? 100);

async function main(): Promise<void> {
  const config = loadConfig({ APP_ROLES: 'api', PORT: '0', LOG_LEVEL: 'warn', DB_MIGRATIONS_RUN: 'false', API_RATE_LIMIT_PER_MINUTE: '1000000', LOGIN_RATE_LIMIT_PER_MINUTE: '1000000', QUEUE_PREFIX: `{conversa-bench-${process.pid}}` });
  const app = (await createApplication(config, createRootLogger('warn'))) as INestApplication;
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  try {
    const [{ organization_id: organizationId }] = await app.get(DataSource).query(`SELECT organization_id FROM "user" WHERE email = $1`, [args.email]);
    const started = performance.now();
    const conversations = await app.get(AnalyticsRollupService).rebuild(organizationId);
    process.stdout.write(`rebuild: ${conversations} conversations in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    await app.get(DataSource).query('ANALYZE analytics_cycle');
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: args.email, password: args.password ?? 'bench-password-123' }),
    });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    // Whole UTC days (what the dashboard asks for) over the seed's whole span; the label filter reads the cycles.
    const day = 24 * 3600_000;
    const to = new Date(Math.ceil(Date.now() / day) * day).toISOString();
    const from = new Date(Date.parse(to) - 90 * day).toISOString();
    const range = `from=${from}&to=${to}`;
    const reports = ['overview', 'first-response-distribution', 'agents', 'templates', 'window', 'overview&label=ventas'].map((r) => {
      const [path, extra] = r.split('&');
      return [r, `/api/v1/analytics/${path}?${range}${extra ? `&${extra}` : ''}`] as const;
    });
    const service = app.get(AnalyticsReportsService);
    const query = { from, to };
    const calls: Record<string, () => Promise<unknown>> = {
      overview: () => service.overview(organizationId, query),
      'first-response-distribution': () => service.firstResponseDistribution(organizationId, query),
      agents: () => service.agents(organizationId, query),
      templates: () => service.templates(organizationId, query),
      window: () => service.window(organizationId, query),
      'overview&label=ventas': () => service.overview(organizationId, { ...query, label: 'ventas' }),
    };
    for (const [label, path] of reports) {
      const http = await timed(async () => {
        const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
        await response.text();
        if (!response.ok) throw new Error(`${label}: ${response.status}`);
      });
      const direct = await timed(calls[label]);
      process.stdout.write(`${label.padEnd(30)} HTTP ${http}   service ${direct}\n`);
    }
  } finally {
    await app.close();
  }
}

/** p50/p95/max of REQUESTS sequential calls after 10 warm-up calls. */
async function timed(call: () => Promise<unknown>): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < REQUESTS + 10; i += 1) {
    const t0 = performance.now();
    await call();
    if (i >= 10) times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
  return `p50 ${at(0.5)} ms p95 ${at(0.95)} ms max ${times[times.length - 1].toFixed(1)} ms`;
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
