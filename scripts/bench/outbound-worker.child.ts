/**
 * The send worker of the outbound benchmark in its own process (APP_ROLES=worker, WORKER_QUEUES=outbound),
 * as it is deployed: API requests and the bulk fan-out never hold up its event loop. Configured from the
 * environment by outbound.bench.ts; reports ready over IPC, answers `stats` requests with its rate-limit
 * counters and event-loop delay, and stops when the parent disconnects.
 */
import 'reflect-metadata';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { OutboundMetrics } from '../../src/modules/communications/outbound/outbound-metrics.service';
import { createTestApp } from '../../test/support/test-app';

export interface WorkerStats {
  rateLimitWaits: Record<string, number>;
  /** Sends written out more than LATE_DISPATCH_MS after their window check (their window entry was moved). */
  lateDispatches: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

export type WorkerRequest = { type: 'stats'; accountId: string };
export type WorkerReply = { type: 'ready' } | { type: 'stats'; stats: WorkerStats };

async function main(): Promise<void> {
  const app = await createTestApp({ databaseUrl: process.env.DATABASE_URL, queuePrefix: process.env.QUEUE_PREFIX, env: { ...process.env } as Record<string, string> });
  let loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  process.on('message', async (request: WorkerRequest) => {
    const metrics = app.get(OutboundMetrics);
    const waits = (await metrics.rateLimitWaits.get()).values.filter((v) => v.labels.account === request.accountId);
    const late = (await metrics.lateDispatches.get()).values.find((v) => v.labels.account === request.accountId);
    const stats: WorkerStats = {
      rateLimitWaits: Object.fromEntries(waits.map((v) => [String(v.labels.limit), v.value])),
      lateDispatches: late?.value ?? 0,
      eventLoopDelayMs: { p50: Math.round(loopDelay.percentile(50) / 1e6), p99: Math.round(loopDelay.percentile(99) / 1e6), max: Math.round(loopDelay.max / 1e6) },
    };
    loopDelay.disable();
    loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    process.send?.({ type: 'stats', stats } satisfies WorkerReply);
  });
  process.once('disconnect', () => {
    void app.close().then(() => process.exit(0));
  });
  process.send?.({ type: 'ready' } satisfies WorkerReply);
}

void main();
