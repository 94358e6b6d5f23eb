import type { RedisClient } from './redis-client';

export type LuaScript = (keys: string[], args: Array<string | number>) => Promise<unknown>;

/**
 * A Lua script called by its SHA1 (ioredis's defineCommand: EVALSHA, and EVAL once when Redis does not know it yet,
 * after a restart or a flush). A script on a hot path (every send) then costs neither the text on the wire nor
 * Redis hashing it again on every call, as plain EVAL does.
 */
export function defineLuaScript(redis: RedisClient, name: string, lua: string): LuaScript {
  redis.defineCommand(name, { lua });
  const command = (redis as unknown as Record<string, (...args: Array<string | number>) => Promise<unknown>>)[name].bind(redis);
  return (keys, args) => command(keys.length, ...keys, ...args);
}
