import { DomainError } from '../../../common/errors/domain-error';
import { ProviderErrorCode } from '../whatsapp.errors';

export type ProviderErrorKind =
  | 'authentication'
  | 'permission'
  | 'rate_limited'
  | 'pair_rate_limited'
  | 'window_closed'
  | 'undeliverable'
  | 'template'
  | 'policy'
  | 'invalid_parameter'
  | 'temporary'
  | 'timeout'
  | 'network'
  | 'conflict_in_flight'
  | 'validation'
  | 'unknown';

export const PROVIDER_ERROR_CODES: Record<ProviderErrorKind, ProviderErrorCode> = {
  authentication: ProviderErrorCode.AuthenticationFailed,
  permission: ProviderErrorCode.PermissionDenied,
  rate_limited: ProviderErrorCode.RateLimited,
  pair_rate_limited: ProviderErrorCode.PairRateLimited,
  window_closed: ProviderErrorCode.WindowClosed,
  undeliverable: ProviderErrorCode.Undeliverable,
  template: ProviderErrorCode.TemplateError,
  policy: ProviderErrorCode.PolicyBlocked,
  invalid_parameter: ProviderErrorCode.InvalidParameter,
  temporary: ProviderErrorCode.TemporaryError,
  timeout: ProviderErrorCode.Timeout,
  network: ProviderErrorCode.NetworkError,
  conflict_in_flight: ProviderErrorCode.ConflictInFlight,
  validation: ProviderErrorCode.ValidationFailed,
  unknown: ProviderErrorCode.UnknownError,
};

export interface ProviderErrorInit {
  kind: ProviderErrorKind;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  providerCode?: number;
  providerSubcode?: number;
  providerMessage?: string;
  providerDetails?: string;
  httpStatus?: number;
  fbtraceId?: string;
  violations?: Array<{ field: string; message: string }>;
  /** The client knows the request never reached the provider (nothing was written before the failure). */
  notSent?: boolean;
}

/** Every failure of a provider call. Workers read `retryable` / `retryAfterMs`; the HTTP filter reads `code`/`status`. */
export class WhatsappProviderError extends DomainError {
  readonly kind: ProviderErrorKind;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly providerCode?: number;
  readonly providerSubcode?: number;
  readonly providerMessage?: string;
  readonly providerDetails?: string;
  readonly httpStatus?: number;
  readonly fbtraceId?: string;
  readonly notSent?: boolean;

  constructor(init: ProviderErrorInit) {
    const details = stripUndefined({
      kind: init.kind,
      retryable: init.retryable,
      providerCode: init.providerCode,
      providerSubcode: init.providerSubcode,
      providerDetails: init.providerDetails,
      httpStatus: init.httpStatus,
      fbtraceId: init.fbtraceId,
      fields: init.violations,
    });
    super(PROVIDER_ERROR_CODES[init.kind], init.message, details);
    this.name = 'WhatsappProviderError';
    this.kind = init.kind;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.providerCode = init.providerCode;
    this.providerSubcode = init.providerSubcode;
    this.providerMessage = init.providerMessage;
    this.providerDetails = init.providerDetails;
    this.httpStatus = init.httpStatus;
    this.fbtraceId = init.fbtraceId;
    this.notSent = init.notSent;
  }

  /** Explicit shape for logs and job failure records: never the request config or headers. */
  toJSON(): Record<string, unknown> {
    return stripUndefined({
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      kind: this.kind,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      providerCode: this.providerCode,
      providerSubcode: this.providerSubcode,
      providerMessage: this.providerMessage,
      providerDetails: this.providerDetails,
      httpStatus: this.httpStatus,
      fbtraceId: this.fbtraceId,
      notSent: this.notSent,
      details: this.details,
    });
  }
}

/** Backoff hint for attempt n (0-based): pair limits follow Meta's 4^n seconds, the rest double from `retryAfterMs`. */
export function suggestedBackoffMs(error: WhatsappProviderError, attempt: number): number {
  const cap = 15 * 60_000;
  if (error.kind === 'pair_rate_limited') return Math.min(cap, 4 ** (attempt + 1) * 1000);
  return Math.min(cap, (error.retryAfterMs ?? 1000) * 2 ** attempt);
}

export function providerValidationError(violations: Array<{ field: string; message: string }>): WhatsappProviderError {
  const summary = violations.map((v) => `${v.field}: ${v.message}`).join('; ');
  return new WhatsappProviderError({ kind: 'validation', retryable: false, message: `Invalid outbound message: ${summary}`, violations });
}

/** Removes every occurrence of each secret (access tokens, API keys) from provider-supplied text. */
export function redactSecrets(text: string | undefined, secrets: readonly string[]): string | undefined {
  if (text === undefined) return undefined;
  return secrets.filter((s) => s && s.length >= 4).reduce((acc, secret) => acc.split(secret).join('[REDACTED]'), text);
}

function stripUndefined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

interface Classification {
  kind: ProviderErrorKind;
  retryable: boolean;
  retryAfterMs?: number;
}

const RATE_LIMIT_DELAY_MS: Record<number, number> = { 4: 60_000, 80007: 60_000, 130429: 2_000 };

/** Meta's error table (reference §f). Throttling arrives as HTTP 400, so the code decides, not the status. */
export function classifyGraphCode(code: number | undefined, httpStatus: number): Classification {
  if (code !== undefined) {
    if (code in RATE_LIMIT_DELAY_MS) return { kind: 'rate_limited', retryable: true, retryAfterMs: RATE_LIMIT_DELAY_MS[code] };
    if (code === 131056) return { kind: 'pair_rate_limited', retryable: true, retryAfterMs: 4_000 };
    // Spam rate limit is quality-driven: blind retries make it worse.
    if (code === 131048) return { kind: 'policy', retryable: false };
    if (code === 131047) return { kind: 'window_closed', retryable: false };
    if ([131026, 131049, 131050, 130472].includes(code)) return { kind: 'undeliverable', retryable: false };
    if ([132000, 132001, 132012, 132015, 132016].includes(code) || (code >= 132000 && code < 133000)) {
      return { kind: 'template', retryable: false };
    }
    if (code === 0 || code === 190) return { kind: 'authentication', retryable: false };
    if (code === 3 || code === 10 || (code >= 200 && code <= 299) || code === 133010) return { kind: 'permission', retryable: false };
    if ([368, 130497, 131031].includes(code)) return { kind: 'policy', retryable: false };
    if ([100, 131008, 131009, 33, 131051, 131052, 131053].includes(code)) return { kind: 'invalid_parameter', retryable: false };
    if (code === 131057) return { kind: 'temporary', retryable: true, retryAfterMs: 60_000 };
    if ([1, 2, 131000, 131016, 133004].includes(code)) return { kind: 'temporary', retryable: true, retryAfterMs: 2_000 };
  }
  return classifyHttpStatus(httpStatus);
}

function classifyHttpStatus(httpStatus: number): Classification {
  if (httpStatus === 409) return { kind: 'conflict_in_flight', retryable: true, retryAfterMs: 1_000 };
  if (httpStatus === 429) return { kind: 'rate_limited', retryable: true, retryAfterMs: 5_000 };
  if (httpStatus >= 500) return { kind: 'temporary', retryable: true, retryAfterMs: 2_000 };
  if (httpStatus === 401) return { kind: 'authentication', retryable: false };
  if (httpStatus === 403) return { kind: 'permission', retryable: false };
  if (httpStatus === 408) return { kind: 'timeout', retryable: true, retryAfterMs: 1_000 };
  if (httpStatus >= 400) return { kind: 'invalid_parameter', retryable: false };
  return { kind: 'unknown', retryable: false };
}

interface GraphErrorBody {
  message?: unknown;
  code?: unknown;
  error_subcode?: unknown;
  fbtrace_id?: unknown;
  error_data?: { details?: unknown };
}

export interface MapErrorOptions {
  /** Token/API key values to scrub from any provider text copied into the error. */
  secrets?: readonly string[];
  /** Value of a `Retry-After` header, if the provider sent one. */
  retryAfterHeader?: string;
  /** The request was never written to the network (known only to clients that watch their writes). */
  notSent?: boolean;
}

/** An HTTP error answer from the Graph API (or Kapso's proxy) → a typed provider error. */
export function mapGraphError(httpStatus: number, body: unknown, options: MapErrorOptions = {}): WhatsappProviderError {
  const secrets = options.secrets ?? [];
  const error = extractGraphError(body);
  const code = typeof error.code === 'number' ? error.code : undefined;
  const classification = classifyGraphCode(code, httpStatus);
  const providerMessage = redactSecrets(asText(error.message) ?? asText(body), secrets);
  const providerDetails = redactSecrets(asText(error.error_data?.details), secrets);
  const retryAfter = parseRetryAfter(options.retryAfterHeader);
  const label = code !== undefined ? `code ${code}` : `HTTP ${httpStatus}`;
  return new WhatsappProviderError({
    ...classification,
    retryAfterMs: classification.retryable ? (retryAfter ?? classification.retryAfterMs) : undefined,
    message: `WhatsApp provider error (${label}): ${providerMessage ?? 'no message'}`,
    providerCode: code,
    providerSubcode: typeof error.error_subcode === 'number' ? error.error_subcode : undefined,
    providerMessage,
    providerDetails,
    httpStatus,
    fbtraceId: asText(error.fbtrace_id),
  });
}

interface AxiosLikeError {
  isAxiosError?: boolean;
  code?: string;
  message?: string;
  response?: { status: number; data?: unknown; headers?: Record<string, unknown> };
}

const TIMEOUT_CODES = ['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT'];
const NETWORK_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_NETWORK', 'ERR_SOCKET_CONNECTION_TIMEOUT'];

/** Any error thrown by an axios call → a provider error. Never copies the request config (it holds the token). */
export function mapAxiosError(err: unknown, options: MapErrorOptions = {}): WhatsappProviderError {
  if (err instanceof WhatsappProviderError) return err;
  const e = (err ?? {}) as AxiosLikeError;
  if (e.response) {
    const retryAfterHeader = asText(e.response.headers?.['retry-after']);
    return mapGraphError(e.response.status, decodeBody(e.response.data), { ...options, retryAfterHeader });
  }
  const secrets = options.secrets ?? [];
  const reason = redactSecrets(e.code ?? asText(e.message) ?? 'unknown', secrets);
  if (e.message?.includes('maxContentLength')) {
    return new WhatsappProviderError({ kind: 'validation', retryable: false, message: 'Media download exceeded the size limit' });
  }
  const notSent = options.notSent || undefined;
  if (e.code && TIMEOUT_CODES.includes(e.code)) {
    return new WhatsappProviderError({ kind: 'timeout', retryable: true, retryAfterMs: 1_000, notSent, message: `WhatsApp provider timed out (${reason})` });
  }
  if (e.code && NETWORK_CODES.includes(e.code)) {
    return new WhatsappProviderError({ kind: 'network', retryable: true, retryAfterMs: 1_000, notSent, message: `WhatsApp provider unreachable (${reason})` });
  }
  return new WhatsappProviderError({ kind: 'unknown', retryable: false, notSent, message: `WhatsApp provider call failed (${reason})` });
}

function extractGraphError(body: unknown): GraphErrorBody {
  if (body && typeof body === 'object' && 'error' in body) {
    const inner = (body as { error: unknown }).error;
    if (inner && typeof inner === 'object') return inner as GraphErrorBody;
    if (typeof inner === 'string') return { message: inner };
  }
  if (body && typeof body === 'object') return body as GraphErrorBody;
  return {};
}

/** Error bodies arrive as Buffer/ArrayBuffer when the request asked for binary (media download). */
function decodeBody(data: unknown): unknown {
  const text = Buffer.isBuffer(data) ? data.toString('utf8') : data instanceof ArrayBuffer ? Buffer.from(data).toString('utf8') : data;
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 500);
  }
}

function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
