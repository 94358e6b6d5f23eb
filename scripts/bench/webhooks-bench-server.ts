/**
 * Child process of the webhooks benchmark (forked by webhooks.bench.ts; not meant to be run by hand).
 * Modes:
 *   ceiling — bare node:http, verifies the Meta signature, answers 200 (the ceiling);
 *   naive   — bare node:http, verifies, one INSERT … ON CONFLICT DO NOTHING, one BullMQ add per request;
 *   app     — Conversa itself (roles from APP_ROLES), configured from the environment.
 * Reports `{ ready, port }` over IPC, answers 'loop-stats' with its event-loop delay since the last one, stops on 'stop'.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Pool } from 'pg';
import { createRootLogger } from '../../src/common/logging/logger';
import { loadConfig } from '../../src/config/app-config';
import { createApplication } from '../../src/entrypoints/http-app';
import { verifyMetaSignature } from '../../src/modules/webhooks/signature/webhook-signature';

type Stop = () => Promise<void>;

const RECEIVED = Buffer.from('{"received":true}');

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body: Buffer | string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

async function ceiling(secret: string): Promise<{ port: number; stop: Stop }> {
  const { server, port } = await listen((req, res) => {
    readBody(req).then(
      (raw) => answer(res, verifyMetaSignature(raw, req.headers['x-hub-signature-256'] as string | undefined, secret) ? 200 : 401, RECEIVED),
      () => answer(res, 400, '{}'),
    );
  });
  return { port, stop: () => closeServer(server) };
}

/** The straightforward durable ingest: store, enqueue, answer — one INSERT and one add per request. */
async function naive(secret: string): Promise<{ port: number; stop: Stop }> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
  const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
  const queue = new Queue('naive-inbound', { connection, prefix: process.env.QUEUE_PREFIX });
  const table = process.env.NAIVE_TABLE ?? 'bench_naive_webhook_event';
  const insert = `INSERT INTO ${table} (provider, idempotency_key, payload) VALUES ('meta', $1, $2::jsonb)
                  ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    if (!verifyMetaSignature(raw, req.headers['x-hub-signature-256'] as string | undefined, secret)) return answer(res, 401, '{}');
    const key = `meta:${createHash('sha256').update(raw).digest('hex')}`;
    const { rows } = await pool.query<{ id: string }>(insert, [key, raw.toString('utf8')]);
    if (rows[0]) {
      await queue.add('webhooks.process-event', { webhookEventId: rows[0].id }, { jobId: `webhooks-process-event-${rows[0].id}`, attempts: 8, removeOnComplete: true });
    }
    answer(res, 200, RECEIVED);
  };
  const { server, port } = await listen((req, res) => {
    handle(req, res).catch(() => answer(res, 503, '{}'));
  });
  return {
    port,
    stop: async () => {
      await closeServer(server);
      await queue.close();
      connection.disconnect();
      await pool.end();
    },
  };
}

async function app(): Promise<{ port: number; stop: Stop }> {
  const config = loadConfig(process.env as Record<string, string>, '.env.bench-nonexistent');
  const application = await createApplication(config, createRootLogger(config.LOG_LEVEL));
  let port = 0;
  if (config.hasRole('api')) {
    const http = application as INestApplication;
    await http.listen(0, '127.0.0.1');
    port = (http.getHttpServer().address() as { port: number }).port;
  }
  return { port, stop: () => application.close() };
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  const secret = process.env.META_APP_SECRET ?? '';
  const started = Date.now();
  const server = mode === 'ceiling' ? await ceiling(secret) : mode === 'naive' ? await naive(secret) : mode === 'app' ? await app() : null;
  if (!server) throw new Error(`unknown mode ${mode}`);
  // How long this process's event loop was late (ms), between two 'loop-stats' requests: where a latency tail comes from.
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  process.on('message', (message) => {
    if (message === 'loop-stats') {
      const ms = (ns: number) => Number((ns / 1e6).toFixed(1));
      process.send!({ loop: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) } });
      loop.reset();
      return;
    }
    if (message !== 'stop') return;
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  // The parent going away must not leave this process behind.
  process.on('disconnect', () => process.exit(0));
  process.send!({ ready: true, port: server.port, bootMs: Date.now() - started, readyAt: Date.now() });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
