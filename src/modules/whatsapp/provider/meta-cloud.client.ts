import { GraphApiClient } from './graph-api.client';

export interface MetaCloudClientOptions {
  /** `META_GRAPH_BASE_URL`. */
  graphBaseUrl?: string;
  /** `META_API_VERSION`. */
  apiVersion?: string;
  timeoutMs?: number;
  downloadTimeoutMs?: number;
}

export const DEFAULT_META_GRAPH_BASE_URL = 'https://graph.facebook.com';
export const DEFAULT_META_API_VERSION = 'v24.0';

/** Meta Cloud API adapter (bearer token). Also serves sandbox accounts, whose `baseUrl` points at the simulator. */
export class MetaCloudClient extends GraphApiClient {
  constructor(options: MetaCloudClientOptions = {}) {
    super({
      baseUrl: options.graphBaseUrl ?? DEFAULT_META_GRAPH_BASE_URL,
      apiVersion: options.apiVersion ?? DEFAULT_META_API_VERSION,
      auth: 'bearer',
      timeoutMs: options.timeoutMs,
      downloadTimeoutMs: options.downloadTimeoutMs,
    });
  }
}
