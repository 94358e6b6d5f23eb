import Redis, { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import { type RedisTarget, parseRedisUrl } from './redis-url';

/** A single Redis or a Redis Cluster: the same commands, routed by key slot on a cluster. */
export type RedisClient = Redis | Cluster;

/** The connection behaviour callers choose; where things live comes from REDIS_URL. */
export type ClientOptions = Pick<RedisOptions, 'maxRetriesPerRequest' | 'enableOfflineQueue' | 'enableAutoPipelining' | 'lazyConnect'>;

/** Options for one single-node connection to REDIS_URL (what BullMQ takes to build its own connections). */
export function singleNodeOptions(target: RedisTarget, options: ClientOptions): RedisOptions {
  return { ...target.nodes[0], ...target.options, ...options };
}

export function createRedisClient(url: string, options: ClientOptions): RedisClient {
  const target = parseRedisUrl(url);
  return target.cluster ? new Cluster(target.nodes, clusterOptions(target.options, options)) : new Redis(singleNodeOptions(target, options));
}

/** Another connection like `client` (a subscriber, say), with `options` changed. */
export function duplicateRedisClient(client: RedisClient, options: ClientOptions): RedisClient {
  if (client instanceof Cluster) return client.duplicate([], clusterOptions(client.options.redisOptions ?? {}, options));
  return client.duplicate(options);
}

/** A cluster takes queueing and pipelining options itself, and per-node ones under `redisOptions`. */
function clusterOptions(nodeOptions: ClusterOptions['redisOptions'], options: ClientOptions): ClusterOptions {
  const { maxRetriesPerRequest, ...clusterWide } = options;
  return { ...clusterWide, redisOptions: { ...nodeOptions, ...(maxRetriesPerRequest !== undefined ? { maxRetriesPerRequest } : {}) } };
}
