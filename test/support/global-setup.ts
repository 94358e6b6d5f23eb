import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { TEMPLATE_DB, TEST_PG_ADMIN_URL, databaseUrl } from './test-env';

/** Once per run: a freshly migrated template database that every test file clones. */
export default async function globalSetup(): Promise<void> {
  const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [TEMPLATE_DB]);
    await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}"`);
    await admin.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
    // Clean up clones left by interrupted runs.
    const stale = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'conversa\\_t\\_%'`);
    for (const { datname } of stale.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  const dataSource = new DataSource(dataSourceOptions(databaseUrl(TEMPLATE_DB)));
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
}
