import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { buildMarkAsReadBody, buildMetaMessageBody } from './meta-request-builder';
import type { OutboundMessage } from './outbound-message';
import { validateOutboundMessage } from './outbound-message.validator';
import { postJson } from './json-post';
import { mapAxiosError, providerValidationError, WhatsappProviderError } from './provider-errors';
import type {
  CreateTemplateInput,
  CreateTemplateResult,
  DownloadedMedia,
  HealthCheckResult,
  MediaInfo,
  ProviderAccountContext,
  ProviderTemplate,
  SendMessageResult,
  SendOptions,
  UploadMediaInput,
  WhatsappProviderPort,
} from './whatsapp-provider.port';
import { ProviderErrorCode } from '../whatsapp.errors';

export interface GraphApiClientOptions {
  /** e.g. `https://graph.facebook.com` or `https://api.kapso.ai/meta/whatsapp`. */
  baseUrl: string;
  apiVersion: string;
  /** How the account's secret is sent: Meta uses a bearer token, Kapso an `X-API-Key`. */
  auth: 'bearer' | 'x-api-key';
  /** Appended to `account.baseUrl` when an account overrides the base URL. */
  pathPrefix?: string;
  timeoutMs?: number;
  /** Media downloads can be large and slow; separate from the API timeout. */
  downloadTimeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Above any sensible OUTBOUND_CONCURRENCY: a send that passed the rate check must not then queue for a socket. */
const MAX_SOCKETS = 512;
/**
 * An idle kept-alive connection is dropped after this, before a server's own idle timeout (Node's default is 5 s)
 * closes it: a send written on a connection the server is closing at that moment fails with a reset after the
 * write, which cannot be told apart from a send Meta took, so it would fail SEND_OUTCOME_UNKNOWN and never go out.
 */
const IDLE_SOCKET_TIMEOUT_MS = 4000;

/**
 * One Graph API implementation for every provider that speaks Meta's shapes (Meta, Kapso's proxy,
 * the sandbox simulator); parameterised by base URL and auth header.
 */
export class GraphApiClient implements WhatsappProviderPort {
  private readonly http: AxiosInstance;
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, timeout: IDLE_SOCKET_TIMEOUT_MS });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, timeout: IDLE_SOCKET_TIMEOUT_MS });
  private readonly timeoutMs: number;

  constructor(private readonly options: GraphApiClientOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.http = axios.create({
      timeout: this.timeoutMs,
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      maxRedirects: 0,
      // Errors carry the request config (and so the token): callers only ever see mapped errors.
      validateStatus: (status) => status >= 200 && status < 300,
    });
  }

  /** Sends go through postJson, which reports the write: a failure before it is marked `notSent`. */
  async sendMessage(account: ProviderAccountContext, to: string, msg: OutboundMessage, options: SendOptions = {}): Promise<SendMessageResult> {
    const violations = validateOutboundMessage(to, msg);
    if (violations.length > 0) throw providerValidationError(violations);
    let written = false;
    const onWritten = () => {
      written = true;
      options.onDispatched?.();
    };
    const token = account.accessToken();
    let data: SendResponse | undefined;
    try {
      data = await postJson<SendResponse | undefined>(this.url(account, `${account.phoneNumberId}/messages`), buildMetaMessageBody(to, msg), {
        agent: { http: this.httpAgent, https: this.httpsAgent },
        headers: this.authHeaders(token),
        timeoutMs: this.timeoutMs,
        onWritten,
      });
    } catch (error) {
      throw mapAxiosError(error, { secrets: [token], notSent: !written });
    }
    const message = data?.messages?.[0];
    if (!message?.id) throw unexpectedResponse('send response has no messages[0].id');
    return stripUndefined({
      providerMessageId: message.id,
      waId: data?.contacts?.[0]?.wa_id ?? to.replace(/^\+/, ''),
      messageStatus: message.message_status,
    }) as SendMessageResult;
  }

  async markAsRead(account: ProviderAccountContext, providerMessageId: string, options: { typingIndicator?: boolean } = {}): Promise<void> {
    if (!providerMessageId) throw providerValidationError([{ field: 'providerMessageId', message: 'is required' }]);
    await this.request(account, {
      method: 'POST',
      url: this.url(account, `${account.phoneNumberId}/messages`),
      data: buildMarkAsReadBody(providerMessageId, options.typingIndicator ?? false),
    });
  }

  async uploadMedia(account: ProviderAccountContext, input: UploadMediaInput): Promise<{ mediaId: string }> {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', input.mimeType);
    form.append('file', new Blob([new Uint8Array(input.buffer)], { type: input.mimeType }), input.filename);
    const data = await this.request<{ id?: string }>(account, {
      method: 'POST',
      url: this.url(account, `${account.phoneNumberId}/media`),
      data: form,
    });
    if (!data?.id) throw unexpectedResponse('upload response has no id');
    return { mediaId: data.id };
  }

  async getMediaInfo(account: ProviderAccountContext, mediaId: string): Promise<MediaInfo> {
    const data = await this.request<MediaInfoResponse>(account, {
      method: 'GET',
      url: this.url(account, encodeURIComponent(mediaId)),
      // Kapso needs phone_number_id to find the media; Meta accepts it as an ownership check.
      params: { phone_number_id: account.phoneNumberId },
    });
    if (!data?.url) throw unexpectedResponse('media info has no url');
    return { url: data.url, mimeType: data.mime_type ?? 'application/octet-stream', sha256: data.sha256 ?? '', fileSize: Number(data.file_size ?? 0) };
  }

  async downloadMedia(account: ProviderAccountContext, mediaId: string, options: { maxBytes: number }): Promise<DownloadedMedia> {
    let info = await this.getMediaInfo(account, mediaId);
    assertSize(info.fileSize, options.maxBytes);
    try {
      return await this.fetchMedia(account, info, options.maxBytes);
    } catch (error) {
      // Media URLs expire after 5 minutes: resolve a fresh one once.
      if (!(error instanceof WhatsappProviderError) || ![401, 403, 404].includes(error.httpStatus ?? 0)) throw error;
      info = await this.getMediaInfo(account, mediaId);
      return this.fetchMedia(account, info, options.maxBytes);
    }
  }

  async listTemplates(
    account: ProviderAccountContext,
    options: { after?: string; limit?: number } = {},
  ): Promise<{ data: ProviderTemplate[]; nextCursor: string | null }> {
    const data = await this.request<TemplateListResponse>(account, {
      method: 'GET',
      url: this.url(account, `${account.wabaId}/message_templates`),
      params: stripUndefined({ limit: options.limit, after: options.after }),
    });
    const nextCursor = data?.paging?.next ? (data.paging.cursors?.after ?? null) : null;
    return { data: data?.data ?? [], nextCursor };
  }

  async createTemplate(account: ProviderAccountContext, body: CreateTemplateInput): Promise<CreateTemplateResult> {
    const data = await this.request<Partial<CreateTemplateResult>>(account, {
      method: 'POST',
      url: this.url(account, `${account.wabaId}/message_templates`),
      data: stripUndefined({
        name: body.name,
        language: body.language,
        category: body.category,
        parameter_format: body.parameterFormat,
        components: body.components,
      }),
    });
    if (!data?.id) throw unexpectedResponse('create template response has no id');
    return { id: data.id, status: data.status ?? 'PENDING', category: data.category ?? body.category };
  }

  async deleteTemplate(account: ProviderAccountContext, options: { name: string; hsmId?: string }): Promise<void> {
    await this.request(account, {
      method: 'DELETE',
      url: this.url(account, `${account.wabaId}/message_templates`),
      params: stripUndefined({ name: options.name, hsm_id: options.hsmId }),
    });
  }

  async healthCheck(account: ProviderAccountContext): Promise<HealthCheckResult> {
    const started = performance.now();
    try {
      await this.request(account, {
        method: 'GET',
        url: this.url(account, account.phoneNumberId),
        params: { fields: 'id,display_phone_number,quality_rating' },
      });
      return { ok: true, latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      const code = error instanceof WhatsappProviderError ? error.code : ProviderErrorCode.UnknownError;
      return { ok: false, latencyMs: Math.round(performance.now() - started), error: code };
    }
  }

  /** Frees keep-alive sockets (tests, shutdown hooks). */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private async fetchMedia(account: ProviderAccountContext, info: MediaInfo, maxBytes: number): Promise<DownloadedMedia> {
    const response = await this.send<ArrayBuffer>(account, {
      method: 'GET',
      url: info.url,
      responseType: 'arraybuffer',
      maxContentLength: maxBytes,
      timeout: this.options.downloadTimeoutMs ?? Math.max(this.timeoutMs, 60_000),
    });
    const buffer = Buffer.from(response.data);
    assertSize(buffer.length, maxBytes);
    const mimeType = String(response.headers['content-type'] ?? info.mimeType).split(';')[0] || info.mimeType;
    return { buffer, mimeType, sha256: createHash('sha256').update(buffer).digest('hex') };
  }

  private async request<T>(account: ProviderAccountContext, config: AxiosRequestConfig): Promise<T> {
    return (await this.send<T>(account, config)).data;
  }

  private async send<T>(account: ProviderAccountContext, config: AxiosRequestConfig): Promise<{ data: T; headers: Record<string, unknown> }> {
    const token = account.accessToken();
    try {
      const response = await this.http.request<T>({ ...config, headers: { ...config.headers, ...this.authHeaders(token) } });
      return { data: response.data, headers: response.headers as Record<string, unknown> };
    } catch (error) {
      throw mapAxiosError(error, { secrets: [token] });
    }
  }

  private authHeaders(token: string): Record<string, string> {
    return this.options.auth === 'bearer' ? { Authorization: `Bearer ${token}` } : { 'X-API-Key': token };
  }

  private url(account: ProviderAccountContext, path: string): string {
    const base = account.baseUrl ? `${trimSlash(account.baseUrl)}${this.options.pathPrefix ?? ''}` : trimSlash(this.options.baseUrl);
    return `${base}/${this.options.apiVersion}/${path}`;
  }
}

interface SendResponse {
  contacts?: Array<{ input?: string; wa_id?: string }>;
  messages?: Array<{ id?: string; message_status?: string }>;
}

interface MediaInfoResponse {
  url?: string;
  mime_type?: string;
  sha256?: string;
  file_size?: number | string;
}

interface TemplateListResponse {
  data?: ProviderTemplate[];
  paging?: { cursors?: { before?: string; after?: string }; next?: string };
}

function assertSize(size: number, maxBytes: number): void {
  if (size > maxBytes) {
    throw new WhatsappProviderError({ kind: 'validation', retryable: false, message: `Media is ${size} bytes, above the ${maxBytes}-byte limit` });
  }
}

function unexpectedResponse(reason: string): WhatsappProviderError {
  return new WhatsappProviderError({ kind: 'unknown', retryable: false, message: `Unexpected provider response: ${reason}` });
}

function trimSlash(value: string): string {
  return value.replace(/\/+$/, '');
}

function stripUndefined<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}
