import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import axios from 'axios';
import type { AttemptResult } from './retry-policy';

/** Bytes of a receiver's answer kept (for the delivery log); the rest is never read. */
const RESPONSE_LIMIT = 1024;

export interface HttpAttempt extends AttemptResult {
  latencyMs: number;
  error: string | null;
}

/** One POST with keep-alive connections; redirects are not followed and response bodies are read up to a small limit. */
export class WebhookHttpClient {
  private readonly httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 256 });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 256 });

  constructor(private readonly timeoutMs: number) {}

  async post(url: string, body: string, headers: Record<string, string>): Promise<HttpAttempt> {
    const started = performance.now();
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await axios.post<Readable>(url, body, {
        headers,
        signal,
        maxRedirects: 0,
        responseType: 'stream',
        validateStatus: () => true,
        httpAgent: this.httpAgent,
        httpsAgent: this.httpsAgent,
        transformRequest: [(data: string) => data],
      });
      await readLimited(response.data, RESPONSE_LIMIT, signal);
      const retryAfter = response.headers['retry-after'];
      return { status: response.status, retryAfter: typeof retryAfter === 'string' ? retryAfter : null, latencyMs: Math.round(performance.now() - started), error: null };
    } catch (error) {
      const message = signal.aborted ? `timed out after ${this.timeoutMs} ms` : ((error as { code?: string }).code ?? (error as Error).message);
      return { status: null, latencyMs: Math.round(performance.now() - started), error: message.slice(0, 500) };
    }
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

/** Reads at most `limit` bytes, then lets the connection go (destroying it when more was coming). */
function readLimited(stream: Readable, limit: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    let read = 0;
    const done = () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = () => {
      stream.destroy();
      done();
    };
    signal.addEventListener('abort', onAbort);
    stream.on('data', (chunk: Buffer) => {
      read += chunk.length;
      if (read > limit) {
        stream.destroy();
        done();
      }
    });
    stream.on('end', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}
