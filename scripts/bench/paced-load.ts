/**
 * Open-loop load at a fixed offered rate: request i is due at start + i / rate, whatever the server is
 * doing, and its latency is counted from when it was due, not from when it was written (so a server
 * stall shows up in every request it delayed: no coordinated omission).
 *
 * autocannon's `overallRate` is not used for this: each of its connections sends its whole per-second
 * quota back-to-back at the start of every second, so "1,000 requests/s" arrives as one burst a second
 * and the percentiles measure the burst.
 */
import { Agent, request } from 'node:http';

export interface PacedRequest {
  path: string;
  body: string;
  headers: Record<string, string>;
}

export interface PacedFigures {
  offered: number;
  completed: number;
  non2xx: number;
  errors: number;
  /** Requests/s that completed. */
  rps: number;
  /** Milliseconds from when each request was due to its complete answer. */
  p50: number;
  p99: number;
  max: number;
}

const TICK_MS = 1;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function pacedLoad(opts: { port: number; rate: number; durationSeconds: number; maxSockets: number; next: () => PacedRequest }): Promise<PacedFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.maxSockets });
  const total = Math.round(opts.rate * opts.durationSeconds);
  const intervalMs = 1000 / opts.rate;
  const latencies: number[] = [];
  const slow: number[] = [];
  let issued = 0;
  let settled = 0;
  let non2xx = 0;
  let errors = 0;
  const started = performance.now();

  const fire = (dueAt: number, done: () => void) => {
    const { path, body, headers } = opts.next();
    const req = request({ host: '127.0.0.1', port: opts.port, method: 'POST', path, agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => {
        latencies.push(performance.now() - dueAt);
        if (process.env.BENCH_DEBUG && performance.now() - dueAt > 8) slow.push(Math.floor((dueAt - started) / 500));
        if (res.statusCode! < 200 || res.statusCode! >= 300) non2xx++;
        done();
      });
    });
    req.on('error', () => {
      errors++;
      done();
    });
    req.end(body);
  };

  await new Promise<void>((resolve) => {
    const done = () => {
      settled++;
      if (settled === total) resolve();
    };
    const tick = () => {
      const elapsed = performance.now() - started;
      while (issued < total && issued * intervalMs <= elapsed) {
        fire(started + issued * intervalMs, done);
        issued++;
      }
      if (issued < total) setTimeout(tick, TICK_MS);
    };
    tick();
  });
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((x, y) => x - y);
  if (process.env.BENCH_DEBUG) { const c: Record<number, number> = {}; for (const b of slow) c[b] = (c[b] ?? 0) + 1; console.error('slow>8ms per 0.5s', JSON.stringify(c)); }
  const round = (ms: number) => Number(ms.toFixed(1));
  return {
    offered: opts.rate,
    completed: latencies.length,
    non2xx,
    errors,
    rps: Math.round((latencies.length - non2xx) / seconds),
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies[latencies.length - 1] ?? 0),
  };
}
