import { Client, type ClientConfig } from 'pg';

type AnyFunction = (...args: unknown[]) => unknown;

/** node-postgres's client-side `query_timeout` error. */
export function isQueryReadTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'Query read timeout';
}

/**
 * A node-postgres client for a network that may drop packets without closing the connection. A query that
 * outlived `query_timeout` leaves its connection waiting for an answer that may never come, and TypeORM returns
 * the connection to the pool all the same: every later query on it would queue behind the lost one and time out
 * too, even after the network is back. Such a connection is ended instead, so the pool opens a fresh one.
 */
export class StallSafeClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    // Wrapped per instance: the typings' overloads of query cannot be overridden one by one.
    const query = this.query.bind(this) as AnyFunction;
    this.query = ((...args: unknown[]) => this.watched(query, args)) as unknown as Client['query'];
  }

  private watched(query: AnyFunction, args: unknown[]): unknown {
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      args[args.length - 1] = (error: unknown, result: unknown) => {
        this.dropIfTimedOut(error);
        callback(error, result);
      };
      return query(...args);
    }
    const result = query(...args);
    if (result instanceof Promise) result.catch((error: unknown) => this.dropIfTimedOut(error));
    return result;
  }

  private dropIfTimedOut(error: unknown): void {
    if (isQueryReadTimeout(error)) void this.end().catch(() => undefined);
  }
}
