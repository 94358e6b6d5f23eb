import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase } from '../../support/test-database';
import { deleteQueueKeys } from '../../support/test-app';
import { baseTestEnv, TEST_REDIS_URL } from '../../support/test-env';

const ROOT = resolve(__dirname, '../../..');
const REAL_PORT = 7590;
const ENV_FILE_PORT = 7591;

/** A scratch project that shares the sources but has its own .env and dist, so the repository's stay untouched. */
function scratchProject(envFile: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'conversa-start-'));
  for (const name of ['src', 'migrations', 'scripts', 'web', 'node_modules']) symlinkSync(join(ROOT, name), join(dir, name));
  for (const name of ['package.json', 'tsconfig.json', 'tsconfig.build.json']) copyFileSync(join(ROOT, name), join(dir, name));
  writeFileSync(join(dir, '.env'), envFile);
  return dir;
}

async function answers(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** The first of the two ports to answer; rejects when the script exits first or the deadline passes. */
async function firstAnsweringPort(child: ChildProcess, output: () => string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output()}`);
    for (const port of [REAL_PORT, ENV_FILE_PORT]) if (await answers(port)) return port;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`npm start answered on neither port within ${timeoutMs} ms:\n${output()}`);
}

describe('npm start (scripts/start.sh)', () => {
  it('serves on the PORT of the real environment when .env names another port', async () => {
    const database = await createTestDatabase();
    const queuePrefix = `{conversa-t-${randomBytes(4).toString('hex')}}`;
    const env = { ...baseTestEnv(), DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: queuePrefix, APP_ROLES: 'api' };
    // .env.example plus a port of its own and services that do not exist: each would win if .env overrode the environment.
    const dotenv = `${readFileSync(join(ROOT, '.env.example'), 'utf8')}\nPORT=${ENV_FILE_PORT}\nDATABASE_URL=postgres://postgres@127.0.0.1:1/none\nREDIS_URL=redis://127.0.0.1:2\n`;
    const project = scratchProject(dotenv);
    let output = '';
    const child = spawn('npm', ['start', '--silent'], {
      cwd: project,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? project, ...env, PORT: String(REAL_PORT) },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => (output += String(chunk)));
    child.stderr?.on('data', (chunk) => (output += String(chunk)));
    try {
      expect(await firstAnsweringPort(child, () => output, 150_000)).toBe(REAL_PORT);
      expect(await answers(ENV_FILE_PORT)).toBe(false);
    } finally {
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        process.kill(-child.pid!, 'SIGTERM');
        await exited;
      }
      rmSync(project, { recursive: true, force: true });
      await database.drop();
      await deleteQueueKeys(TEST_REDIS_URL, queuePrefix);
    }
  }, 180_000);
});
