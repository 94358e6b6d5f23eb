import net from 'node:net';

/** One clear line per unreachable dependency, before Nest starts retrying in the background. */
export async function checkDependencies(databaseUrl: string, redisUrl: string): Promise<string[]> {
  const problems: string[] = [];
  const db = new URL(databaseUrl);
  const redis = new URL(redisUrl);
  if (!(await reachable(db.hostname, Number(db.port || 5432)))) {
    problems.push(
      `PostgreSQL is not reachable at ${db.hostname}:${db.port || 5432} (DATABASE_URL). Start it, e.g. \`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\` or \`docker compose up -d postgres\`.`,
    );
  }
  if (!(await reachable(redis.hostname, Number(redis.port || 6379)))) {
    problems.push(
      `Redis is not reachable at ${redis.hostname}:${redis.port || 6379} (REDIS_URL). Start it, e.g. \`redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no\` or \`docker compose up -d redis\`.`,
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
