import type { OutboundMessage } from './outbound-message';

export type ProviderKind = 'meta' | 'kapso' | 'sandbox';

/** What an adapter needs of a WhatsApp account; built by the accounts service from the DB row. */
export interface ProviderAccountContext {
  id: string;
  provider: ProviderKind;
  phoneNumberId: string;
  wabaId: string;
  /** Decrypted only at call time, so the plaintext token never sits in job data or long-lived objects. */
  accessToken: () => string;
  /** Overrides the client's base URL (sandbox → the simulator). */
  baseUrl?: string;
}

export interface SendMessageResult {
  providerMessageId: string;
  waId: string;
  /** Template pacing: `accepted` or `held_for_quality_assessment`. */
  messageStatus?: string;
}

export interface UploadMediaInput {
  buffer: Buffer;
  mimeType: string;
  filename: string;
}

export interface MediaInfo {
  url: string;
  mimeType: string;
  sha256: string;
  fileSize: number;
}

export interface DownloadedMedia {
  buffer: Buffer;
  mimeType: string;
  /** Hex SHA-256 of the downloaded bytes. */
  sha256: string;
}

/** A template as Meta returns it (`name`, `language`, `status`, `category`, `components`, `id`, …). */
export type ProviderTemplate = Record<string, unknown> & { id: string; name: string; status: string };

export interface CreateTemplateInput {
  name: string;
  language: string;
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  parameterFormat?: 'positional' | 'named';
  /** Meta-shaped components (HEADER, BODY, FOOTER, BUTTONS); the templates module owns their content. */
  components: Array<Record<string, unknown>>;
}

export interface CreateTemplateResult {
  id: string;
  status: string;
  category: string;
}

export interface HealthCheckResult {
  ok: boolean;
  latencyMs: number;
  /** Stable error code (e.g. `PROVIDER_AUTHENTICATION_FAILED`) when not ok. */
  error?: string;
}

export interface SendOptions {
  /** Called once the request has been written out to the network (what a rate limit at the provider counts). */
  onDispatched?: () => void;
}

/** The only way the rest of the app talks to WhatsApp. Every method throws `WhatsappProviderError`. */
export interface WhatsappProviderPort {
  /** A failure with `notSent: true` certainly did not reach the provider; any other failure without an HTTP answer may have been accepted. */
  sendMessage(account: ProviderAccountContext, to: string, msg: OutboundMessage, options?: SendOptions): Promise<SendMessageResult>;
  markAsRead(account: ProviderAccountContext, providerMessageId: string, options?: { typingIndicator?: boolean }): Promise<void>;
  uploadMedia(account: ProviderAccountContext, input: UploadMediaInput): Promise<{ mediaId: string }>;
  getMediaInfo(account: ProviderAccountContext, mediaId: string): Promise<MediaInfo>;
  /** Resolves the URL, downloads with the account's credentials; re-resolves once on 401/403/404 (URLs live 5 minutes). */
  downloadMedia(account: ProviderAccountContext, mediaId: string, options: { maxBytes: number }): Promise<DownloadedMedia>;
  listTemplates(
    account: ProviderAccountContext,
    options?: { after?: string; limit?: number },
  ): Promise<{ data: ProviderTemplate[]; nextCursor: string | null }>;
  createTemplate(account: ProviderAccountContext, body: CreateTemplateInput): Promise<CreateTemplateResult>;
  deleteTemplate(account: ProviderAccountContext, options: { name: string; hsmId?: string }): Promise<void>;
  healthCheck(account: ProviderAccountContext): Promise<HealthCheckResult>;
}

/** Nest injection token for the port (the lead wires a provider-kind router behind it). */
export const WHATSAPP_PROVIDER = Symbol('WHATSAPP_PROVIDER');
