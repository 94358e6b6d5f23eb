import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphSimulator, type GraphSimulatorOptions } from './graph-simulator';

export interface GraphSimulatorServerOptions extends GraphSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
}

export interface GraphSimulatorServer {
  url: string;
  simulator: GraphSimulator;
  close(): Promise<void>;
}

/** The fake Meta Graph API over real HTTP on 127.0.0.1, for contract and e2e tests. */
export async function startGraphSimulatorServer(options: GraphSimulatorServerOptions = {}): Promise<GraphSimulatorServer> {
  const { port = 0, ...simulatorOptions } = options;
  const simulator = new GraphSimulator(simulatorOptions);
  const server = http.createServer((req, res) => {
    void serve(simulator, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (!simulatorOptions.publicBaseUrl) simulator.setPublicBaseUrl(url);
  return {
    url,
    simulator,
    close: () =>
      new Promise<void>((resolve) => {
        simulator.dispose();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serve(simulator: GraphSimulator, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  try {
    const rawBody = await readBody(req);
    const contentType = String(req.headers['content-type'] ?? '');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const response = await simulator.handle({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: parseJson(rawBody, contentType),
      rawBody,
    });
    if (res.destroyed) return;
    if (response.reset) {
      req.socket.resetAndDestroy();
      return;
    }
    const isBinary = Buffer.isBuffer(response.body);
    const payload = isBinary ? (response.body as Buffer) : Buffer.from(JSON.stringify(response.body ?? null));
    res.writeHead(response.status, {
      'content-type': isBinary ? 'application/octet-stream' : 'application/json; charset=UTF-8',
      ...response.headers,
      'content-length': String(payload.length),
    });
    res.end(payload);
  } catch (error) {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `simulator failure: ${error instanceof Error ? error.message : String(error)}`, code: 1 } }));
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(rawBody: Buffer, contentType: string): unknown {
  if (rawBody.length === 0 || !contentType.includes('json')) return undefined;
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
}
