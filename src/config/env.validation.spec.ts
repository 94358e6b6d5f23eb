import { parse } from 'dotenv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvValidationError, validateEnv } from './env.validation';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/conversa',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'x'.repeat(40),
  ENCRYPTION_KEY: '00'.repeat(32),
  ADMIN_PASSWORD: 'long-enough',
};

describe('validateEnv', () => {
  it('applies defaults when only the required variables are set', () => {
    const env = validateEnv(valid);
    expect(env).toMatchObject({ PORT: 3000, APP_ROLES: 'api,worker,scheduler', META_GRAPH_BASE_URL: 'https://graph.facebook.com', DB_MIGRATIONS_RUN: true });
  });

  it('names every missing or malformed variable', () => {
    const attempt = () => validateEnv({ ...valid, DATABASE_URL: undefined, PORT: 'eighty', APP_ROLES: 'api,web', ENCRYPTION_KEY: 'short' });
    expect(attempt).toThrow(EnvValidationError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      for (const name of ['DATABASE_URL', 'PORT', 'APP_ROLES', 'ENCRYPTION_KEY']) expect(message).toContain(name);
      expect(message).not.toContain('JWT_SECRET');
    }
  });

  it('treats an empty value as unset, so optional variables stay optional', () => {
    expect(validateEnv({ ...valid, LLM_BASE_URL: '', LLM_API_KEY: '' }).LLM_BASE_URL).toBeUndefined();
    expect(() => validateEnv({ ...valid, JWT_SECRET: '' })).toThrow(/JWT_SECRET/);
  });

  it('turns the sandbox on by default only outside production', () => {
    expect(validateEnv(valid).SANDBOX_ENABLED).toBe(true);
    expect(validateEnv({ ...valid, NODE_ENV: 'test' }).SANDBOX_ENABLED).toBe(true);
    expect(validateEnv({ ...valid, NODE_ENV: 'production' }).SANDBOX_ENABLED).toBe(false);
    expect(validateEnv({ ...valid, NODE_ENV: 'production', SANDBOX_ENABLED: '' }).SANDBOX_ENABLED).toBe(false);
    expect(validateEnv({ ...valid, NODE_ENV: 'production', SANDBOX_ENABLED: 'true' }).SANDBOX_ENABLED).toBe(true);
    expect(validateEnv({ ...valid, SANDBOX_ENABLED: 'false' }).SANDBOX_ENABLED).toBe(false);
  });

  it('parses booleans and numbers from strings', () => {
    expect(validateEnv({ ...valid, DB_MIGRATIONS_RUN: 'false', PORT: '8080' })).toMatchObject({ DB_MIGRATIONS_RUN: false, PORT: 8080 });
  });

  it('accepts a Redis Cluster URL, and on a cluster requires QUEUE_PREFIX to carry a hash tag', () => {
    const cluster = { ...valid, REDIS_URL: 'redis+cluster://127.0.0.1:7000,127.0.0.1:7001' };
    expect(validateEnv(cluster).QUEUE_PREFIX).toBe('{conversa}');
    expect(() => validateEnv({ ...cluster, QUEUE_PREFIX: 'conversa' })).toThrow(/QUEUE_PREFIX must start with a hash tag/);
    expect(validateEnv({ ...valid, QUEUE_PREFIX: 'conversa' }).QUEUE_PREFIX).toBe('conversa');
    expect(() => validateEnv({ ...valid, REDIS_URL: 'redis://a:1,b:2' })).toThrow(/REDIS_URL: .*redis\+cluster/);
  });

  describe('production', () => {
    const example = parse(readFileSync(join(__dirname, '../../.env.example')));

    it('refuses the .env.example JWT_SECRET and ENCRYPTION_KEY (and the other example secrets), naming them', () => {
      const attempt = () => validateEnv({ ...example, NODE_ENV: 'production' });
      expect(attempt).toThrow(EnvValidationError);
      expect(attempt).toThrow(/JWT_SECRET[\s\S]*ENCRYPTION_KEY[\s\S]*ADMIN_PASSWORD[\s\S]*META_APP_SECRET[\s\S]*META_VERIFY_TOKEN[\s\S]*KAPSO_WEBHOOK_SECRET/);
      expect(() => validateEnv({ ...example, NODE_ENV: 'production', ENCRYPTION_KEY: example.ENCRYPTION_KEY.toUpperCase() })).toThrow(/ENCRYPTION_KEY/);
    });

    it('accepts the .env.example values in development and its own secrets in production', () => {
      expect(validateEnv(example).NODE_ENV).toBe('development');
      const ownSecrets = { JWT_SECRET: 'y'.repeat(40), ENCRYPTION_KEY: 'ab'.repeat(32), ADMIN_PASSWORD: 'an-owner-password', META_APP_SECRET: 'app-secret', META_VERIFY_TOKEN: 'verify', KAPSO_WEBHOOK_SECRET: 'kapso' };
      expect(validateEnv({ ...example, NODE_ENV: 'production', ...ownSecrets }).NODE_ENV).toBe('production');
    });
  });
});
