import { createHash, randomBytes } from 'node:crypto';
import { parseMultipart } from './multipart';
import {
  graphError,
  numericId,
  type MediaDownloadRecord,
  type SimulatedTemplate,
  type SimulatorRequest,
  type SimulatorResponse,
  type StoredMedia,
} from './graph-simulator.types';

export const MEDIA_DOWNLOAD_PATH = '/whatsapp_business/attachments/';
const DEFAULT_MEDIA_URL_TTL_MS = 5 * 60_000;

/** Media and template state of the simulator (the message endpoints live in GraphSimulator). */
export class SimulatorResources {
  readonly media = new Map<string, StoredMedia>();
  readonly templates: SimulatedTemplate[] = [];
  readonly mediaDownloads: MediaDownloadRecord[] = [];
  private readonly issuedUrls = new Map<string, { mediaId: string; expiresAt: number }>();
  private bornExpired = 0;

  constructor(public mediaUrlTtlMs = DEFAULT_MEDIA_URL_TTL_MS) {}

  reset(): void {
    this.media.clear();
    this.templates.length = 0;
    this.mediaDownloads.length = 0;
    this.issuedUrls.clear();
    this.bornExpired = 0;
  }

  /** The next `count` media URLs handed out are already expired (to exercise re-resolution). */
  expireNextMediaUrls(count = 1): void {
    this.bornExpired += count;
  }

  /** Expires every URL handed out so far. */
  expireIssuedMediaUrls(): void {
    for (const entry of this.issuedUrls.values()) entry.expiresAt = 0;
  }

  addMedia(phoneNumberId: string, buffer: Buffer, mimeType: string, filename?: string): StoredMedia {
    const stored: StoredMedia = {
      id: numericId(),
      phoneNumberId,
      mimeType,
      filename,
      buffer,
      sha256: createHash('sha256').update(buffer).digest('hex'),
      uploadedAt: new Date(),
    };
    this.media.set(stored.id, stored);
    return stored;
  }

  upload(phoneNumberId: string, req: SimulatorRequest): SimulatorResponse {
    const contentType = String(req.headers['content-type'] ?? '');
    let file: { buffer: Buffer; mimeType?: string; filename?: string } | undefined;
    let product: unknown;
    if (contentType.startsWith('multipart/form-data') && req.rawBody) {
      const parts = parseMultipart(req.rawBody, contentType);
      const filePart = parts.find((p) => p.name === 'file');
      product = parts.find((p) => p.name === 'messaging_product')?.data.toString('utf8');
      const type = parts.find((p) => p.name === 'type')?.data.toString('utf8');
      if (filePart) file = { buffer: filePart.data, mimeType: type ?? filePart.contentType, filename: filePart.filename };
    } else if (req.body && typeof req.body === 'object') {
      const body = req.body as Record<string, unknown>;
      product = body.messaging_product;
      if (typeof body.file === 'string') file = { buffer: Buffer.from(body.file, 'base64'), mimeType: String(body.type ?? ''), filename: body.filename as string };
    }
    if (product !== 'whatsapp') return graphError(400, 100, 'Invalid parameter', 'The parameter messaging_product is required.');
    if (!file || file.buffer.length === 0) return graphError(400, 100, 'Invalid parameter', 'The parameter file is required.');
    if (!file.mimeType) return graphError(400, 100, 'Invalid parameter', 'The parameter type is required.');
    return { status: 200, body: { id: this.addMedia(phoneNumberId, file.buffer, file.mimeType, file.filename).id } };
  }

  info(mediaId: string, baseUrl: string): SimulatorResponse | null {
    const media = this.media.get(mediaId);
    if (!media) return null;
    const hash = randomBytes(12).toString('base64url');
    const expired = this.bornExpired > 0;
    if (expired) this.bornExpired -= 1;
    this.issuedUrls.set(hash, { mediaId, expiresAt: expired ? 0 : Date.now() + this.mediaUrlTtlMs });
    const url = `${baseUrl}${MEDIA_DOWNLOAD_PATH}?mid=${media.id}&ext=${Date.now()}&hash=${hash}`;
    return {
      status: 200,
      body: { messaging_product: 'whatsapp', url, mime_type: media.mimeType, sha256: media.sha256, file_size: media.buffer.length, id: media.id },
    };
  }

  deleteMedia(mediaId: string): SimulatorResponse | null {
    return this.media.delete(mediaId) ? { status: 200, body: { success: true } } : null;
  }

  /** Like lookaside.fbsbx.com: needs the token, 404 once the URL expired. */
  download(req: SimulatorRequest, query: Record<string, string | undefined>): SimulatorResponse {
    const authorization = header(req, 'authorization');
    const apiKey = header(req, 'x-api-key');
    const record: MediaDownloadRecord = { mediaId: query.mid ?? '', authorization, apiKey, status: 200 };
    this.mediaDownloads.push(record);
    const issued = this.issuedUrls.get(query.hash ?? '');
    let response: SimulatorResponse;
    if (!/^Bearer \S+/.test(authorization ?? '') && !apiKey) response = graphError(401, 190, 'Invalid OAuth access token.', 'Media download needs the access token');
    else if (!issued || issued.mediaId !== query.mid || issued.expiresAt < Date.now()) response = { status: 404, body: { error: 'URL expired or not found' } };
    else {
      const media = this.media.get(issued.mediaId);
      response = media
        ? { status: 200, body: media.buffer, headers: { 'content-type': media.mimeType, 'content-length': String(media.buffer.length) } }
        : { status: 404, body: { error: 'media deleted' } };
    }
    record.status = response.status;
    return response;
  }

  listTemplates(wabaId: string, query: Record<string, string | undefined>, selfUrl: string): SimulatorResponse {
    const all = this.templates.filter((t) => t.wabaId === wabaId && (!query.name || t.name === query.name) && (!query.status || t.status === query.status));
    const limit = Math.min(Math.max(Number(query.limit ?? 25) || 25, 1), 1000);
    const start = query.after ? decodeCursor(query.after) : 0;
    const page = all.slice(start, start + limit);
    const end = start + page.length;
    const paging: Record<string, unknown> = { cursors: { before: encodeCursor(start), after: encodeCursor(Math.max(end - 1, start)) } };
    if (end < all.length) {
      (paging.cursors as Record<string, string>).after = encodeCursor(end);
      paging.next = `${selfUrl}?limit=${limit}&after=${encodeCursor(end)}`;
    }
    return { status: 200, body: { data: page.map(({ wabaId: _waba, ...t }) => t), paging } };
  }

  createTemplate(wabaId: string, body: unknown): SimulatorResponse {
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b.name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(b.name)) return graphError(400, 100, 'Invalid parameter', 'name must be lowercase letters, digits and underscores');
    if (typeof b.language !== 'string' || !b.language) return graphError(400, 100, 'Invalid parameter', 'The parameter language is required.');
    if (!['MARKETING', 'UTILITY', 'AUTHENTICATION'].includes(String(b.category))) return graphError(400, 100, 'Invalid parameter', 'category must be MARKETING, UTILITY or AUTHENTICATION');
    if (!Array.isArray(b.components)) return graphError(400, 100, 'Invalid parameter', 'The parameter components is required.');
    if (this.templates.some((t) => t.wabaId === wabaId && t.name === b.name && t.language === b.language)) {
      return graphError(400, 100, 'Invalid parameter', `Content in this language already exists (subcode 2388024)`, 2388024);
    }
    const template: SimulatedTemplate = {
      id: numericId(),
      name: b.name,
      language: b.language,
      status: 'PENDING',
      category: String(b.category),
      components: b.components,
      wabaId,
      ...(typeof b.parameter_format === 'string' ? { parameter_format: b.parameter_format.toUpperCase() } : {}),
    };
    this.templates.push(template);
    return { status: 200, body: { id: template.id, status: template.status, category: template.category } };
  }

  deleteTemplate(wabaId: string, query: Record<string, string | undefined>): SimulatorResponse {
    if (!query.name) return graphError(400, 100, 'Invalid parameter', 'The parameter name is required.');
    const before = this.templates.length;
    const keep = this.templates.filter((t) => !(t.wabaId === wabaId && t.name === query.name && (!query.hsm_id || t.id === query.hsm_id)));
    if (keep.length === before) return graphError(400, 100, 'Invalid parameter', `Message template "${query.name}" not found`, 2593002);
    this.templates.splice(0, this.templates.length, ...keep);
    return { status: 200, body: { success: true } };
  }
}

export function header(req: SimulatorRequest, name: string): string | undefined {
  const value = req.headers[name] ?? req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function encodeCursor(index: number): string {
  return Buffer.from(`idx:${index}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^idx:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : 0;
}
