import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../../src/database/data-source-options';
import { createEmptyDatabase } from '../../support/test-database';

describe('migrations', () => {
  let database: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createEmptyDatabase();
    dataSource = await new DataSource(dataSourceOptions(database.url)).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  const tables = async () =>
    (await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'typeorm_migrations' ORDER BY 1`)).map(
      (r: { table_name: string }) => r.table_name,
    );

  it('runs up, all the way down, and up again on an empty database', async () => {
    const applied = await dataSource.runMigrations();
    expect(applied.length).toBeGreaterThanOrEqual(2);
    const created = await tables();
    for (const table of ['organization', 'user', 'api_key', 'whatsapp_account', 'contact', 'conversation', 'message', 'webhook_event', 'message_template', 'campaign', 'campaign_recipient', 'agent_run']) {
      expect(created).toContain(table);
    }
    for (let i = 0; i < applied.length; i += 1) await dataSource.undoLastMigration();
    expect(await tables()).toEqual([]);
    const types = await dataSource.query(`SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'`);
    expect(types).toEqual([]);
    await dataSource.runMigrations();
    expect(await tables()).toEqual(created);
  });

  it('leaves nothing for migration:generate to add: the entities and the schema agree', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('maintains the search vector with accents folded', async () => {
    await dataSource.query(`INSERT INTO organization (name, slug) VALUES ('o', 'o')`);
    const [{ v }] = await dataSource.query(`SELECT conversa_search_vector('Declaración mensual de IVA') @@ websearch_to_tsquery('spanish', conversa_unaccent('declaracion')) AS v`);
    expect(v).toBe(true);
  });
});
