import { type ChildProcess, spawn } from 'node:child_process';
import { createConnection } from 'node:net';

const running = new Set<ChildProcess>();
// No orphaned redis-server if the test runner exits without its afterAll (a crash, a forced exit).
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/** A private, throwaway redis-server on its own port, so a test can stop and restart "Redis" for real. */
export class ScratchRedis {
  private process: ChildProcess | null = null;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    running.add(child);
    child.once('exit', () => running.delete(child));
    this.process = child;
    await waitForPort(this.port, true);
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = null;
    if (!child) return;
    child.kill('SIGKILL');
    await waitForPort(this.port, false);
  }
}

export async function waitForPort(port: number, open: boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const isOpen = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (isOpen === open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server on ${port} did not ${open ? 'start' : 'stop'}`);
}
