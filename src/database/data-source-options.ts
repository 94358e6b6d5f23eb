import type { DataSourceOptions } from 'typeorm';
import { join } from 'node:path';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { StallSafeClient } from './stall-safe-client';

export interface DatabaseTimeouts {
  statementMs: number;
  lockMs: number;
  idleInTransactionMs: number;
  connectMs: number;
}

/** The client waits this much longer than the server's statement_timeout, so a reachable server answers first. */
const CLIENT_TIMEOUT_MARGIN_MS = 1000;
const KEEPALIVE_DELAY_MS = 10000;

/**
 * Shared by the app, the CLI and the TypeORM CLI (`npm run migration:*`). Without `timeouts` (the TypeORM CLI)
 * statements may run as long as they need, as a migration may.
 */
export function dataSourceOptions(databaseUrl: string, poolSize = 20, timeouts?: DatabaseTimeouts): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: [join(__dirname, '..', '..', 'migrations', '*.{ts,js}')],
    migrationsTableName: 'typeorm_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    uuidExtension: 'pgcrypto',
    extra: { max: poolSize, connectionTimeoutMillis: timeouts?.connectMs ?? 5000, ...(timeouts ? poolTimeouts(timeouts) : {}) },
  };
}

/** node-postgres `Pool`/`Client` options: a stalled network fails queries instead of hanging them. */
function poolTimeouts(timeouts: DatabaseTimeouts): Record<string, unknown> {
  return {
    statement_timeout: timeouts.statementMs,
    lock_timeout: timeouts.lockMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    query_timeout: timeouts.statementMs + CLIENT_TIMEOUT_MARGIN_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    Client: StallSafeClient,
  };
}
