import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const MIGRATIONS_DIR = join(__dirname, '..', '..', 'migrations');
/** Settings shared by the test harness; CI and developers use the same local services. */
export const TEST_PG_ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/1';
/** The migrated template every test file clones; named by a hash of the migrations so concurrent runs share it. */
export function templateDb(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.ts')).sort()) {
    hash.update(file).update(readFileSync(join(MIGRATIONS_DIR, file)));
  }
  return `conversa_template_${hash.digest('hex').slice(0, 12)}`;
}

export function databaseUrl(name: string): string {
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Base environment for an in-process app; tests override per case. */
export function baseTestEnv(): Record<string, string> {
  return {
    NODE_ENV: 'test',
    // No scheduler by default: its repeatable jobs would keep the queues from ever draining.
    APP_ROLES: 'api,worker',
    REDIS_URL: TEST_REDIS_URL,
    JWT_SECRET: 'test-jwt-secret-test-jwt-secret-test-jwt-secret',
    ENCRYPTION_KEY: '1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100',
    ADMIN_EMAIL: 'owner@test.conversa',
    ADMIN_PASSWORD: 'owner-password',
    META_APP_SECRET: 'test-meta-app-secret',
    META_VERIFY_TOKEN: 'test-verify-token',
    KAPSO_WEBHOOK_SECRET: 'test-kapso-secret',
    DB_MIGRATIONS_RUN: 'false',
    LOG_LEVEL: 'silent',
    SANDBOX_STATUS_DELAY_MS: '0',
    AGENTS_DEBOUNCE_MS: '0',
    WEBHOOK_INGEST_BATCH_MS: '0',
    API_RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    SHUTDOWN_TIMEOUT_MS: '10000',
  };
}
