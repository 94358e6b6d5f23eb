import http from 'node:http';
import https from 'node:https';

/** Larger Graph answers are not a send's: the call fails rather than buffer them. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface JsonPostOptions {
  agent: { http: http.Agent; https: https.Agent };
  headers: Record<string, string>;
  /** From the start of the call to the whole answer read. */
  timeoutMs: number;
  /** Called once the request has been handed to the socket: after this, the provider may have it. */
  onWritten?: () => void;
}

/** Rejections carry what mapAxiosError reads: a `response` for an answer outside 2xx, else a socket error `code`. */
export interface JsonPostFailure extends Error {
  code?: string;
  response?: { status: number; data: unknown; headers: http.IncomingHttpHeaders };
}

/**
 * The message send's HTTP call, on Node's own http(s) with the client's kept-alive agents: the hot path of every
 * outbound message, where axios's per-request configuration merging and adapter cost more CPU than the call
 * itself. Everything else the client does goes through axios. No redirects are followed (a 3xx is a failure).
 */
export function postJson<T>(url: string, body: unknown, options: JsonPostOptions): Promise<T> {
  // A string body goes out in the same write as the headers (Node joins them); a Buffer would take a second one.
  const payload = JSON.stringify(body);
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    /** `answered`: the whole answer was read, so the kept-alive connection is still good; else it is dropped. */
    const fail = (error: JsonPostFailure, answered = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (!answered) request.destroy();
      reject(error);
    };
    const request = (secure ? https : http).request(
      target,
      {
        method: 'POST',
        agent: secure ? options.agent.https : options.agent.http,
        headers: { ...options.headers, 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) fail(failure('ERR_RESPONSE_TOO_LARGE', `response over ${MAX_RESPONSE_BYTES} bytes`));
          else chunks.push(chunk);
        });
        response.once('aborted', () => fail(failure('ECONNRESET', 'connection closed before the whole answer arrived')));
        response.once('error', (error: NodeJS.ErrnoException) => fail(failure(error.code ?? 'ECONNRESET', error.message)));
        response.once('end', () => {
          if (settled) return;
          const data = parse(Buffer.concat(chunks).toString('utf8'));
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            settled = true;
            clearTimeout(deadline);
            resolve(data as T);
            return;
          }
          fail(Object.assign(failure(`HTTP_${status}`, `Request failed with status code ${status}`), { response: { status, data, headers: response.headers } }), true);
        });
      },
    );
    const deadline = setTimeout(() => fail(failure('ECONNABORTED', `timeout of ${options.timeoutMs}ms exceeded`)), options.timeoutMs);
    request.once('error', (error: NodeJS.ErrnoException) => fail(failure(error.code ?? 'ERR_NETWORK', error.message)));
    request.once('finish', () => {
      try {
        options.onWritten?.();
      } catch {
        // A listener that throws would take the process down; the send itself goes on.
      }
    });
    request.end(payload);
  });
}

function failure(code: string, message: string): JsonPostFailure {
  return Object.assign(new Error(message), { code });
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
