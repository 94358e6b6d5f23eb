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
}
export interface Message {
  id: number;
  conversation_id: number;
  content: string;
  message_type: number;
  private: boolean;
  source_id: string | null;
}

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
    const raw = Buffer.concat(chunks).toString();
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
    const [status, body] = this.route(req.method ?? '', path, new URL(req.url ?? '', 'http://x').searchParams, raw ? JSON.parse(raw) : {});
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
      case 'GET /conversations/:id/messages':
        return [200, { meta: {}, payload: this.messages.filter((m) => m.conversation_id === ids[0]) }];
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
      private: Boolean(body.private),
      source_id: (body.source_id as string | undefined) ?? null,
    };
    this.messages.push(message);
    return [200, message];
  }
}
