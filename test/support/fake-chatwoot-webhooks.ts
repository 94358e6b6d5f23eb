import { createHmac, randomUUID } from 'node:crypto';
import { type Conversation, FakeChatwoot, type Message } from './fake-chatwoot';

/** Where the fake posts its webhooks: signed like Chatwoot (`X-Chatwoot-Signature`), or with `?token=` on the URL. */
export interface WebhookTarget {
  url: string;
  secret: string;
  mode?: 'signature' | 'token';
}

export interface Delivery {
  event: string;
  status: number;
  body: Record<string, unknown>;
}

const TYPE_NAMES = ['incoming', 'outgoing', 'activity', 'template'];
const AGENT = { id: 3, name: 'Ana Agente', email: 'ana@seguros.example', type: 'user' };

/**
 * The fake Chatwoot that also calls back: `GET /inboxes/:id`, the webhooks Chatwoot sends when an agent replies or a
 * conversation changes status, and the echo Chatwoot sends for every message created through its API (Conversa's own).
 */
export class FakeChatwootWithWebhooks extends FakeChatwoot {
  readonly deliveries: Delivery[] = [];
  target?: WebhookTarget;
  /** Echo `message_created` for messages created through the API, as Chatwoot does. */
  echo = true;
  /** Also send `conversation_status_changed` when a status is changed through the API (`toggle_status`) and differs, as Chatwoot does. */
  echoStatusChanges = false;
  private readonly pending = new Set<Promise<unknown>>();
  private clock = 0;

  /** A human agent writes in the conversation; answers the webhook body so a test can deliver it again. */
  async agentReply(conversationId: number, content: string, options: { private?: boolean } = {}): Promise<Record<string, unknown>> {
    const message: Message = { id: this.nextId++, conversation_id: conversationId, content, message_type: 1, private: Boolean(options.private), source_id: null };
    this.messages.push(message);
    const body = this.messageEvent(message, AGENT);
    await this.deliver(body);
    return body;
  }

  /** An agent resolves or reopens the conversation in Chatwoot. */
  async setStatus(conversationId: number, status: 'open' | 'resolved' | 'pending'): Promise<Record<string, unknown>> {
    const conversation = this.conversationById(conversationId);
    const previous = conversation.status;
    conversation.status = status;
    const body = this.statusChangedEvent(conversation, previous);
    await this.deliver(body);
    return body;
  }

  /** An agent changes the conversation's labels or assignee (`conversation_updated`). */
  async update(conversationId: number, change: { labels?: string[]; assigneeEmail?: string }): Promise<Record<string, unknown>> {
    const conversation = this.conversationById(conversationId);
    if (change.labels) conversation.labels = change.labels;
    const data = this.conversationData(conversation);
    const assignee = change.assigneeEmail ? { id: 9, name: 'Agente', email: change.assigneeEmail, type: 'user' } : null;
    const body = { event: 'conversation_updated', ...data, meta: { assignee }, changed_attributes: [{ label_list: { current_value: conversation.labels } }] };
    await this.deliver(body);
    return body;
  }

  /** Posts a webhook body (again); each call is one delivery, signed with a fresh timestamp. */
  async deliver(body: Record<string, unknown>, overrides: { signature?: string; timestamp?: string } = {}): Promise<number> {
    if (!this.target) throw new Error('FakeChatwoot has no webhook target');
    const raw = JSON.stringify(body);
    const timestamp = overrides.timestamp ?? String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-chatwoot-delivery': randomUUID() };
    let url = this.target.url;
    if (this.target.mode === 'token') url += `?token=${encodeURIComponent(this.target.secret)}`;
    else {
      headers['x-chatwoot-timestamp'] = timestamp;
      headers['x-chatwoot-signature'] = overrides.signature ?? `sha256=${createHmac('sha256', this.target.secret).update(`${timestamp}.${raw}`).digest('hex')}`;
    }
    const res = await fetch(url, { method: 'POST', headers, body: raw });
    await res.body?.cancel();
    this.deliveries.push({ event: String(body.event), status: res.status, body });
    return res.status;
  }

  /** Waits for the echoes still in flight. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  override async stop(): Promise<void> {
    await this.settled();
    await super.stop();
  }

  protected override route(method: string, path: string, query: URLSearchParams, body: Record<string, unknown>): [number, unknown] {
    const inbox = path.match(/^\/api\/v1\/accounts\/(\d+)\/inboxes\/(\d+)$/);
    if (method === 'GET' && inbox && Number(inbox[1]) === this.accountId) {
      return Number(inbox[2]) === this.inboxId ? [200, { id: this.inboxId, name: 'WhatsApp (Conversa)', channel_type: 'Channel::Api' }] : [404, { error: 'Resource could not be found' }];
    }
    const toggled = method === 'POST' ? path.match(/\/conversations\/(\d+)\/toggle_status$/) : null;
    const conversation = toggled ? this.conversations.find((c) => c.id === Number(toggled[1])) : undefined;
    const previous = conversation?.status;
    const answer = super.route(method, path, query, body);
    if (conversation && this.echoStatusChanges && this.target && answer[0] === 200 && conversation.status !== previous) this.track(this.deliver(this.statusChangedEvent(conversation, previous!)));
    return answer;
  }

  protected override createMessage(conversationId: number, body: Record<string, unknown>): [number, unknown] {
    const [status, created] = super.createMessage(conversationId, body);
    // The API caller is a user (the integration's token), so Chatwoot's echo names a user as the sender.
    if (status === 200 && this.echo && this.target) this.track(this.deliver(this.messageEvent(created as Message, { id: 1, name: 'Conversa', email: 'api@conversa.example', type: 'user' })));
    return [status, created];
  }

  private track(promise: Promise<unknown>): void {
    const settled = promise.catch(() => undefined).finally(() => this.pending.delete(settled));
    this.pending.add(settled);
  }

  private conversationById(id: number): Conversation {
    const conversation = this.conversations.find((c) => c.id === id);
    if (!conversation) throw new Error(`no conversation ${id}`);
    return conversation;
  }

  private statusChangedEvent(conversation: Conversation, previous: string): Record<string, unknown> {
    return { event: 'conversation_status_changed', ...this.conversationData(conversation), changed_attributes: [{ status: { previous_value: previous, current_value: conversation.status } }] };
  }

  private conversationData(c: Conversation): Record<string, unknown> {
    // Chatwoot's conversation payload carries its activity timestamps, so two changes never have the same body.
    const timestamp = (this.clock = Math.max(this.clock + 1, Math.floor(Date.now() / 1000)));
    return { id: c.id, inbox_id: c.inbox_id, status: c.status, custom_attributes: c.custom_attributes, labels: c.labels, meta: { assignee: null }, account: { id: this.accountId }, timestamp };
  }

  private messageEvent(m: Message, sender: Record<string, unknown>): Record<string, unknown> {
    return {
      event: 'message_created',
      id: m.id,
      content: m.content,
      content_type: 'text',
      message_type: TYPE_NAMES[m.message_type] ?? 'outgoing',
      private: m.private,
      source_id: m.source_id,
      created_at: new Date().toISOString(),
      sender,
      account: { id: this.accountId },
      inbox: { id: this.inboxId },
      conversation: this.conversationData(this.conversationById(m.conversation_id)),
    };
  }
}
