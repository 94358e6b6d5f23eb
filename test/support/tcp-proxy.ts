import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a real server (PostgreSQL) that can be switched to black-hole mode: every
 * socket stays open and new ones are accepted, but no byte is forwarded either way, and a close on one side is
 * not passed on — what a network that silently drops packets looks like to the application.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private blackHoled = false;

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async start(): Promise<void> {
    // Half-open allowed: a FIN is answered only by forwarding it, never by Node on the proxy's behalf.
    const server = createServer({ allowHalfOpen: true }, (client) => this.pair(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Stops forwarding without closing anything; bytes sent meanwhile are lost. */
  blackHole(): void {
    this.blackHoled = true;
  }

  forward(): void {
    this.blackHoled = false;
  }

  /** Resets every open connection (both sides), as a restarted server or a dead link would. */
  cut(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.cut();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private pair(client: Socket): void {
    const upstream = createConnection({ ...this.target, allowHalfOpen: true });
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(from);
      from.on('data', (chunk) => {
        if (!this.blackHoled) to.write(chunk);
      });
      from.on('end', () => {
        if (!this.blackHoled) to.end();
      });
      from.on('error', () => undefined);
      from.on('close', () => {
        this.sockets.delete(from);
        if (!this.blackHoled) to.destroy();
      });
    }
  }
}
