/**
 * Open-loop load at a fixed offered rate: request i is due at start + i / rate, whatever the server is
 * doing, and its latency is counted from when it was due, not from when it was written (so a server
 * stall shows up in every request it delayed: no coordinated omission).
 *
 * autocannon's `overallRate` is not used for this: each of its connections sends its whole per-second
 * quota back-to-back at the start of every second, so "1,000 requests/s" arrives as one burst a second
 * and the percentiles measure the burst. node:http as the client cost ~200 µs of CPU per request on the
 * same two cores as the server; pre-built requests written to keep-alive sockets cost a fraction of it.
 * The generator runs in a process of its own (`pacedLoadInChild`), so the benchmark's large heap of
 * pre-signed bodies cannot pause it.
 */
import { fork } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

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
  /** The generator's own event-loop delay (ms): how much of the latency could be its own. */
  generatorLoopP99: number;
}

export interface PacedLoadJob {
  port: number;
  rate: number;
  durationSeconds: number;
  /** Keep-alive connections; a request due while all are busy waits for one (and that wait counts). */
  connections: number;
  /** Sent in order, cycled if fewer than rate × duration. */
  requests: PacedRequest[];
}

const TICK_MS = 1;
const HEADER_END = Buffer.from('\r\n\r\n');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function encode(request: PacedRequest): Buffer {
  const body = Buffer.from(request.body);
  const headers = Object.entries({ ...request.headers, host: '127.0.0.1', 'content-length': String(body.length) })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return Buffer.concat([Buffer.from(`POST ${request.path} HTTP/1.1\r\n${headers}\r\n`), body]);
}

/** One keep-alive connection carrying one request at a time; answers must have a Content-Length. */
class Connection {
  private received: Buffer = Buffer.alloc(0);
  private onAnswer: ((status: number) => void) | null = null;
  readonly socket: Socket;

  constructor(port: number, onError: (error: Error) => void) {
    this.socket = connect({ host: '127.0.0.1', port, noDelay: true });
    this.socket.on('data', (chunk) => this.read(chunk));
    this.socket.on('error', onError);
    this.socket.on('close', () => this.onAnswer && onError(new Error('connection closed by the server')));
  }

  send(request: Buffer, onAnswer: (status: number) => void): void {
    this.onAnswer = onAnswer;
    this.socket.write(request);
  }

  private read(chunk: Buffer): void {
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
    const headerEnd = this.received.indexOf(HEADER_END);
    if (headerEnd < 0) return;
    const head = this.received.subarray(0, headerEnd).toString('latin1');
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.received.length < headerEnd + 4 + length) return;
    this.received = this.received.subarray(headerEnd + 4 + length);
    const answer = this.onAnswer;
    this.onAnswer = null;
    answer?.(Number(head.slice(9, 12)));
  }
}

export async function pacedLoad(job: PacedLoadJob): Promise<PacedFigures> {
  const total = Math.round(job.rate * job.durationSeconds);
  const encoded = job.requests.map(encode);
  const intervalMs = 1000 / job.rate;
  const latencies: number[] = [];
  let non2xx = 0;
  // On loopback a broken connection is a failed run, not a figure.
  let fail: (error: Error) => void = () => undefined;
  const connections = Array.from({ length: job.connections }, () => new Connection(job.port, (error) => fail(error)));
  await Promise.all(connections.map((c) => new Promise((resolve) => c.socket.once('connect', resolve))));
  const idle = [...connections];
  const due: number[] = [];
  const ownLoop = monitorEventLoopDelay({ resolution: 1 });
  ownLoop.enable();
  const started = performance.now();
  let issued = 0;
  let sent = 0;

  await new Promise<void>((resolve, reject) => {
    fail = reject;
    const dispatch = () => {
      while (idle.length > 0 && due.length > 0) {
        const dueAt = due.shift()!;
        const connection = idle.pop()!;
        connection.send(encoded[sent++ % encoded.length], (status) => {
          latencies.push(performance.now() - dueAt);
          if (status < 200 || status >= 300) non2xx++;
          idle.push(connection);
          if (latencies.length === total) resolve();
          else dispatch();
        });
      }
    };
    const tick = () => {
      const elapsed = performance.now() - started;
      while (issued < total && issued * intervalMs <= elapsed) due.push(started + issued++ * intervalMs);
      dispatch();
      if (issued < total) setTimeout(tick, TICK_MS);
    };
    tick();
  });
  const seconds = (performance.now() - started) / 1000;
  ownLoop.disable();
  for (const connection of connections) connection.socket.destroy();
  latencies.sort((x, y) => x - y);
  const round = (ms: number) => Number(ms.toFixed(1));
  return {
    offered: job.rate,
    completed: latencies.length,
    non2xx,
    errors: 0,
    rps: Math.round((latencies.length - non2xx) / seconds),
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies[latencies.length - 1] ?? 0),
    generatorLoopP99: round(ownLoop.percentile(99) / 1e6),
  };
}

/** `pacedLoad` in a child process of its own. */
export function pacedLoadInChild(job: PacedLoadJob): Promise<PacedFigures> {
  const child = fork(join(__dirname, 'paced-load.child.ts'), [], { execArgv: ['-r', 'ts-node/register/transpile-only'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (figures: PacedFigures) => resolve(figures));
    child.once('exit', (code) => reject(new Error(`paced load generator exited with ${code} before reporting`)));
    child.send(job);
  });
}
