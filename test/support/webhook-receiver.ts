import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  at: number;
}

/** What the receiver answers to the n-th request (0-based): a status (and headers), or 'hang' (never answers). */
export type Responder = (n: number, received: ReceivedWebhook) => { status: number; headers?: Record<string, string> } | 'hang';

/** A loopback webhook receiver on a fixed port that records every request; it can be stopped and started again. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private server?: Server;
  private readonly waiters: Array<() => void> = [];

  constructor(
    readonly port: number,
    public respond: Responder = () => ({ status: 200 }),
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((done) => this.server!.listen(this.port, '127.0.0.1', done));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }

  /** Resolves once `count` requests have arrived (rejects after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 15000): Promise<ReceivedWebhook[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`receiver got ${this.received.length} of ${count} webhooks`);
      await new Promise<void>((done) => {
        const timer = setTimeout(done, left);
        this.waiters.push(() => (clearTimeout(timer), done()));
      });
    }
    return this.received;
  }

  ids(): string[] {
    return this.received.map((r) => r.headers['webhook-id']);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received = { headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      const answer = this.respond(this.received.length, received);
      this.received.push(received);
      this.waiters.splice(0).forEach((wake) => wake());
      if (answer === 'hang') return;
      res.writeHead(answer.status, answer.headers).end('ok');
    });
  }
}
