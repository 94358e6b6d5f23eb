import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Cluster, type Redis } from 'ioredis';
import { createRedisClient } from '../../src/common/redis/redis-client';
import { DataSource } from 'typeorm';
import { createRootLogger } from '../../src/common/logging/logger';
import { type AppConfig, loadConfig } from '../../src/config/app-config';
import { createApplication } from '../../src/entrypoints/http-app';
import { JobProducer } from '../../src/queues/job-producer.service';
import { ALL_QUEUES } from '../../src/queues/queue-names';
import { createTestDatabase } from './test-database';
import { baseTestEnv } from './test-env';

export interface TestApp {
  app: INestApplication | INestApplicationContext;
  /** `http://127.0.0.1:<port>` when the api role runs. */
  baseUrl: string;
  config: AppConfig;
  dataSource: DataSource;
  databaseUrl: string;
  queuePrefix: string;
  /** Every log line the app wrote (JSON strings), for assertions about what never reaches logs. */
  logs: string[];
  get<T>(token: new (...args: never[]) => T): T;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Reuse a database (e.g. a second process role on the same data); default: a fresh clone. */
  databaseUrl?: string;
  queuePrefix?: string;
}

/** Boots the real application in-process on a real port, with its own database and BullMQ prefix. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.databaseUrl ? undefined : await createTestDatabase();
  const databaseUrl = options.databaseUrl ?? database!.url;
  const queuePrefix = options.queuePrefix ?? `{conversa-t-${randomBytes(4).toString('hex')}}`;
  const env: Record<string, string> = { ...baseTestEnv(), DATABASE_URL: databaseUrl, QUEUE_PREFIX: queuePrefix, PORT: '0', ...options.env };
  const config = loadConfig(env, '.env.test-nonexistent');
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createRootLogger(env.LOG_LEVEL === 'silent' ? 'debug' : env.LOG_LEVEL, sink);
  const app = await createApplication(config, logger);
  let baseUrl = '';
  if (config.hasRole('api')) {
    const http = app as INestApplication;
    await http.listen(config.PORT, '127.0.0.1');
    const address = http.getHttpServer().address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}`;
  }
  return {
    app,
    baseUrl,
    config,
    dataSource: app.get(DataSource),
    databaseUrl,
    queuePrefix,
    logs,
    get: (token) => app.get(token),
    close: async () => {
      await app.close();
      if (database) {
        await database.drop();
        await deleteQueueKeys(config.REDIS_URL, queuePrefix);
      }
    },
  };
}

/** Waits until no queue has waiting, active, delayed or prioritized jobs. */
export async function drainQueues(testApp: TestApp, timeoutMs = 20000): Promise<void> {
  const jobs = testApp.get(JobProducer);
  const deadline = Date.now() + timeoutMs;
  let quietRounds = 0;
  while (Date.now() < deadline) {
    const counts = await Promise.all(
      ALL_QUEUES.map((queue) => jobs.queue(queue).getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')),
    );
    const pending = counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
    // Two quiet rounds in a row: a handler may enqueue follow-up jobs just as the first round reads zero.
    quietRounds = pending === 0 ? quietRounds + 1 : 0;
    if (quietRounds >= 2) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('Queues did not drain in time');
}

export async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const client = createRedisClient(redisUrl, { maxRetriesPerRequest: 1 });
  // SCAN walks one node: on a cluster, walk every master (the prefix's hash tag puts its keys on one of them).
  const nodes: Redis[] = client instanceof Cluster ? await mastersOf(client) : [client];
  try {
    for (const node of nodes) {
      const stream = node.scanStream({ match: `${prefix}*`, count: 500 });
      for await (const keys of stream as AsyncIterable<string[]>) {
        if (keys.length) await client.unlink(...keys);
      }
    }
  } finally {
    client.disconnect();
  }
}

async function mastersOf(cluster: Cluster): Promise<Redis[]> {
  if (cluster.status !== 'ready') await new Promise((resolve, reject) => cluster.once('ready', resolve).once('error', reject));
  return cluster.nodes('master');
}

/** Polls until `check` returns a truthy value. */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 10000, label = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
