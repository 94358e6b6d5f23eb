import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { AppProcess } from '../support/app-process';
import { freePorts } from '../support/ports';
import { ScratchRedis } from '../support/redis-server';
import { createTestDatabase } from '../support/test-database';
import { baseTestEnv } from '../support/test-env';

/** This suite's loopback port range. */
const PORT_RANGE = [7600, 7699] as const;

/** 2 api, 2 worker and 1 scheduler processes on one PostgreSQL database, one private Redis and a fake Graph API. */
export interface Cluster {
  apis: AppProcess[];
  workers: AppProcess[];
  scheduler: AppProcess;
  redis: ScratchRedis;
  graph: GraphSimulatorServer;
  db: Pool;
  env: Record<string, string>;
  apiUrl(index: number): string;
  /** Where every process's full output is kept (removed by `close` unless `keepLogs`). */
  logDir: string;
  logs(): string;
  close(keepLogs?: boolean): Promise<void>;
}

export async function startCluster(extraEnv: Record<string, string> = {}): Promise<Cluster> {
  const [api1, api2, worker1, worker2, scheduler, redisPort, graphPort] = await freePorts(7, ...PORT_RANGE);
  const redis = new ScratchRedis(redisPort);
  const database = await createTestDatabase();
  const resources: Partial<Cluster> = { redis, logDir: mkdtempSync(join(tmpdir(), 'conversa-distributed-')) };
  try {
    await redis.start();
    const env: Record<string, string> = {
      ...baseTestEnv(),
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `{conversa-d-${randomBytes(4).toString('hex')}}`,
      META_GRAPH_BASE_URL: `http://127.0.0.1:${graphPort}`,
      PUBLIC_BASE_URL: `http://127.0.0.1:${api1}`,
      LOG_LEVEL: 'warn',
      ...extraEnv,
    };
    resources.graph = await startGraphSimulatorServer({
      port: graphPort,
      // Meta's status webhooks for every send, back through the first api process.
      statusWebhook: { url: `http://127.0.0.1:${api1}/webhooks/meta`, appSecret: env.META_APP_SECRET, delaysMs: { sent: 20, delivered: 40, read: null } },
    });
    // PostgreSQL's connections are shared with other test runs: small pools (5 processes, ~30 connections).
    const role = (name: string, roles: string, port: number, pool: number) =>
      new AppProcess(name, { ...env, APP_ROLES: roles, DATABASE_POOL_SIZE: String(pool), ...(roles === 'api' ? { PORT: String(port) } : { HEALTH_PORT: String(port) }) }, port, resources.logDir!);
    resources.apis = [role('api-1', 'api', api1, 4), role('api-2', 'api', api2, 4)];
    resources.workers = [role('worker-1', 'worker', worker1, 10), role('worker-2', 'worker', worker2, 10)];
    resources.scheduler = role('scheduler', 'scheduler', scheduler, 2);
    resources.db = new Pool({ connectionString: database.url, max: 2 });
    resources.env = env;
    // The first api bootstraps the default organisation; the others start together.
    await resources.apis[0].start();
    await Promise.all([resources.apis[1], ...resources.workers, resources.scheduler].map((p) => p.start()));
  } catch (error) {
    await closeAll(resources, database.drop);
    throw error;
  }
  const cluster = resources as Cluster;
  cluster.apiUrl = (index) => `http://127.0.0.1:${cluster.apis[index % cluster.apis.length].healthPort}`;
  cluster.logs = () => [...[...cluster.apis, ...cluster.workers, cluster.scheduler].flatMap((p) => p.tail), `full logs: ${cluster.logDir}`].join('\n');
  cluster.close = (keepLogs = false) => closeAll(cluster, database.drop, keepLogs);
  return cluster;
}

/** Every process is stopped (SIGKILL past its shutdown deadline), then Redis, the fake Graph API and the database go. */
async function closeAll(resources: Partial<Cluster>, dropDatabase: () => Promise<void>, keepLogs = true): Promise<void> {
  const processes = [...(resources.apis ?? []), ...(resources.workers ?? []), ...(resources.scheduler ? [resources.scheduler] : [])];
  await Promise.allSettled(processes.map((p) => p.stop(5_000)));
  await Promise.allSettled(processes.map((p) => p.closeLog()));
  if (!keepLogs && resources.logDir) rmSync(resources.logDir, { recursive: true, force: true });
  await resources.redis?.stop().catch(() => undefined);
  await resources.graph?.close().catch(() => undefined);
  await resources.db?.end().catch(() => undefined);
  await dropDatabase().catch(() => undefined);
}
