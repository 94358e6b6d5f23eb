/**
 * The benchmark's webhook receivers, in a process of their own so that verifying and stamping never waits on the
 * sender's event loop. Each port has a behaviour: `ok` answers 204, `fail30` answers 500 to a random 30 % of
 * attempts, `hang` never answers. Every request's signature is verified with the standardwebhooks package.
 */
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

export type ReceiverMode = 'ok' | 'fail30' | 'hang';
export interface ReceiverSetup {
  port: number;
  mode: ReceiverMode;
  secret: string;
}
/** Per port: webhook-ids acknowledged with 2xx (with arrival times), attempts, bad signatures. */
export interface ReceiverReport {
  port: number;
  acked: Array<[string, number]>;
  attempts: number;
  badSignatures: number;
}
export type ReceiverRequest = { setup: ReceiverSetup[] } | { report: true };

const reports = new Map<number, ReceiverReport>();

function start({ port, mode, secret }: ReceiverSetup): Promise<void> {
  const verifier = new Webhook(secret);
  const report: ReceiverReport = { port, acked: [], attempts: 0, badSignatures: 0 };
  reports.set(port, report);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      report.attempts += 1;
      try {
        verifier.verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>);
      } catch {
        report.badSignatures += 1;
        res.writeHead(400).end();
        return;
      }
      if (mode === 'hang') return;
      if (mode === 'fail30' && Math.random() < 0.3) {
        res.writeHead(500).end();
        return;
      }
      report.acked.push([req.headers['webhook-id'] as string, at]);
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((done) => server.listen(port, '127.0.0.1', done));
}

process.on('message', (message: ReceiverRequest) => {
  if ('setup' in message) {
    void Promise.all(message.setup.map(start)).then(() => process.send!({ ready: true }));
  } else {
    process.send!({ reports: [...reports.values()] });
  }
});
process.on('disconnect', () => process.exit(0));
