import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'dotenv';
import { readFileSync } from 'node:fs';
import { EnvironmentVariables, validateEnv } from './env.validation';

export type AppRole = 'api' | 'worker' | 'scheduler';

/**
 * The validated configuration, injectable everywhere. It is built before Nest starts
 * because APP_ROLES decides which modules the process loads.
 */
export class AppConfig extends EnvironmentVariables {
  get roles(): Set<AppRole> {
    return new Set(this.APP_ROLES.split(',').map((r) => r.trim()) as AppRole[]);
  }

  hasRole(role: AppRole): boolean {
    return this.roles.has(role);
  }

  /** Queues this worker consumes; empty WORKER_QUEUES = all. */
  consumesQueue(queue: string): boolean {
    const list = this.WORKER_QUEUES.split(',').filter(Boolean);
    return list.length === 0 || list.includes(queue);
  }

  get encryptionKey(): Buffer {
    const key = this.ENCRYPTION_KEY;
    return Buffer.from(key, /^[0-9a-fA-F]{64}$/.test(key) ? 'hex' : 'base64');
  }

  get llmEnabled(): boolean {
    return Boolean(this.LLM_BASE_URL && this.LLM_API_KEY);
  }
}

/** Reads `.env` if present (real environment variables win), then validates. */
export function loadConfig(overrides: Record<string, string | undefined> = {}, envFile = '.env'): AppConfig {
  const path = resolve(process.cwd(), envFile);
  const fromFile = existsSync(path) ? parse(readFileSync(path)) : {};
  const validated = validateEnv({ ...fromFile, ...process.env, ...overrides });
  return Object.assign(new AppConfig(), validated);
}
