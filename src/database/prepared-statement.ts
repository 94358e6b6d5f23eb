import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * A hot statement that PostgreSQL parses and plans once per connection instead of on every call (a named
 * prepared statement of node-postgres). On the webhook and send paths, planning the larger statements cost
 * as much database CPU as running them. The connections use `plan_cache_mode=force_generic_plan`
 * (data-source-options.ts), so the plan is made once, not again for every new set of values.
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
