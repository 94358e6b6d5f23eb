import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';

export const MAIN_JS = resolve(__dirname, '../../dist/src/entrypoints/main.js');
const LOG_TAIL = 40;
const live = new Set<ChildProcess>();
// No orphans if the test runner exits without its afterAll (a crash, a forced exit).
process.once('exit', () => live.forEach((child) => child.kill('SIGKILL')));

/** One Conversa OS process running the built app (`node dist/src/entrypoints/main.js`) with its own environment. */
export class AppProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<unknown> = Promise.resolve();
  /** The last lines it wrote (stdout and stderr), shown when a test fails; everything goes to `logFile`. */
  readonly tail: string[] = [];
  readonly logFile: string;
  private readonly log: WriteStream;
  private readonly cwd: string;
  starts = 0;

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
    /** The port answering /health/live: PORT for api, HEALTH_PORT otherwise. */
    readonly healthPort: number,
    /** Holds its log and its working directory. */
    logDir: string,
  ) {
    this.cwd = join(logDir, name);
    mkdirSync(this.cwd, { recursive: true });
    this.logFile = join(logDir, `${name}.log`);
    this.log = createWriteStream(this.logFile, { flags: 'a' });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    // A directory of its own: no developer .env is read, media lands in a throwaway place.
    const child = spawn(process.execPath, [MAIN_JS], {
      cwd: this.cwd,
      env: { PATH: process.env.PATH ?? '', MEDIA_DIR: join(this.cwd, 'media'), ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts += 1;
    live.add(child);
    this.exited = once(child, 'exit').catch(() => undefined).finally(() => live.delete(child));
    const record = (chunk: Buffer) => {
      this.log.write(chunk);
      for (const line of chunk.toString('utf8').split('\n')) if (line) this.tail.push(`[${this.name}#${this.starts}] ${line}`);
      this.tail.splice(0, Math.max(0, this.tail.length - LOG_TAIL));
    };
    child.stdout?.on('data', record);
    child.stderr?.on('data', record);
    await this.waitLive(timeoutMs);
  }

  /** SIGKILL: no shutdown hooks, in-flight jobs are left to BullMQ's stalled-job recovery. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill(signal);
    await this.exited;
  }

  /** SIGTERM and wait; SIGKILL if it does not stop in time. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (!this.running) return;
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), timeoutMs);
    this.child?.kill('SIGTERM');
    await this.exited;
    clearTimeout(timer);
  }

  closeLog(): Promise<void> {
    return new Promise((resolve) => this.log.end(resolve));
  }

  private async waitLive(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited during start:\n${this.tail.join('\n')}`);
      const ok = await fetch(`http://127.0.0.1:${this.healthPort}/health/live`).then((r) => r.ok, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name} did not become live on ${this.healthPort} in ${timeoutMs} ms:\n${this.tail.join('\n')}`);
  }
}
