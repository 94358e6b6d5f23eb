/**
 * View models of API answers. The generated schema types nullable strings as objects (a swagger quirk of
 * `string | null` properties), so the screens read these narrower shapes; field names match the schema.
 */
export interface Contact {
  id: string;
  name: string | null;
  profileName: string | null;
  phoneE164: string | null;
  labels: string[];
  customAttributes?: Record<string, unknown>;
  optedOutAt?: string | null;
}

export interface Conversation {
  id: string;
  accountId: string;
  status: 'open' | 'closed';
  unreadCount: number;
  lastMessageAt: string | null;
  lastMessagePreview: string | null;
  windowExpiresAt: string | null;
  windowOpen: boolean;
  botPaused: boolean;
  labels: string[];
  flow: { flowId?: string; state?: string } | null;
  assignee: { id: string; name: string | null; email: string } | null;
  contact: Contact;
}

export type MessageStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'played' | 'failed' | 'received';

export interface Message {
  id: string;
  conversationId: string;
  direction: 'inbound' | 'outbound';
  type: string;
  status: MessageStatus;
  text: string | null;
  content: Record<string, unknown>;
  occurredAt: string;
  replyToMessageId: string | null;
  templateName: string | null;
  errorCode: string | null;
  errorTitle: string | null;
  isAi: boolean;
  agentName: string | null;
  kind: string | null;
  /** Our WhatsApp id (wamid): what a reaction names its target by. */
  providerMessageId?: string | null;
  /** The stored file of a media message: GET /api/v1/media/{id} serves it. */
  media?: MediaFile | null;
}

export interface MediaFile {
  id: string;
  mimeType: string | null;
  sizeBytes: number | null;
  filename: string | null;
  status: string;
}

export interface QuickReply {
  id: string;
  shortcut: string;
  body: string;
}

export interface UnreadSummary {
  conversations: number;
  messages: number;
}

export interface Template {
  id: string;
  whatsappAccountId: string;
  name: string;
  language: string;
  status: string;
  components: Array<{ type: string; text?: string; format?: string; buttons?: Array<{ type: string; text: string }> }>;
}

export interface Note {
  id: string;
  body: string;
  createdAt: string;
  author: { name: string | null; email: string } | null;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface Me {
  kind: 'user' | 'api_key';
  id: string;
  role: string;
  email: string | null;
  name: string | null;
}
