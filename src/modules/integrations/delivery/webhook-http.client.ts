import { Agent as HttpAgent, type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AttemptResult } from './retry-policy';

/** Bytes of a receiver's answer kept (for the delivery log); the rest is never read. */
const RESPONSE_LIMIT = 1024;

export interface HttpAttempt extends AttemptResult {
  latencyMs: number;
  error: string | null;
}

/**
 * One POST with keep-alive connections; redirects are not followed (a 3xx is an answer like any other) and response
 * bodies are read up to a small limit. Plain node:http: at thousands of deliveries a second, a general-purpose
 * client's per-request work (config merging, interceptors, abort signals) was the largest cost of a delivery.
 */
export class WebhookHttpClient {
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 256 });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 256 });

  constructor(private readonly timeoutMs: number) {}

  post(url: string, body: string, headers: Record<string, string>): Promise<HttpAttempt> {
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    return new Promise((resolve) => {
      let settled = false;
      let req: ClientRequest | undefined;
      const finish = (result: Omit<HttpAttempt, 'latencyMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...result, latencyMs: latency() });
      };
      // One deadline for connecting, sending and reading the answer.
      const timer = setTimeout(() => {
        finish({ status: null, error: `timed out after ${this.timeoutMs} ms` });
        req?.destroy();
      }, this.timeoutMs);
      try {
        const secure = url.startsWith('https:');
        req = (secure ? httpsRequest : httpRequest)(url, {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          agent: secure ? this.httpsAgent : this.httpAgent,
        });
      } catch (error) {
        finish({ status: null, error: ((error as { code?: string }).code ?? (error as Error).message).slice(0, 500) });
        return;
      }
      req.on('error', (error: Error & { code?: string }) => finish({ status: null, error: (error.code ?? error.message).slice(0, 500) }));
      req.on('response', (response: IncomingMessage) => {
        const retryAfter = response.headers['retry-after'];
        const answer = { status: response.statusCode ?? null, retryAfter: typeof retryAfter === 'string' ? retryAfter : null, error: null };
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          // More than we keep: let the connection go rather than read the rest.
          if (read > RESPONSE_LIMIT) {
            response.destroy();
            finish(answer);
          }
        });
        response.on('end', () => finish(answer));
        response.on('error', () => finish(answer));
        response.on('close', () => finish(answer));
      });
      req.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
