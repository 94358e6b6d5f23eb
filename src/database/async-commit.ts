/**
 * Prefix for a single statement whose commit need not wait for its WAL flush. Only for writes whose loss in a
 * crash is harmless: bookkeeping that a retry redoes, or rows a later synchronous commit flushes anyway (WAL is
 * written in order, so any synchronous commit that follows makes this one durable too).
 * The statement must reference the CTE (`FROM async_commit` or `EXISTS (SELECT 1 FROM async_commit)`),
 * otherwise PostgreSQL never evaluates it.
 */
export const ASYNC_COMMIT = `WITH async_commit AS (SELECT set_config('synchronous_commit', 'off', true))`;
