import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * A hot statement that PostgreSQL parses once per connection instead of on every call (a named prepared
 * statement of node-postgres); the planner still decides per call between a generic and a custom plan.
 * (Forcing generic plans connection-wide was tried: it also applies to TypeORM's unnamed statements, and
 * generic plans of `= ANY($n)` lookups on freshly grown tables scanned a whole organisation's rows.)
 */
export class PreparedStatement {
  private static readonly names = new Set<string>();

  constructor(
    readonly name: string,
    readonly text: string,
  ) {
    // One name, one text: a second statement under a name already prepared on a connection would run the first.
    if (PreparedStatement.names.has(name)) throw new Error(`Prepared statement ${name} is defined twice`);
    PreparedStatement.names.add(name);
  }

  /** Runs on the caller's transaction when `manager` belongs to one, else on a pooled connection (its own transaction). */
  async run<T extends QueryResultRow>(manager: EntityManager, values: unknown[]): Promise<T[]> {
    const runner = manager.queryRunner;
    const client: Pool | PoolClient = runner && !runner.isReleased ? await runner.connect() : (manager.connection.driver as PostgresDriver).master;
    const result = await client.query<T>({ name: this.name, text: this.text, values });
    return result.rows;
  }
}
