import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { DataSource } from 'typeorm';
import { contactFactory, conversationFactory } from '../factories/contact.factory';
import type { Tenant } from '../factories/tenant.factory';
import type { Contact } from '../../src/database/entities/contact.entity';
import type { Conversation } from '../../src/database/entities/conversation.entity';

export interface SeededConversation {
  contact: Contact;
  conversation: Conversation;
}

/** A contact and its conversation in the tenant's account. */
export async function seedConversation(ds: DataSource, tenant: Tenant, overrides: { contact?: Partial<Contact>; conversation?: Partial<Conversation> } = {}): Promise<SeededConversation> {
  const contact = await contactFactory.create(ds, { organizationId: tenant.organization.id, ...overrides.contact });
  const conversation = await conversationFactory.create(ds, {
    organizationId: tenant.organization.id,
    whatsappAccountId: tenant.account.id,
    contactId: contact.id,
    ...overrides.conversation,
  });
  return { contact, conversation };
}

/** Inserts a message and moves the conversation like ConversationsService.recordInbound/recordOutbound do. */
export async function insertMessage(
  ds: DataSource,
  conversation: Pick<Conversation, 'id' | 'organizationId' | 'whatsappAccountId' | 'contactId'>,
  options: { text: string; direction?: 'inbound' | 'outbound'; occurredAt?: Date; providerMessageId?: string | null },
): Promise<string> {
  const direction = options.direction ?? 'inbound';
  const occurredAt = options.occurredAt ?? new Date();
  const id = randomUUID();
  await ds.query(
    `INSERT INTO message (id, organization_id, whatsapp_account_id, conversation_id, contact_id, direction, type, status, content, text, occurred_at, provider_message_id)
     VALUES ($1, $2, $3, $4, $5, $6, 'text', $7, $8, $9, $10, $11)`,
    [
      id,
      conversation.organizationId,
      conversation.whatsappAccountId,
      conversation.id,
      conversation.contactId,
      direction,
      direction === 'inbound' ? 'received' : 'sent',
      { body: options.text },
      options.text,
      occurredAt,
      options.providerMessageId === undefined ? `wamid.${randomUUID()}` : options.providerMessageId,
    ],
  );
  await ds.query(
    `UPDATE conversation SET
       last_message_preview = CASE WHEN last_message_at IS NULL OR $2 >= last_message_at THEN $3 ELSE last_message_preview END,
       last_message_at = GREATEST(COALESCE(last_message_at, $2), $2),
       unread_count = unread_count + $4,
       window_expires_at = CASE WHEN $4 = 1 THEN GREATEST(COALESCE(window_expires_at, $5), $5) ELSE window_expires_at END
     WHERE id = $1`,
    [conversation.id, occurredAt, options.text.slice(0, 200), direction === 'inbound' ? 1 : 0, new Date(occurredAt.getTime() + 24 * 3600 * 1000)],
  );
  return id;
}

export interface SseEvent {
  event?: string;
  data?: string;
  comment?: string;
  id?: string;
}

/** A raw SSE client: collects parsed events until `close()`. */
export function openEventStream(baseUrl: string, headers: Record<string, string>, query = ''): Promise<{ status: number; events: SseEvent[]; close: () => void }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${baseUrl}/api/v1/events${query}`, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const events: SseEvent[] = [];
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let index: number;
        while ((index = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, index);
          buffer = buffer.slice(index + 2);
          const event: SseEvent = {};
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('data: ')) event.data = (event.data ?? '') + line.slice(6);
            else if (line.startsWith(': ')) event.comment = line.slice(2);
            else if (line.startsWith('id: ')) event.id = line.slice(4);
          }
          if (event.event || event.data || event.comment) events.push(event);
        }
      });
      response.on('error', () => undefined);
      resolve({ status: response.statusCode ?? 0, events, close: () => request.destroy() });
    });
    request.on('error', reject);
  });
}
