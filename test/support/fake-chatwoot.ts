import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Contact {
  id: number;
  name: string;
  phone_number: string;
  identifier: string;
  contact_inboxes: Array<{ source_id: string; inbox: { id: number } }>;
}
export interface Conversation {
  id: number;
  account_id: number;
  inbox_id: number;
  contact_id: number;
  status: string;
  custom_attributes: Record<string, unknown>;
  labels: string[];
  assignee_id: number | null;
  last_activity_at: number;
}
export interface Message {
  id: number;
  conversation_id: number;
  content: string;
  message_type: number;
  private: boolean;
  source_id: string | null;
  // Optional: messages a test writes into the fake directly (an agent's reply) may leave them out.
  status?: string;
  content_attributes?: Record<string, unknown>;
  attachments?: Array<{ id: number; file_type: string; content_type: string; file_name: string; size: number; data: Buffer }>;
}

const PAGE = 20;

/** Answers the next matching requests with a fault; `applyFirst` performs the write before failing (a lost answer). */
export interface Fault {
  match: RegExp;
  status: number;
  times: number;
  applyFirst?: boolean;
}

const MESSAGE_TYPES: Record<string, number> = { incoming: 0, outgoing: 1, activity: 2, template: 3 };

/**
 * A fake Chatwoot on loopback: the Application API endpoints the sync uses, with the shapes of Chatwoot's public
 * documentation, a required `api_access_token`, and fault injection (status codes, a whole outage).
 */
export class FakeChatwoot {
  readonly contacts: Contact[] = [];
  readonly conversations: Conversation[] = [];
  readonly messages: Message[] = [];
  readonly requests: Array<{ method: string; path: string }> = [];
  private readonly faults: Fault[] = [];
  private down = false;
  protected nextId = 1;
  private server?: Server;

  constructor(
    private readonly port: number,
    readonly token = 'cw-test-token',
    readonly accountId = 1,
    readonly inboxId = 7,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo | null)?.port ?? this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((done) => this.server!.listen(this.port, '127.0.0.1', done));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }

  fail(fault: Fault): void {
    this.faults.push(fault);
  }

  /** While down, every request answers 503. */
  setDown(down: boolean): void {
    this.down = down;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBytes = Buffer.concat(chunks);
    const raw = rawBytes.toString();
    const path = (req.url ?? '').split('?')[0];
    this.requests.push({ method: req.method ?? '', path });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.api_access_token !== this.token) return send(401, { error: 'You need to sign in or sign up before continuing.' });
    if (this.down) return send(503, { error: 'unavailable' });
    const fault = this.faults.find((f) => f.times > 0 && f.match.test(`${req.method} ${path}`));
    if (fault) fault.times -= 1;
    if (fault && !fault.applyFirst) return send(fault.status, { error: 'injected' });
    const contentType = String(req.headers['content-type'] ?? '');
    const parsed = contentType.startsWith('multipart/form-data') ? await parseMultipart(contentType, rawBytes) : raw ? JSON.parse(raw) : {};
    const [status, body] = this.route(req.method ?? '', path, new URL(req.url ?? '', 'http://x').searchParams, parsed);
    send(fault ? fault.status : status, fault ? { error: 'injected' } : body);
  }

  protected route(method: string, path: string, query: URLSearchParams, body: Record<string, unknown>): [number, unknown] {
    const prefix = `/api/v1/accounts/${this.accountId}`;
    if (!path.startsWith(prefix)) return [404, { error: 'not found' }];
    const rest = path.slice(prefix.length);
    const key = `${method} ${rest.replace(/\d+/g, ':id')}`;
    const ids = (rest.match(/\d+/g) ?? []).map(Number);
    switch (key) {
      case 'GET /contacts/search': {
        const q = query.get('q') ?? '';
        return [200, { meta: {}, payload: this.contacts.filter((c) => c.identifier === q || c.phone_number === q || c.name.includes(q)) }];
      }
      case 'POST /contacts':
        return this.createContact(body);
      case 'POST /contacts/:id/contact_inboxes':
        return this.createContactInbox(ids[0], body);
      case 'GET /contacts/:id/conversations':
        return [200, { payload: this.conversations.filter((c) => c.contact_id === ids[0]) }];
      case 'POST /conversations':
        return this.createConversation(body);
      case 'POST /conversations/:id/custom_attributes': {
        const conversation = this.conversations.find((c) => c.id === ids[0]);
        if (!conversation) return [404, { error: 'conversation not found' }];
        conversation.custom_attributes = (body.custom_attributes as Record<string, unknown>) ?? {};
        return [200, { custom_attributes: conversation.custom_attributes }];
      }
      case 'GET /conversations': {
        // 25 a page, most recently active first; `status=all` for every status.
        const status = query.get('status') ?? 'open';
        const inboxId = query.get('inbox_id');
        const page = Math.max(1, Number(query.get('page') ?? 1));
        const matching = this.conversations
          .filter((c) => (status === 'all' || c.status === status) && (!inboxId || c.inbox_id === Number(inboxId)))
          .sort((a, b) => b.last_activity_at - a.last_activity_at || b.id - a.id);
        return [200, { data: { meta: { all_count: matching.length }, payload: matching.slice((page - 1) * 25, page * 25) } }];
      }
      case 'GET /conversations/:id': {
        const conversation = this.conversations.find((c) => c.id === ids[0]);
        return conversation ? [200, conversation] : [404, { error: 'Resource could not be found' }];
      }
      case 'POST /conversations/:id/toggle_status': {
        const conversation = this.conversations.find((c) => c.id === ids[0]);
        if (!conversation) return [404, { error: 'Resource could not be found' }];
        if (!['open', 'resolved', 'pending', 'snoozed'].includes(String(body.status))) return [422, { error: 'invalid status' }];
        conversation.status = String(body.status);
        return [200, { meta: {}, payload: { success: true, current_status: conversation.status, conversation_id: conversation.id } }];
      }
      case 'POST /conversations/:id/assignments': {
        const conversation = this.conversations.find((c) => c.id === ids[0]);
        if (!conversation) return [404, { error: 'Resource could not be found' }];
        conversation.assignee_id = body.assignee_id ? Number(body.assignee_id) : null;
        return [200, conversation.assignee_id ? { id: conversation.assignee_id } : null];
      }
      case 'POST /conversations/:id/labels': {
        const conversation = this.conversations.find((c) => c.id === ids[0]);
        if (!conversation) return [404, { error: 'Resource could not be found' }];
        conversation.labels = [...new Set((body.labels as string[] | undefined) ?? [])];
        return [200, { payload: conversation.labels }];
      }
      case 'GET /conversations/:id/messages': {
        // The latest page; older ones with `before=<message id>`.
        const before = Number(query.get('before') ?? Infinity);
        const page = this.messages.filter((m) => m.conversation_id === ids[0] && m.id < before).slice(-PAGE);
        return [200, { meta: {}, payload: page.map(withoutFileData) }];
      }
      case 'PATCH /conversations/:id/messages/:id': {
        const message = this.messages.find((m) => m.conversation_id === ids[0] && m.id === ids[1]);
        if (!message) return [404, { error: 'Resource could not be found' }];
        if (!['sent', 'delivered', 'read', 'failed'].includes(String(body.status))) return [422, { error: 'invalid status' }];
        message.status = String(body.status);
        if (body.external_error) message.content_attributes = { ...message.content_attributes, external_error: body.external_error };
        return [200, { id: message.id, status: message.status, content_attributes: message.content_attributes }];
      }
      case 'POST /conversations/:id/messages':
        return this.createMessage(ids[0], body);
      default:
        return [404, { error: `no route ${key}` }];
    }
  }

  private createContact(body: Record<string, unknown>): [number, unknown] {
    if (body.identifier && this.contacts.some((c) => c.identifier === body.identifier)) return [422, { message: 'Identifier has already been taken' }];
    const inbox = { source_id: `src-${this.nextId}`, inbox: { id: Number(body.inbox_id) } };
    const contact: Contact = { id: this.nextId++, name: String(body.name ?? ''), phone_number: String(body.phone_number ?? ''), identifier: String(body.identifier ?? ''), contact_inboxes: body.inbox_id ? [inbox] : [] };
    this.contacts.push(contact);
    return [200, { payload: { contact, contact_inbox: body.inbox_id ? inbox : null } }];
  }

  private createContactInbox(contactId: number, body: Record<string, unknown>): [number, unknown] {
    const contact = this.contacts.find((c) => c.id === contactId);
    if (!contact) return [404, { error: 'contact not found' }];
    const inbox = { source_id: String(body.source_id ?? `src-${this.nextId++}`), inbox: { id: Number(body.inbox_id) } };
    contact.contact_inboxes.push(inbox);
    return [200, inbox];
  }

  private createConversation(body: Record<string, unknown>): [number, unknown] {
    const contact = this.contacts.find((c) => c.contact_inboxes.some((ci) => ci.source_id === body.source_id));
    if (!contact || contact.id !== Number(body.contact_id)) return [422, { message: 'source_id does not belong to the contact' }];
    const conversation: Conversation = {
      id: this.nextId++,
      account_id: this.accountId,
      inbox_id: Number(body.inbox_id),
      contact_id: contact.id,
      status: String(body.status ?? 'open'),
      custom_attributes: (body.custom_attributes as Record<string, unknown>) ?? {},
      labels: [],
      assignee_id: null,
      last_activity_at: Math.floor(Date.now() / 1000),
    };
    this.conversations.push(conversation);
    return [200, conversation];
  }

  protected createMessage(conversationId: number, body: Record<string, unknown>): [number, unknown] {
    if (!this.conversations.some((c) => c.id === conversationId)) return [404, { error: 'conversation not found' }];
    const message: Message = {
      id: this.nextId++,
      conversation_id: conversationId,
      content: String(body.content ?? ''),
      message_type: MESSAGE_TYPES[String(body.message_type ?? 'outgoing')] ?? 1,
      // Multipart fields arrive as strings.
      private: body.private === true || body.private === 'true',
      source_id: (body.source_id as string | undefined) ?? null,
      status: 'sent',
      content_attributes: {},
      attachments: ((body['attachments[]'] as Upload[] | undefined) ?? []).map((file) => ({
        id: this.nextId++,
        file_type: file.type.split('/')[0] === 'application' ? 'file' : file.type.split('/')[0],
        content_type: file.type,
        file_name: file.name,
        size: file.data.length,
        data: file.data,
      })),
    };
    this.messages.push(message);
    return [200, withoutFileData(message)];
  }
}

interface Upload {
  name: string;
  type: string;
  data: Buffer;
}

/** Form fields as strings, files (repeatable, e.g. `attachments[]`) as arrays of uploads. */
async function parseMultipart(contentType: string, raw: Buffer): Promise<Record<string, unknown>> {
  const form = await new Request('http://fake.invalid', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(raw) }).formData();
  const fields: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') fields[key] = value;
    else fields[key] = [...((fields[key] as Upload[] | undefined) ?? []), { name: value.name, type: value.type, data: Buffer.from(await value.arrayBuffer()) }];
  }
  return fields;
}

/** A message as Chatwoot answers it: attachments described, their bytes kept only in the fake. */
function withoutFileData({ attachments, ...m }: Message) {
  return { ...m, attachments: (attachments ?? []).map(({ data: _data, ...a }) => a) };
}
