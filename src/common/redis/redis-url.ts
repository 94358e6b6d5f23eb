import type { RedisOptions } from 'ioredis';

export interface RedisTarget {
  /** `redis+cluster://` or `rediss+cluster://`: the hosts are startup nodes of a Redis Cluster. */
  cluster: boolean;
  nodes: Array<{ host: string; port: number }>;
  /** What the URL says about every connection (credentials, database, TLS), without host and port. */
  options: Pick<RedisOptions, 'username' | 'password' | 'db' | 'tls'>;
}

const SCHEME = /^(rediss?)(\+cluster)?:\/\/(.*)$/;
/** Redis hashes only the part between the first `{` and the next `}` when it is not empty. */
const HASH_TAG = /^[^{]*\{[^}]+\}/;

export function isClusterUrl(url: string): boolean {
  return SCHEME.exec(url)?.[2] !== undefined;
}

/** True when every key starting with `prefix` lands on one Redis Cluster slot. */
export function hasHashTag(prefix: string): boolean {
  return HASH_TAG.test(prefix);
}

/**
 * `redis://[user:password@]host[:port][/db]`, or `redis+cluster://[user:password@]host:port[,host:port…]` for a
 * cluster (WHATWG URLs take one host only, so the host list is split here and each host parsed on its own).
 */
export function parseRedisUrl(url: string): RedisTarget {
  const match = SCHEME.exec(url);
  if (!match) throw new Error('REDIS_URL must be a redis://, rediss://, redis+cluster:// or rediss+cluster:// URL');
  const [, scheme, cluster, rest] = match;
  const at = rest.lastIndexOf('@');
  const userinfo = at >= 0 ? rest.slice(0, at + 1) : '';
  const slash = rest.indexOf('/', at + 1);
  const hosts = (slash >= 0 ? rest.slice(at + 1, slash) : rest.slice(at + 1)).split(',');
  const path = slash >= 0 ? rest.slice(slash) : '';
  if (!cluster && hosts.length > 1) throw new Error('REDIS_URL lists several hosts: use redis+cluster:// for a Redis Cluster');
  const nodes = hosts.map((host) => {
    const parsed = new URL(`redis://${host}`);
    return { host: parsed.hostname, port: Number(parsed.port || 6379) };
  });
  const first = new URL(`redis://${userinfo}${hosts[0]}${path}`);
  const db = first.pathname && first.pathname !== '/' ? Number(first.pathname.slice(1)) : 0;
  if (cluster && db !== 0) throw new Error('REDIS_URL: a Redis Cluster has only database 0');
  return {
    cluster: cluster !== undefined,
    nodes,
    options: {
      username: first.username || undefined,
      password: first.password ? decodeURIComponent(first.password) : undefined,
      db,
      tls: scheme === 'rediss' ? {} : undefined,
    },
  };
}
