import { createServer } from 'node:net';

/** Free loopback ports from a range, so concurrent runs on one machine do not collide. */
export async function freePorts(count: number, from: number, to: number): Promise<number[]> {
  const found: number[] = [];
  for (let port = from; port <= to && found.length < count; port += 1) {
    if (await isFree(port)) found.push(port);
  }
  if (found.length < count) throw new Error(`only ${found.length} of ${count} ports free in ${from}-${to}`);
  return found;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    // 0.0.0.0: the api role listens on every interface, so the port must be free there too.
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}
