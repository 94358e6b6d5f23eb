import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { TEST_PG_ADMIN_URL, databaseUrl, templateDb } from './test-env';

/**
 * A migrated template database that every test file clones. Its name carries a hash of the migrations,
 * so concurrent test runs share it safely and a schema change builds a new one.
 */
export default async function globalSetup(): Promise<void> {
  const template = templateDb();
  const admin = new Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`SELECT pg_advisory_lock(hashtext('conversa:test-template'))`);
    await dropStaleClones(admin);
    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [template]);
    if (exists.rowCount === 0) await buildTemplate(admin, template);
  } finally {
    await admin.query(`SELECT pg_advisory_unlock(hashtext('conversa:test-template'))`).catch(() => undefined);
    await admin.end();
  }
}

const TEMPLATE_KEEP_MS = 24 * 60 * 60 * 1000;

async function buildTemplate(admin: Client, template: string): Promise<void> {
  const building = `${template}_building`;
  await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${building}"`);
  const dataSource = new DataSource(dataSourceOptions(databaseUrl(building)));
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
  await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
  await admin.query(`COMMENT ON DATABASE "${template}" IS '${Date.now()}'`);
  // Older templates are left behind by schema changes. A template built in the last day may belong to another
  // checkout (a branch with other migrations) testing at the same time, so only older ones go.
  const old = await admin.query<{ datname: string; built: string | null }>(
    `SELECT d.datname, shobj_description(d.oid, 'pg_database') AS built FROM pg_database d WHERE d.datname LIKE 'conversa\\_template\\_%' AND d.datname <> $1`,
    [template],
  );
  const stale = old.rows.filter((row) => !(Number(row.built) > Date.now() - TEMPLATE_KEEP_MS));
  // Not forced: a concurrent run may still be cloning from an older template.
  for (const { datname } of stale) await admin.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
}

/** Clones are named conversa_t_<pid>_…; drop those whose test process no longer runs. */
async function dropStaleClones(admin: Client): Promise<void> {
  const clones = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'conversa\\_t\\_%'`);
  for (const { datname } of clones.rows) {
    const pid = Number(datname.split('_')[2]);
    if (Number.isInteger(pid) && !isAlive(pid)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
