import type { DataSourceOptions } from 'typeorm';
import { join } from 'node:path';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** Shared by the app, the CLI and the TypeORM CLI (`npm run migration:*`). */
export function dataSourceOptions(databaseUrl: string, poolSize = 20): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: [join(__dirname, '..', '..', 'migrations', '*.{ts,js}')],
    migrationsTableName: 'typeorm_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    uuidExtension: 'pgcrypto',
    // Named prepared statements (PreparedStatement) keep one generic plan per connection instead of re-planning on every call
    // (batch statements over arrays never look cheaper generic to the planner). Unnamed statements are planned per call anyway.
    extra: { max: poolSize, connectionTimeoutMillis: 5000, options: '-c plan_cache_mode=force_generic_plan' },
  };
}
