import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'dotenv';

const ROOT = resolve(__dirname, '../../..');

/** Starts the real entry point in a directory without a .env, with the given environment. */
function boot(env: Record<string, string>) {
  return spawnSync(process.execPath, ['-r', join(ROOT, 'node_modules/ts-node/register'), join(ROOT, 'src/entrypoints/main.ts')], {
    cwd: mkdtempSync(join(tmpdir(), 'conversa-boot-')),
    env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...env },
    encoding: 'utf8',
    timeout: 60000,
  });
}

const base = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'x'.repeat(40),
  ENCRYPTION_KEY: '00'.repeat(32),
  ADMIN_PASSWORD: 'long-enough',
};

describe('boot', () => {
  it('stops with a message naming a missing or malformed variable', () => {
    const { DATABASE_URL: _omitted, ...withoutDatabase } = base;
    const result = boot({ ...withoutDatabase, PORT: 'not-a-port' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL');
    expect(result.stderr).toContain('PORT');
  });

  it('fails fast with one clear line when PostgreSQL or Redis is unreachable', () => {
    const result = boot({ ...base, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x', REDIS_URL: 'redis://127.0.0.1:2' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/PostgreSQL is not reachable at 127\.0\.0\.1:1/);
    expect(result.stderr).toMatch(/Redis is not reachable at 127\.0\.0\.1:2/);
  });

  it('refuses to start in production with the .env.example JWT_SECRET and ENCRYPTION_KEY', () => {
    const example = parse(readFileSync(join(ROOT, '.env.example')));
    // Unreachable services: should the check be missing, the process stops there instead of starting on shared ones.
    const unreachable = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x', REDIS_URL: 'redis://127.0.0.1:2' };
    const result = boot({ ...base, ...unreachable, NODE_ENV: 'production', JWT_SECRET: example.JWT_SECRET, ENCRYPTION_KEY: example.ENCRYPTION_KEY });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/JWT_SECRET: .*\.env\.example/);
    expect(result.stderr).toMatch(/ENCRYPTION_KEY: .*\.env\.example/);
  });
});
