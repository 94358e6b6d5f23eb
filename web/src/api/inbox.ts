import { api, call } from './client';
import type { Contact, Conversation, Me, Message, Note, Page, Template } from './types';

export interface ConversationFilters {
  status?: 'open' | 'closed';
  unread?: boolean;
  mine?: boolean;
  botPaused?: boolean;
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
    label: filters.label || undefined,
    q: filters.q || undefined,
    assigneeId,
  };
  return call<Page<Conversation>>(api.GET('/api/v1/conversations', { params: { query: query as never } }));
}

export const conversations = {
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
  sendText: (conversationId: string, body: string) =>
    call<Message>(api.POST('/api/v1/messages', { body: { conversationId, type: 'text', text: { body } } as never })),
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
};
