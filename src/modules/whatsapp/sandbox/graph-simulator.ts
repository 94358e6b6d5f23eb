import { validateGraphSendBody } from './graph-payload.validator';
import {
  graphError,
  type FaultKind,
  type FaultSpec,
  type OutboxEntry,
  type ReadReceipt,
  type SimulatorCaller,
  type SimulatorRequest,
  type SimulatorResponse,
  type StatusWebhookOptions,
} from './graph-simulator.types';
import { buildTemplateStatusWebhook, DEFAULT_BEHAVIOUR, type SandboxBehaviour, sandboxError } from './sandbox-behaviour';
import { header, MEDIA_DOWNLOAD_PATH, SimulatorResources } from './simulator-resources';
import { batchStatusWebhook, buildStatusWebhook, newWamid, postSignedWebhook, type BusinessNumber, type SimulatedStatus, type WebhookDelivery } from './simulator-webhooks';

export interface GraphSimulatorOptions {
  /** Base of URLs the simulator hands out (media URLs, paging.next); else derived from the Host header. */
  publicBaseUrl?: string;
  /** Media URL lifetime; Meta's is 5 minutes. */
  mediaUrlTtlMs?: number;
  /** When set, only these tokens authenticate (else any non-empty bearer does); a request with a `caller` needs none. */
  acceptedTokens?: string[];
  statusWebhook?: StatusWebhookOptions;
  /** Display number / WABA per phone number id, for webhook metadata. */
  businessNumbers?: BusinessNumber[];
  /** How long a template submitted by a sandbox account waits for its review (approval or rejection). */
  templateReviewMs?: number;
  /**
   * How many entries each history (outbox, read receipts, request log) keeps, the oldest dropped first; webhook
   * deliveries, which keep their bodies, keep a tenth. A sandbox runs for as long as the app does.
   */
  historyLimit?: number;
}

const DEFAULT_HISTORY_LIMIT = 50_000;

interface ActiveFault extends FaultSpec {
  remaining: number;
}

/** Meta's most updates in one webhook POST. */
const MAX_STATUS_BATCH = 1000;

const VERSION = /^v\d+\.\d+$/;
const KAPSO_PREFIX = '/meta/whatsapp';

/** Framework-free in-memory Graph API: mount it in a Nest controller or `graph-simulator.server.ts`. */
export class GraphSimulator {
  readonly outbox: OutboxEntry[] = [];
  readonly readReceipts: ReadReceipt[] = [];
  readonly webhookDeliveries: WebhookDelivery[] = [];
  readonly requestLog: Array<{ method: string; path: string; status: number; at: Date }> = [];
  readonly resources: SimulatorResources;
  private faults: ActiveFault[] = [];
  private readonly behaviours = new Map<string, SandboxBehaviour>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly statusBatches = new Map<string, Array<Record<string, unknown>>>();

  constructor(private readonly options: GraphSimulatorOptions = {}) {
    this.resources = new SimulatorResources(options.mediaUrlTtlMs);
  }

  setPublicBaseUrl(url: string): void {
    this.options.publicBaseUrl = url.replace(/\/+$/, '');
  }

  configureStatusWebhook(statusWebhook: StatusWebhookOptions | undefined): void {
    this.options.statusWebhook = statusWebhook;
  }

  injectFault(fault: FaultSpec): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  /** Per sandbox number (its phone number id): template review outcome and failing recipients. */
  setBehaviour(phoneNumberId: string, behaviour: SandboxBehaviour): void {
    this.behaviours.set(phoneNumberId, behaviour);
  }

  behaviour(phoneNumberId: string): SandboxBehaviour {
    return this.behaviours.get(phoneNumberId) ?? DEFAULT_BEHAVIOUR;
  }

  clearFaults(): void {
    this.faults = [];
  }

  reset(): void {
    this.dispose();
    this.outbox.length = 0;
    this.readReceipts.length = 0;
    this.webhookDeliveries.length = 0;
    this.requestLog.length = 0;
    this.resources.reset();
    this.behaviours.clear();
    this.clearFaults();
  }

  /** Appends to a history, dropping its oldest tenth once it is over the limit (amortised: no shift per entry). */
  private remember<T>(history: T[], entry: T, limit = this.options.historyLimit ?? DEFAULT_HISTORY_LIMIT): void {
    history.push(entry);
    if (history.length > limit) history.splice(0, history.length - limit + Math.ceil(limit / 10));
  }

  private rememberDelivery(delivery: WebhookDelivery): void {
    this.remember(this.webhookDeliveries, delivery, Math.ceil((this.options.historyLimit ?? DEFAULT_HISTORY_LIMIT) / 10));
  }

  /** Cancels pending timers (delayed answers, scheduled status webhooks). */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  async handle(input: SimulatorRequest): Promise<SimulatorResponse> {
    const req = normalise(input);
    const response = await this.route(req);
    this.remember(this.requestLog, { method: req.method, path: req.path, status: response.status, at: new Date() });
    return response;
  }

  private async route(req: Required<Pick<SimulatorRequest, 'query'>> & SimulatorRequest): Promise<SimulatorResponse> {
    const baseUrl = this.options.publicBaseUrl ?? `http://${header(req, 'host') ?? '127.0.0.1'}`;
    if (req.method === 'GET' && req.path === MEDIA_DOWNLOAD_PATH) return this.resources.download(req, req.query);
    const kapso = req.path.startsWith(`${KAPSO_PREFIX}/`);
    const segments = (kapso ? req.path.slice(KAPSO_PREFIX.length) : req.path).split('/').filter(Boolean);
    if (!VERSION.test(segments[0] ?? '')) return graphError(400, 2500, 'Unknown path components', `Unsupported path ${req.path}`);
    const authFailure = this.checkAuth(req, kapso);
    if (authFailure) return authFailure;
    const fault = this.takeFault(req, segments);
    const dispatch = () => this.dispatch(req, segments.slice(1), `${baseUrl}${kapso ? KAPSO_PREFIX : ''}/${segments[0]}`);
    if (!fault) return dispatch();
    if (fault.kind === 'timeout') {
      await this.sleep(fault.delayMs ?? 30_000);
      return dispatch();
    }
    if (fault.kind === 'acceptThenReset') {
      const accepted = dispatch();
      if (fault.delayMs) await this.sleep(fault.delayMs);
      return { ...accepted, reset: true };
    }
    if (fault.delayMs) await this.sleep(fault.delayMs);
    if (fault.kind === 'gateway504') {
      dispatch();
      return { status: 504, body: Buffer.from('<html><body><h1>504 Gateway Time-out</h1></body></html>'), headers: { 'content-type': 'text/html' } };
    }
    return faultResponse(fault.kind);
  }

  private dispatch(req: SimulatorRequest & { query: Record<string, string | undefined> }, rest: string[], versionBase: string): SimulatorResponse {
    const [id, edge] = rest;
    const method = req.method;
    // Like Meta: an object the token has no permission on "does not exist".
    if (req.caller && !this.owns(req.caller, id)) return unsupported(method, rest.join('/'));
    if (rest.length === 2 && edge === 'messages' && method === 'POST') return this.messages(id, req.body, req.caller);
    if (rest.length === 2 && edge === 'media' && method === 'POST') return this.resources.upload(id, req);
    if (rest.length === 2 && edge === 'message_templates') {
      if (method === 'GET') return this.resources.listTemplates(id, req.query, `${versionBase}/${id}/message_templates`);
      if (method === 'POST') return this.submitTemplate(id, req.body, req.caller);
      if (method === 'DELETE') return this.resources.deleteTemplate(id, req.query);
    }
    if (rest.length === 1 && method === 'GET') {
      return this.resources.info(id, versionBase.replace(/\/(meta\/whatsapp\/)?v\d+\.\d+$/, '')) ?? this.phoneNumber(id);
    }
    if (rest.length === 1 && method === 'DELETE') return this.resources.deleteMedia(id) ?? unsupported(method, id);
    return unsupported(method, rest.join('/'));
  }

  /** Like Meta, a sandbox account's template is reviewed a while later and the outcome arrives as a webhook. */
  private submitTemplate(wabaId: string, body: unknown, caller?: SimulatorCaller): SimulatorResponse {
    const response = this.resources.createTemplate(wabaId, body);
    const id = (response.body as { id?: string }).id;
    const template = id ? this.resources.templates.find((t) => t.id === id) : undefined;
    if (!caller || !template || this.options.templateReviewMs === undefined) return response;
    const { outcome, reason } = this.behaviour(caller.phoneNumberId).templateReview;
    this.later(this.options.templateReviewMs, async () => {
      if (template.status !== 'PENDING') return;
      template.status = outcome;
      const payload = buildTemplateStatusWebhook(wabaId, template, outcome === 'REJECTED' ? reason : null);
      this.rememberDelivery(await postSignedWebhook(caller.statusWebhook.url, payload, caller.statusWebhook.appSecret));
    });
    return response;
  }

  private owns(caller: SimulatorCaller, id: string | undefined): boolean {
    if (id === caller.phoneNumberId || (caller.wabaId && id === caller.wabaId)) return true;
    return id !== undefined && this.resources.media.get(id)?.phoneNumberId === caller.phoneNumberId;
  }

  private messages(phoneNumberId: string, body: unknown, caller?: SimulatorCaller): SimulatorResponse {
    const b = (body ?? {}) as Record<string, unknown>;
    if (b.status === 'read') return this.markRead(phoneNumberId, b);
    const rejection = validateGraphSendBody(body);
    if (rejection) return graphError(rejection.status, rejection.code, rejection.message, rejection.details);
    const to = String(b.to);
    const waId = simulatedWaId(to);
    const id = newWamid(waId);
    this.remember(this.outbox, { id, phoneNumberId, body: b, receivedAt: new Date() });
    this.scheduleStatuses(phoneNumberId, id, waId, b.biz_opaque_callback_data as string | undefined, caller);
    const message: Record<string, unknown> = { id };
    if (b.type === 'template') message.message_status = 'accepted';
    return { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: waId }], messages: [message] } };
  }

  private markRead(phoneNumberId: string, body: Record<string, unknown>): SimulatorResponse {
    if (body.messaging_product !== 'whatsapp' || typeof body.message_id !== 'string' || !body.message_id) {
      return graphError(400, 100, 'Invalid parameter', 'The parameter message_id is required.');
    }
    const typing = body.typing_indicator as { type?: string } | undefined;
    this.remember(this.readReceipts, { phoneNumberId, messageId: body.message_id, typingIndicator: typing?.type === 'text', receivedAt: new Date() });
    return { status: 200, body: { success: true } };
  }

  private phoneNumber(id: string): SimulatorResponse {
    if (!/^\d+$/.test(id)) return unsupported('GET', id);
    const number = this.business(id);
    return { status: 200, body: { id, display_phone_number: number.displayPhoneNumber, verified_name: 'Conversa Sandbox', quality_rating: 'GREEN' } };
  }

  private checkAuth(req: SimulatorRequest, kapso: boolean): SimulatorResponse | null {
    if (req.caller) return null;
    const bearer = /^Bearer\s+(\S+)$/.exec(header(req, 'authorization') ?? '')?.[1];
    const token = bearer ?? (kapso ? header(req, 'x-api-key') : undefined);
    const accepted = this.options.acceptedTokens;
    if (token && (!accepted || accepted.includes(token))) return null;
    return graphError(401, 190, token ? 'Error validating access token: The session has been invalidated.' : 'An active access token must be used to query information about the current user.', undefined, token ? 460 : undefined);
  }

  private takeFault(req: SimulatorRequest, segments: string[]): ActiveFault | undefined {
    const to = digits((req.body as { to?: unknown } | undefined)?.to);
    const fault = this.faults.find((f) => {
      if (f.remaining <= 0) return false;
      const m = f.match ?? {};
      if (m.phoneNumberId && segments[1] !== m.phoneNumberId) return false;
      if (m.path && !req.path.includes(m.path)) return false;
      return !m.to || (to !== undefined && digits(m.to) === to);
    });
    if (fault) fault.remaining -= 1;
    return fault;
  }

  private scheduleStatuses(phoneNumberId: string, messageId: string, waId: string, callbackData?: string, caller?: SimulatorCaller): void {
    const hook = this.options.statusWebhook;
    const target = caller?.statusWebhook ?? (hook?.url && hook.appSecret ? { url: hook.url, appSecret: hook.appSecret } : undefined);
    if (!hook || hook.enabled === false || !target) return;
    const configured = caller ? this.behaviour(caller.phoneNumberId).failingRecipients[waId] : undefined;
    const failing = configured !== undefined || (hook.failNumbers ?? []).some((n) => digits(n) === waId || simulatedWaId(n) === waId);
    const delays = { sent: 20, delivered: 60, read: 120, ...hook.delaysMs };
    const plan: Array<[SimulatedStatus, number | null | undefined]> = failing
      ? [['sent', delays.sent], ['failed', delays.delivered]]
      : [['sent', delays.sent], ['delivered', delays.delivered], ['read', delays.read]];
    const business = this.business(phoneNumberId);
    for (const [status, delay] of plan) {
      if (delay === null || delay === undefined) continue;
      const error = status === 'failed' ? sandboxError(configured ?? 131026) : undefined;
      const payload = buildStatusWebhook({ business, messageId, recipientId: waId, status, bizOpaqueCallbackData: callbackData, error });
      this.later(delay, async () => {
        if (hook.batchMs) return this.batchStatus(target, business, payload, hook.batchMs);
        this.rememberDelivery(await postSignedWebhook(target.url, payload, target.appSecret));
      });
    }
  }

  private batchStatus(target: { url: string; appSecret: string }, business: BusinessNumber, payload: Record<string, unknown>, batchMs: number): void {
    const key = `${target.url} ${business.phoneNumberId}`;
    const batch = this.statusBatches.get(key);
    if (batch) {
      batch.push(payload);
      if (batch.length >= MAX_STATUS_BATCH) this.flushStatuses(key, target, business);
      return;
    }
    this.statusBatches.set(key, [payload]);
    this.later(batchMs, async () => this.flushStatuses(key, target, business));
  }

  private async flushStatuses(key: string, target: { url: string; appSecret: string }, business: BusinessNumber): Promise<void> {
    const payloads = this.statusBatches.get(key);
    if (!payloads) return;
    this.statusBatches.delete(key);
    this.rememberDelivery(await postSignedWebhook(target.url, batchStatusWebhook(business, payloads), target.appSecret));
  }

  private business(phoneNumberId: string): BusinessNumber {
    return this.options.businessNumbers?.find((n) => n.phoneNumberId === phoneNumberId) ?? { phoneNumberId, displayPhoneNumber: '15550001234', wabaId: `waba-${phoneNumberId}` };
  }

  private later(ms: number, task: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void task();
    }, ms);
    this.timers.add(timer);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.later(ms, async () => resolve()));
  }
}

function faultResponse(kind: Exclude<FaultKind, 'timeout' | 'gateway504' | 'acceptThenReset'>): SimulatorResponse {
  switch (kind) {
    case 'http500':
      return graphError(500, 131000, 'Something went wrong', 'Internal error. Please retry.');
    case 'rateLimit130429':
      return graphError(400, 130429, 'Rate limit hit', 'Cloud API message throughput has been reached.');
    case 'windowClosed131047':
      return graphError(400, 131047, 'Re-engagement message', 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.');
    case 'auth190':
      return graphError(401, 190, 'Error validating access token: Session has expired.', undefined, 463);
    case 'pair131056':
      return graphError(400, 131056, '(Business Account, Consumer Account) pair rate limit hit', 'Too many messages sent from this phone number to the same phone number in a short period of time.');
    case 'undeliverable131026':
      return graphError(400, 131026, 'Message Undeliverable.', 'Message Undeliverable.');
    case 'marketing131049':
      return graphError(400, 131049, 'This message was not delivered to maintain healthy ecosystem engagement.', 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.');
    case 'kapso409':
      return { status: 409, body: { error: 'Another message is being processed for this conversation. Retry shortly.' } };
  }
}

function unsupported(method: string, path: string): SimulatorResponse {
  return graphError(400, 100, `Unsupported ${method.toLowerCase()} request. Object with ID '${path}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, undefined, 33);
}

/** Meta answers Mexican mobiles with the legacy `521` wa_id. */
function simulatedWaId(to: string): string {
  const d = digits(to) ?? '';
  return /^52\d{10}$/.test(d) ? `521${d.slice(2)}` : d;
}

function digits(value: unknown): string | undefined {
  return typeof value === 'string' ? value.replace(/\D/g, '') : undefined;
}

function normalise(input: SimulatorRequest): SimulatorRequest & { query: Record<string, string | undefined> } {
  const [path, search] = input.path.split('?', 2);
  const query: Record<string, string | undefined> = { ...Object.fromEntries(new URLSearchParams(search ?? '')), ...input.query };
  const headers = Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { ...input, method: input.method.toUpperCase(), path, query, headers };
}
