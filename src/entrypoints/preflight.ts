import net from 'node:net';
import { parseRedisUrl } from '../common/redis/redis-url';

/** One clear line per unreachable dependency, before Nest starts retrying in the background. */
export async function checkDependencies(databaseUrl: string, redisUrl: string): Promise<string[]> {
  const problems: string[] = [];
  const db = new URL(databaseUrl);
  const redis = parseRedisUrl(redisUrl);
  if (!(await reachable(db.hostname, Number(db.port || 5432)))) {
    problems.push(
      `PostgreSQL is not reachable at ${db.hostname}:${db.port || 5432} (DATABASE_URL). Start it, e.g. \`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\` or \`docker compose up -d postgres\`.`,
    );
  }
  // A cluster client needs one live startup node to discover the others.
  const up = await Promise.all(redis.nodes.map((node) => reachable(node.host, node.port)));
  if (!up.includes(true)) {
    const where = redis.nodes.map((node) => `${node.host}:${node.port}`).join(', ');
    problems.push(
      `Redis is not reachable at ${where} (REDIS_URL). Start it, e.g. \`redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no\` or \`docker compose up -d redis\`.`,
    );
  }
  return problems;
}

function reachable(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
