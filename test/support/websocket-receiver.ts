import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface ReceivedFrame {
  headers: Record<string, string>;
  body: string;
  at: number;
}

/** A loopback WebSocket server on a fixed port that records every frame and connection; it can be stopped and started again. */
export class WebsocketReceiver {
  readonly frames: ReceivedFrame[] = [];
  /** Connections ever opened, and the ones open now. */
  connections = 0;
  readonly open = new Set<WebSocket>();
  private server?: WebSocketServer;

  constructor(readonly port: number) {}

  get url(): string {
    return `ws://127.0.0.1:${this.port}/events`;
  }

  async start(): Promise<this> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: this.port });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    if ((server.address() as AddressInfo).port !== this.port) throw new Error('unexpected port');
    server.on('connection', (socket) => {
      this.connections += 1;
      this.open.add(socket);
      socket.on('close', () => this.open.delete(socket));
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { headers: Record<string, string>; body: string };
        this.frames.push({ headers: frame.headers, body: frame.body, at: Date.now() });
      });
    });
    this.server = server;
    return this;
  }

  /** Drops every connection at once (no close handshake) and stops listening. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const socket of server.clients) socket.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The distinct event ids, in the order they first arrived. */
  ids(): string[] {
    return [...new Set(this.frames.map((f) => f.headers['webhook-id']))];
  }
}
