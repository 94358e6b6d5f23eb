import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `work` only if this process gets the session advisory lock `name` (sweeps that must not overlap
 * across replicas); the lock and its connection are released afterwards. `undefined` when another holder has it.
 */
export async function withTryAdvisoryLock<T>(dataSource: DataSource, name: string, work: (manager: EntityManager) => Promise<T>): Promise<T | undefined> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [name]);
    if (!locked) return undefined;
    try {
      return await work(runner.manager);
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [name]);
    }
  } finally {
    await runner.release();
  }
}

/**
 * Transaction advisory locks for many keys in one round trip, taken in hash order so that two transactions
 * locking overlapping sets never wait on each other in a cycle. Held until the transaction ends.
 */
export function lockAllForTransaction(manager: EntityManager, keys: string[]): Promise<unknown> {
  return manager.query('SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($1::text[]) AS k ORDER BY 1) AS keys', [keys]);
}
