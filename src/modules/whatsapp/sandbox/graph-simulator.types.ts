import { randomBytes } from 'node:crypto';

export interface SimulatorRequest {
  method: string;
  /** Path, optionally with a query string (merged into `query`). */
  path: string;
  query?: Record<string, string | undefined>;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  rawBody?: Buffer;
  /** Set by a host that authenticated the request itself: the only ids it may use, and where its statuses go. */
  caller?: SimulatorCaller;
}

export interface SimulatorCaller {
  phoneNumberId: string;
  wabaId?: string | null;
  statusWebhook: { url: string; appSecret: string };
}

export interface SimulatorResponse {
  status: number;
  /** JSON-serialisable, or a Buffer for media downloads. */
  body: unknown;
  headers?: Record<string, string>;
  /** Reset the connection instead of answering (the request was processed). */
  reset?: boolean;
}

export type FaultKind =
  | 'http500'
  | 'timeout'
  | 'rateLimit130429'
  | 'windowClosed131047'
  | 'auth190'
  | 'pair131056'
  | 'undeliverable131026'
  /** Meta's per-user marketing limit: the message is not delivered. */
  | 'marketing131049'
  | 'kapso409'
  /** The send is accepted (statuses follow), but a gateway in front answers 504 with no Graph error. */
  | 'gateway504'
  /** The send is accepted (statuses follow), then the connection is reset without an answer (after `delayMs`, if given). */
  | 'acceptThenReset';

export interface FaultSpec {
  match?: { to?: string; phoneNumberId?: string; path?: string };
  /** How many matching requests fail; default 1, `Infinity` for all. */
  times?: number;
  kind: FaultKind;
  /** Delay before answering; for `timeout`, how long the request stays open (default 30 s). */
  delayMs?: number;
}

export interface StatusWebhookOptions {
  /** Where statuses go and what signs them, unless the request's caller names its own. */
  url?: string;
  appSecret?: string;
  /** Delay after the send for each status; `read: null` stops at delivered. */
  delaysMs?: { sent?: number; delivered?: number; read?: number | null };
  /** Recipients (E.164 or digits) whose messages end `failed` with error 131026. */
  failNumbers?: string[];
  enabled?: boolean;
  /** Batch as Meta does under volume: the statuses of a number due within this many ms go out in one POST (at most 1,000). */
  batchMs?: number;
}

export interface OutboxEntry {
  id: string;
  phoneNumberId: string;
  body: Record<string, unknown>;
  receivedAt: Date;
}

export interface ReadReceipt {
  phoneNumberId: string;
  messageId: string;
  typingIndicator: boolean;
  receivedAt: Date;
}

export interface StoredMedia {
  id: string;
  phoneNumberId: string;
  mimeType: string;
  filename?: string;
  buffer: Buffer;
  sha256: string;
  uploadedAt: Date;
}

export interface SimulatedTemplate {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  parameter_format?: string;
  components: unknown[];
  wabaId: string;
}

export interface MediaDownloadRecord {
  mediaId: string;
  authorization?: string;
  apiKey?: string;
  status: number;
}

export function graphError(status: number, code: number, message: string, details?: string, subcode?: number): SimulatorResponse {
  const error: Record<string, unknown> = {
    message: `(#${code}) ${message}`,
    type: 'OAuthException',
    code,
  };
  if (subcode !== undefined) error.error_subcode = subcode;
  if (details) error.error_data = { messaging_product: 'whatsapp', details };
  error.fbtrace_id = `A${randomBytes(11).toString('base64url')}`;
  return { status, body: { error } };
}

/** Numeric ids like Meta's (15-16 digits). */
export function numericId(): string {
  return `${1 + Math.floor(Math.random() * 9)}${randomBytes(8).readBigUInt64BE().toString().padStart(15, '0').slice(0, 15)}`;
}
