import { GraphApiClient } from './graph-api.client';

export interface KapsoClientOptions {
  /** `KAPSO_API_BASE_URL`. */
  kapsoBaseUrl?: string;
  apiVersion?: string;
  timeoutMs?: number;
  downloadTimeoutMs?: number;
}

export const DEFAULT_KAPSO_API_BASE_URL = 'https://api.kapso.ai';
const KAPSO_META_PROXY_PATH = '/meta/whatsapp';

/**
 * Kapso's Meta proxy: identical Graph bodies under `/meta/whatsapp/{version}/…`, authenticated with
 * `X-API-Key` (the account's stored token). Its 409 (another message in flight) maps to a retryable conflict.
 */
export class KapsoClient extends GraphApiClient {
  constructor(options: KapsoClientOptions = {}) {
    const base = (options.kapsoBaseUrl ?? DEFAULT_KAPSO_API_BASE_URL).replace(/\/+$/, '');
    super({
      baseUrl: `${base}${KAPSO_META_PROXY_PATH}`,
      pathPrefix: KAPSO_META_PROXY_PATH,
      apiVersion: options.apiVersion ?? 'v24.0',
      auth: 'x-api-key',
      timeoutMs: options.timeoutMs,
      downloadTimeoutMs: options.downloadTimeoutMs,
    });
  }
}
