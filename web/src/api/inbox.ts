import { api, call } from './client';
import type { Contact, Conversation, Me, MediaFile, Message, Note, Page, QuickReply, Template, UnreadSummary } from './types';

export interface ConversationFilters {
  status?: 'open' | 'closed';
  unread?: boolean;
  mine?: boolean;
  unassigned?: boolean;
  botPaused?: boolean;
  flowState?: string;
  label?: string;
  q?: string;
}

export const session = {
  me: () => call<Me>(api.GET('/api/v1/auth/me')),
  login: (email: string, password: string) => call<unknown>(api.POST('/api/v1/auth/session', { body: { email, password } })),
  logout: () => call<unknown>(api.DELETE('/api/v1/auth/session')),
};

export function listConversations(filters: ConversationFilters, me: Me | null, cursor?: string): Promise<Page<Conversation>> {
  const assigneeId = filters.mine && me?.kind === 'user' ? me.id : undefined;
  const query = {
    limit: 50,
    cursor,
    status: filters.status,
    unread: filters.unread || undefined,
    botPaused: filters.botPaused || undefined,
    unassigned: filters.unassigned || undefined,
    flowState: filters.flowState?.trim() || undefined,
    label: filters.label || undefined,
    q: filters.q || undefined,
    assigneeId,
  };
  return call<Page<Conversation>>(api.GET('/api/v1/conversations', { params: { query: query as never } }));
}

export const conversations = {
  unread: () => call<UnreadSummary>(api.GET('/api/v1/conversations/unread')),
  get: (id: string) => call<Conversation>(api.GET('/api/v1/conversations/{id}', { params: { path: { id } } })),
  messages: (id: string) => call<Page<Message>>(api.GET('/api/v1/conversations/{id}/messages', { params: { path: { id }, query: { limit: 100 } as never } })),
  read: (id: string) => call<unknown>(api.POST('/api/v1/conversations/{id}/read', { params: { path: { id } } })),
  close: (id: string) => call<Conversation>(api.POST('/api/v1/conversations/{id}/close', { params: { path: { id } } })),
  reopen: (id: string) => call<Conversation>(api.POST('/api/v1/conversations/{id}/reopen', { params: { path: { id } } })),
  assign: (id: string, userId: string | null) => call<Conversation>(api.POST('/api/v1/conversations/{id}/assign', { params: { path: { id } }, body: { userId } as never })),
  pauseBot: (id: string) => call<Conversation>(api.POST('/api/v1/conversations/{id}/bot/pause', { params: { path: { id } } })),
  resumeBot: (id: string) => call<Conversation>(api.POST('/api/v1/conversations/{id}/bot/resume', { params: { path: { id } } })),
  resetFlow: (id: string) => call<Conversation>(api.POST('/api/v1/conversations/{id}/bot/reset', { params: { path: { id } }, body: {} as never })),
  labels: (id: string, change: { add?: string[]; remove?: string[] }) =>
    call<Conversation>(api.POST('/api/v1/conversations/{id}/labels', { params: { path: { id } }, body: change })),
};

export const messages = {
  sendText: (conversationId: string, body: string, replyToMessageId?: string) =>
    call<Message>(api.POST('/api/v1/messages', { body: { conversationId, type: 'text', text: { body }, replyToMessageId } as never })),
  /** An uploaded file (see media.upload) as an image, video, audio or document message. */
  sendMedia: (conversationId: string, file: MediaFile, caption?: string, replyToMessageId?: string) => {
    const type = mediaMessageType(file.mimeType);
    const object: Record<string, string> = { id: file.id };
    if (caption && type !== 'audio') object.caption = caption;
    if (type === 'document' && file.filename) object.filename = file.filename;
    return call<Message>(api.POST('/api/v1/messages', { body: { conversationId, type, [type]: object, replyToMessageId } as never }));
  },
  sendTemplate: (conversationId: string, template: Template, variables: Record<string, string>) =>
    call<Message>(
      api.POST('/api/v1/messages', {
        body: { conversationId, type: 'template', template: { name: template.name, language: template.language, variables } } as never,
      }),
    ),
  retry: (id: string) => call<Message>(api.POST('/api/v1/messages/{id}/retry', { params: { path: { id } } })),
};

export const templates = {
  approved: (accountId: string) =>
    call<Page<Template>>(api.GET('/api/v1/templates', { params: { query: { accountId, status: 'APPROVED', limit: 100 } as never } })),
};

export const contacts = {
  get: (id: string) => call<Contact>(api.GET('/api/v1/contacts/{id}', { params: { path: { id } } })),
  notes: (id: string) => call<Page<Note>>(api.GET('/api/v1/contacts/{id}/notes', { params: { path: { id } } })),
  addNote: (id: string, body: string) => call<Note>(api.POST('/api/v1/contacts/{id}/notes', { params: { path: { id } }, body: { body } })),
  optOut: (id: string) => call<Contact>(api.POST('/api/v1/contacts/{id}/opt-out', { params: { path: { id } } })),
  optIn: (id: string) => call<Contact>(api.POST('/api/v1/contacts/{id}/opt-in', { params: { path: { id } } })),
  /** Merges: a key set to null is removed. */
  setAttributes: (id: string, customAttributes: Record<string, string | null>) =>
    call<Contact>(api.PATCH('/api/v1/contacts/{id}', { params: { path: { id } }, body: { customAttributes } as never })),
  history: (id: string) => call<Page<Message>>(api.GET('/api/v1/contacts/{id}/history', { params: { path: { id }, query: { limit: 30 } as never } })),
  erase: (id: string) => call<unknown>(api.DELETE('/api/v1/contacts/{id}', { params: { path: { id } } })),
};

/** The message type WhatsApp sends a file as, by its MIME type. */
export function mediaMessageType(mimeType: string | null): 'image' | 'video' | 'audio' | 'document' {
  const major = (mimeType ?? '').split('/')[0];
  return major === 'image' || major === 'video' || major === 'audio' ? major : 'document';
}

export const media = {
  url: (id: string) => `/api/v1/media/${id}`,
  /** Multipart upload for the conversation's account; WhatsApp's types and size limits are checked by the server. */
  upload: (accountId: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return call<MediaFile>(api.POST('/api/v1/media', { params: { query: { accountId } }, body: form as never }));
  },
};

export const quickReplies = {
  list: () => call<{ data: QuickReply[] }>(api.GET('/api/v1/quick-replies')).then((list) => list.data),
};
