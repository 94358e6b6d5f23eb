import type { Page, Template } from './types';
import type {
  Account, AgentConfigView, ApiKey, Campaign, CampaignDetail, CampaignVariantRow, CsvImportResult, Flow, Overview, Recipient, Role,
  TemplateRow, TestResponseResult, User, WebhookDelivery, WebhookEndpoint,
} from './admin-types';
import { api, ApiError, call } from './client';

const path = (id: string) => ({ params: { path: { id } } });

export const campaignsApi = {
  list: () => call<Page<Campaign>>(api.GET('/api/v1/campaigns', { params: { query: { limit: 100 } as never } })),
  get: (id: string) => call<CampaignDetail>(api.GET('/api/v1/campaigns/{id}', path(id))),
  create: (body: { name: string; accountId: string; content: unknown; audience: { labels?: string[] } }) =>
    call<Campaign>(api.POST('/api/v1/campaigns', { body: body as never })),
  /** The CSV goes as the raw body (text/csv): openapi-fetch would JSON-encode it, so this one uses fetch. */
  importCsv: async (id: string, csv: string): Promise<CsvImportResult> => {
    const response = await fetch(`/api/v1/campaigns/${encodeURIComponent(id)}/audience/csv`, {
      method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'text/csv', 'x-conversa-csrf': '1' }, body: csv,
    });
    const body = (await response.json().catch(() => ({}))) as CsvImportResult & { code?: string; message?: string };
    if (!response.ok) throw new ApiError(response.status, body.code ?? 'HTTP_ERROR', body.message ?? response.statusText);
    return body;
  },
  start: (id: string) => call<unknown>(api.POST('/api/v1/campaigns/{id}/start', path(id))),
  pause: (id: string) => call<unknown>(api.POST('/api/v1/campaigns/{id}/pause', path(id))),
  resume: (id: string) => call<unknown>(api.POST('/api/v1/campaigns/{id}/resume', path(id))),
  cancel: (id: string) => call<unknown>(api.POST('/api/v1/campaigns/{id}/cancel', path(id))),
  recipients: (id: string, filter: { status?: string; reason?: string }) =>
    call<Page<Recipient>>(api.GET('/api/v1/campaigns/{id}/recipients', { params: { path: { id }, query: { limit: 100, status: filter.status || undefined, reason: filter.reason || undefined } as never } })),
  csvHref: (id: string) => `/api/v1/campaigns/${encodeURIComponent(id)}/recipients.csv`,
};

export interface Range {
  from: string;
  to?: string;
}

export const analyticsApi = {
  overview: (range: Range) => call<Overview>(api.GET('/api/v1/analytics/overview', { params: { query: range as never } })),
  distribution: (range: Range) =>
    call<{ buckets: Array<{ bucket: string; conversations: number }> }>(api.GET('/api/v1/analytics/first-response-distribution', { params: { query: range as never } })),
  templates: (range: Range) => call<{ data: TemplateRow[] }>(api.GET('/api/v1/analytics/templates', { params: { query: range as never } })),
  campaign: (id: string) => call<{ data: CampaignVariantRow[] }>(api.GET('/api/v1/analytics/campaigns/{id}', path(id))),
  window: (range: Range) => call<{ conversations: number; windowExpired: number; share: number | null }>(api.GET('/api/v1/analytics/window', { params: { query: range as never } })),
};

export const accountsApi = {
  list: () => call<Page<Account>>(api.GET('/api/v1/whatsapp/accounts')),
  update: (id: string, change: Partial<Pick<Account, 'timezone' | 'businessHours'>>) =>
    call<Account>(api.PATCH('/api/v1/whatsapp/accounts/{id}', { ...path(id), body: change as never })),
  test: (id: string) => call<{ ok: boolean; latencyMs: number; error?: string }>(api.POST('/api/v1/whatsapp/accounts/{id}/test', path(id))),
};

export const templatesApi = {
  list: (accountId?: string, status?: string) =>
    call<Page<Template>>(api.GET('/api/v1/templates', { params: { query: { accountId, status, limit: 100 } as never } })),
  create: (body: { accountId: string; name: string; language: string; category: string; components: unknown[] }) =>
    call<Template>(api.POST('/api/v1/templates', { body: body as never })),
  submit: (id: string) => call<Template>(api.POST('/api/v1/templates/{id}/submit', path(id))),
};

export const agentsApi = {
  config: () => call<AgentConfigView>(api.GET('/api/v1/agents/config')),
  update: (body: { autoRepliesEnabled?: boolean; config?: unknown }) => call<AgentConfigView>(api.PUT('/api/v1/agents/config', { body: body as never })),
  test: (text: string) => call<TestResponseResult>(api.POST('/api/v1/agents/test-response', { body: { text } })),
  flows: () => call<{ data: Flow[] }>(api.GET('/api/v1/agents/flows')),
};

export const usersApi = {
  list: () => call<Page<User>>(api.GET('/api/v1/users')),
  create: (body: { email: string; password: string; name?: string; role: Role }) => call<User>(api.POST('/api/v1/users', { body })),
  update: (id: string, change: { role?: Role; isActive?: boolean }) => call<User>(api.PATCH('/api/v1/users/{id}', { ...path(id), body: change })),
};

export const apiKeysApi = {
  list: () => call<Page<ApiKey>>(api.GET('/api/v1/api-keys')),
  create: (name: string, role: Role) => call<ApiKey & { key: string }>(api.POST('/api/v1/api-keys', { body: { name, role } })),
  revoke: (id: string) => call<unknown>(api.DELETE('/api/v1/api-keys/{id}', path(id))),
};

export const webhooksApi = {
  list: () => call<Page<WebhookEndpoint>>(api.GET('/api/v1/integrations/webhooks')),
  create: (url: string, events: string[]) => call<WebhookEndpoint & { secret: string }>(api.POST('/api/v1/integrations/webhooks', { body: { url, events } })),
  deliveries: (id: string) => call<Page<WebhookDelivery>>(api.GET('/api/v1/integrations/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit: 50 } as never } })),
  replay: (id: string, since: string, until: string) => call<{ deliveries: number }>(api.POST('/api/v1/integrations/webhooks/{id}/replay', { ...path(id), body: { since, until } })),
};
