import type { DataSource } from 'typeorm';
import type { Queryable } from './chatwoot-store';

/**
 * The lock every Chatwoot write for one Conversa conversation takes (sync, backfill, reconcile, agent replies): a
 * session-level advisory lock, so no transaction stays open across the HTTP calls. `fn` does its queries on the
 * lock's own connection: a job never needs a second one, so many concurrent jobs cannot exhaust the pool.
 */
export async function withChatwootConversationLock(dataSource: DataSource, conversationId: string, fn: (db: Queryable) => Promise<void>): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [`chatwoot:${conversationId}`]);
    try {
      await fn(runner.manager);
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`chatwoot:${conversationId}`]);
    }
  } finally {
    await runner.release();
  }
}
