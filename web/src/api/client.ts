import createClient from 'openapi-fetch';
import type { paths } from './schema';

/** Thrown for any non-2xx answer; `code` is the API's stable upper-snake error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The typed client generated from /docs-json. The session cookie travels by itself (same origin);
 * X-Conversa-CSRF is what the server requires on every cookie-authenticated request that changes data.
 */
export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? '',
  credentials: 'same-origin',
  headers: { 'x-conversa-csrf': '1' },
  // Looked up per call, not captured once, so a test can stand in for the network.
  fetch: (request) => globalThis.fetch(request),
});

/** Unwraps an openapi-fetch result: the data, or an ApiError carrying the server's code and message. */
export async function call<T>(request: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await request;
  if (!response.ok) {
    const body = (error ?? {}) as { code?: string; message?: string };
    throw new ApiError(response.status, body.code ?? 'HTTP_ERROR', body.message ?? response.statusText);
  }
  return data as T;
}
