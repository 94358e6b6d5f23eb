import { UnrecoverableError } from 'bullmq';

const TIMEOUT_MS = 10_000;

export interface ChatwootTarget {
  baseUrl: string;
  accountId: number;
  apiAccessToken: string;
}

export interface ChatwootContact {
  id: number;
  contact_inboxes?: Array<{ source_id: string; inbox: { id: number } }>;
}

export interface ChatwootConversation {
  id: number;
  inbox_id: number;
  status?: ChatwootConversationStatus;
  labels?: string[];
  custom_attributes?: Record<string, unknown>;
  /** Epoch seconds. */
  last_activity_at?: number;
}

export type ChatwootConversationStatus = 'open' | 'resolved' | 'pending' | 'snoozed';

export interface ChatwootMessage {
  id: number;
  source_id?: string | null;
}

export interface NewChatwootMessage {
  content: string;
  message_type: 'incoming' | 'outgoing';
  private: boolean;
  source_id: string;
}

export interface ChatwootAttachment {
  data: Buffer;
  mimeType: string;
  fileName: string;
}

/** A failed call: 429, 5xx and network errors are worth retrying; other 4xx are not. */
export class ChatwootCallError extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.status === null || this.status === 429 || this.status >= 500;
  }
}

/** Chatwoot's public Application API (`/api/v1/accounts/:account_id/…`, header `api_access_token`). */
export class ChatwootApiClient {
  constructor(private readonly target: ChatwootTarget) {}

  searchContacts(q: string): Promise<{ payload: ChatwootContact[] }> {
    return this.call('GET', `/contacts/search?q=${encodeURIComponent(q)}`);
  }

  createContact(body: { inbox_id: number; name: string; phone_number: string; identifier: string }) {
    return this.call<{ payload: { contact: ChatwootContact; contact_inbox: { source_id: string } } }>('POST', '/contacts', body);
  }

  createContactInbox(contactId: number, body: { inbox_id: number; source_id?: string }): Promise<{ source_id: string }> {
    return this.call('POST', `/contacts/${contactId}/contact_inboxes`, body);
  }

  contactConversations(contactId: number): Promise<{ payload: ChatwootConversation[] }> {
    return this.call('GET', `/contacts/${contactId}/conversations`);
  }

  createConversation(body: { source_id: string; inbox_id: number; contact_id: number; custom_attributes: Record<string, unknown> }): Promise<ChatwootConversation> {
    return this.call('POST', '/conversations', body);
  }

  /** Chatwoot replaces the whole set, so every call carries all of Conversa's attributes. */
  setConversationAttributes(conversationId: number, customAttributes: Record<string, unknown>): Promise<unknown> {
    return this.call('POST', `/conversations/${conversationId}/custom_attributes`, { custom_attributes: customAttributes });
  }

  /** One page (25, most recently active first) of the inbox's conversations in any status. */
  listConversations(inboxId: number, page: number): Promise<{ data: { payload: ChatwootConversation[] } }> {
    return this.call('GET', `/conversations?inbox_id=${inboxId}&status=all&page=${page}`);
  }

  getConversation(conversationId: number): Promise<ChatwootConversation> {
    return this.call('GET', `/conversations/${conversationId}`);
  }

  toggleStatus(conversationId: number, status: ChatwootConversationStatus): Promise<unknown> {
    return this.call('POST', `/conversations/${conversationId}/toggle_status`, { status });
  }

  /** `assignee_id: null` leaves the conversation unassigned. */
  assign(conversationId: number, assigneeId: number | null): Promise<unknown> {
    return this.call('POST', `/conversations/${conversationId}/assignments`, { assignee_id: assigneeId });
  }

  /** Replaces the conversation's whole label set. */
  setLabels(conversationId: number, labels: string[]): Promise<unknown> {
    return this.call('POST', `/conversations/${conversationId}/labels`, { labels });
  }

  /** API-channel inboxes only: the delivery status Conversa learnt, with the provider's error shown to the agent. */
  updateMessageStatus(conversationId: number, messageId: number, body: { status: 'sent' | 'delivered' | 'read' | 'failed'; external_error?: string }): Promise<unknown> {
    return this.call('PATCH', `/conversations/${conversationId}/messages/${messageId}`, body);
  }

  /** One page: Chatwoot answers the latest messages, older ones with `before=<message id>`. */
  listMessages(conversationId: number, before?: number): Promise<{ payload: ChatwootMessage[] }> {
    return this.call('GET', `/conversations/${conversationId}/messages${before ? `?before=${before}` : ''}`);
  }

  async allMessages(conversationId: number): Promise<ChatwootMessage[]> {
    const all: ChatwootMessage[] = [];
    let before: number | undefined;
    for (;;) {
      const { payload } = await this.listMessages(conversationId, before);
      all.push(...payload);
      const oldest = Math.min(...payload.map((m) => m.id));
      if (payload.length === 0 || (before !== undefined && oldest >= before)) return all;
      before = oldest;
    }
  }

  createMessage(conversationId: number, body: NewChatwootMessage, attachment?: ChatwootAttachment): Promise<ChatwootMessage> {
    if (!attachment) return this.call('POST', `/conversations/${conversationId}/messages`, body);
    // Attachments go as multipart `attachments[]`, the other fields as form fields beside them.
    const form = new FormData();
    for (const [key, value] of Object.entries(body)) form.append(key, String(value));
    form.append('attachments[]', new Blob([new Uint8Array(attachment.data)], { type: attachment.mimeType }), attachment.fileName);
    return this.call('POST', `/conversations/${conversationId}/messages`, form);
  }

  /** Throws ChatwootCallError for a non-retryable answer as BullMQ's UnrecoverableError, so the job stops retrying. */
  static asJobError(error: unknown): Error {
    if (error instanceof ChatwootCallError && !error.retryable) return new UnrecoverableError(error.message);
    return error as Error;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.target.baseUrl.replace(/\/+$/, '')}/api/v1/accounts/${this.target.accountId}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { api_access_token: this.target.apiAccessToken, ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new ChatwootCallError(null, `Chatwoot ${method} ${path.split('?')[0]} failed: ${(error as Error).name}`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new ChatwootCallError(res.status, `Chatwoot ${method} ${path.split('?')[0]} answered ${res.status}`);
    }
    return (await res.json()) as T;
  }
}
