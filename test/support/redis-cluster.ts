import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { waitForPort } from './redis-server';

const run = promisify(execFile);

/**
 * A throwaway Redis Cluster of three masters (no replicas) on loopback, in a temp directory: each node's
 * cluster bus gets an explicit port too (`busOffset` above its data port), so every port stays in a known range.
 */
export class ScratchRedisCluster {
  private readonly processes: ChildProcess[] = [];
  private dir = '';

  constructor(
    readonly ports: number[],
    private readonly busOffset = 10,
  ) {}

  get url(): string {
    return `redis+cluster://${this.ports.map((port) => `127.0.0.1:${port}`).join(',')}`;
  }

  async start(timeoutMs = 20_000): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'conversa-cluster-'));
    for (const port of this.ports) this.processes.push(spawn('redis-server', this.serverArgs(port), { stdio: 'ignore' }));
    await Promise.all(this.ports.map((port) => waitForPort(port, true)));
    const nodes = this.ports.map((port) => `127.0.0.1:${port}`);
    await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], { timeout: timeoutMs });
    await this.waitUntilOk(timeoutMs);
  }

  async stop(): Promise<void> {
    for (const child of this.processes.splice(0)) child.kill('SIGKILL');
    await Promise.all(this.ports.map((port) => waitForPort(port, false)));
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  private serverArgs(port: number): string[] {
    return [
      ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir],
      ...['--cluster-enabled', 'yes', '--cluster-config-file', join(this.dir, `nodes-${port}.conf`), '--cluster-port', String(port + this.busOffset)],
    ];
  }

  /** Every node must report `cluster_state:ok`: until then a node answers CLUSTERDOWN. */
  private async waitUntilOk(timeoutMs: number): Promise<void> {
    const clients = this.ports.map((port) => new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1 }));
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        const infos = await Promise.all(clients.map((client) => client.cluster('INFO') as Promise<string>));
        if (infos.every((info) => info.includes('cluster_state:ok'))) return;
        if (Date.now() > deadline) throw new Error('Redis Cluster did not reach cluster_state:ok');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      for (const client of clients) client.disconnect();
    }
  }
}
