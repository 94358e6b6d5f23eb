import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppNav } from '../components/AppNav';
import { I18nProvider } from '../i18n/i18n';
import { CampaignDetailView } from './CampaignDetail';
import { CampaignForm } from './CampaignForm';
import { Accounts } from './settings/Accounts';
import { ApiKeys } from './settings/ApiKeys';
import { Webhooks } from './settings/Webhooks';

interface Call { method: string; url: string; search: string; body: unknown; contentType: string | null }

/** The API as the screens see it: records each request and answers from a table keyed by "METHOD /path". */
function fakeApi(answers: Record<string, unknown | ((call: Call) => unknown)>) {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (input: Request | string, init?: RequestInit) => {
    const request = typeof input === 'string' ? new Request(new URL(input, 'http://localhost'), init) : input;
    const url = new URL(request.url);
    const text = request.method === 'GET' ? '' : await request.clone().text();
    let body: unknown = text || undefined;
    try { body = text ? JSON.parse(text) : undefined; } catch { /* CSV stays text */ }
    const call = { method: request.method, url: url.pathname, search: url.search, body, contentType: request.headers.get('content-type') };
    calls.push(call);
    const answer = answers[`${request.method} ${url.pathname}`];
    const value = typeof answer === 'function' ? answer(call) : answer ?? {};
    return new Response(JSON.stringify(value), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

afterEach(() => vi.unstubAllGlobals());
const renderEs = (ui: React.ReactNode) => render(<I18nProvider initial="es">{ui}</I18nProvider>);
const counts = (over: Record<string, number>) => ({ total: 4, pending: 0, sending: 0, sent: 0, delivered: 0, read: 0, replied: 0, failed: 0, failedByCode: {}, skipped: 0, skippedByReason: {}, expired: 0, cancelled: 0, optedOut: 0, ...over });
const campaign = (status: string, over: Record<string, number> = {}) => ({ id: 'k1', name: 'Renta abril', accountId: 'a1', status, totalRecipients: 4, content: { type: 'template', template: { name: 'aviso', language: 'es' } }, startedAt: null, completedAt: null, createdAt: '', counts: counts(over), variants: [] });

describe('AppNav', () => {
  it('marks the current section for assistive technology', () => {
    renderEs(<AppNav current="campaigns" />);
    expect(screen.getByRole('link', { name: 'Campañas' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('link', { name: 'Bandeja' }).getAttribute('aria-current')).toBeNull();
    expect(screen.getByRole('link', { name: 'Ajustes' }).getAttribute('href')).toBe('#/settings');
  });
});

describe('CampaignDetailView', () => {
  it('shows progress and reasons, starts a draft, and filters recipients by status and reason', async () => {
    let status = 'draft';
    const calls = fakeApi({
      'GET /api/v1/campaigns/k1': () => (status === 'draft' ? campaign('draft') : campaign('completed', { sent: 2, failed: 1, skipped: 1, failedByCode: { 131026: 1 } as never, skippedByReason: { CONTACT_OPTED_OUT: 1 } as never })),
      'POST /api/v1/campaigns/k1/start': () => { status = 'queued'; return { id: 'k1', status: 'queued' }; },
      'GET /api/v1/campaigns/k1/recipients': (call: Call) => ({ data: call.search.includes('status=failed') ? [{ id: 'r1', phone: '+56911112222', status: 'failed', reason: '131026', reasonMessage: 'Message Undeliverable.', attempts: 1, messageStatus: 'failed' }] : [], nextCursor: null }),
    });
    const changed = vi.fn();
    renderEs(<CampaignDetailView id="k1" onChanged={changed} />);
    expect((await screen.findByTestId('campaign-status')).textContent).toBe('Borrador');
    await userEvent.click(screen.getByRole('button', { name: 'Iniciar' }));
    await waitFor(() => expect(screen.getByTestId('campaign-status').textContent).toBe('Completada'));
    expect(changed).toHaveBeenCalled();
    expect(screen.getByText('Progreso: 4 de 4 (100 %)')).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Motivos' }).textContent).toContain('CONTACT_OPTED_OUT: 1');
    expect(screen.queryByRole('button', { name: 'Iniciar' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Exportar CSV' }).getAttribute('href')).toBe('/api/v1/campaigns/k1/recipients.csv');

    expect(screen.queryAllByTestId('recipient-row')).toHaveLength(0);
    await userEvent.selectOptions(screen.getByLabelText('Estado'), 'failed');
    await userEvent.type(screen.getByLabelText('Motivo'), '131026');
    const row = await screen.findByTestId('recipient-row');
    expect(within(row).getByText('131026 · Message Undeliverable.')).toBeTruthy();
    expect(calls.filter((c) => c.url === '/api/v1/campaigns/k1/recipients').at(-1)!.search).toContain('status=failed&reason=131026');
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/api/v1/campaigns/k1/start']);
  });
});

describe('CampaignForm', () => {
  it('creates a draft from an approved template and labels, uploads the CSV as text/csv and shows its row errors', async () => {
    const calls = fakeApi({
      'GET /api/v1/whatsapp/accounts': { data: [{ id: 'a1', name: 'Principal', displayPhoneNumber: '+56 2 2222', isDefault: true }], nextCursor: null },
      'GET /api/v1/templates': { data: [{ id: 't1', whatsappAccountId: 'a1', name: 'aviso', language: 'es', status: 'APPROVED', components: [{ type: 'BODY', text: 'Hola {{1}}' }] }], nextCursor: null },
      'POST /api/v1/campaigns': { id: 'k9', name: 'Abril', status: 'draft' },
      'POST /api/v1/campaigns/k9/audience/csv': { accepted: 1, duplicates: 0, invalid: 1, total: 3, errors: [{ line: 3, error: 'INVALID_PHONE' }], preview: [{ line: 2, phone: '+56911112222', variables: { 1: 'Ana' } }] },
    });
    const created = vi.fn();
    renderEs(<CampaignForm onCreated={created} />);
    await userEvent.type(screen.getByLabelText('Nombre'), 'Abril');
    await userEvent.type(await screen.findByLabelText('Variable 1'), 'cliente');
    expect(screen.getByTestId('campaign-preview').textContent).toBe('Hola cliente');
    await userEvent.type(screen.getByLabelText('Etiquetas de contactos (separadas por comas)'), 'vip, clientes');
    const csv = 'phone,1\n+56911112222,Ana\nnot-a-phone,Bo\n';
    await userEvent.upload(screen.getByLabelText('Archivo CSV'), new File([csv], 'audiencia.csv', { type: 'text/csv' }));
    expect((await screen.findByTestId('csv-columns')).textContent).toBe('Columnas de variables: 1');
    await userEvent.click(screen.getByRole('button', { name: 'Crear borrador' }));

    const result = await screen.findByTestId('csv-result');
    expect(result.textContent).toContain('1 aceptados, 0 duplicados, 1 inválidos; 3 destinatarios en total');
    expect(within(screen.getByRole('table', { name: 'Filas con errores' })).getByText('INVALID_PHONE')).toBeTruthy();
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts[0]).toMatchObject({ url: '/api/v1/campaigns', body: { name: 'Abril', accountId: 'a1', content: { type: 'template', template: { name: 'aviso', language: 'es', variables: { 1: 'cliente' } } }, audience: { labels: ['vip', 'clientes'] } } });
    expect(posts[1]).toMatchObject({ url: '/api/v1/campaigns/k9/audience/csv', body: csv, contentType: 'text/csv' });
    expect(created).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Continuar' }));
    expect(created).toHaveBeenCalledWith(expect.objectContaining({ id: 'k9' }));
  });
});

describe('ApiKeys', () => {
  it('shows a new key once, then only its prefix', async () => {
    let keys: unknown[] = [];
    fakeApi({
      'GET /api/v1/api-keys': () => ({ data: keys, nextCursor: null }),
      'POST /api/v1/api-keys': (call: Call) => {
        keys = [{ id: 'x1', name: (call.body as { name: string }).name, prefix: 'cv_live_ab', role: 'agent', lastUsedAt: null, revokedAt: null, createdAt: '' }];
        return { ...(keys[0] as object), key: 'cv_live_abSECRET' };
      },
    });
    renderEs(<ApiKeys />);
    await userEvent.type(screen.getByLabelText('Nombre'), 'zapier');
    await userEvent.click(screen.getByRole('button', { name: 'Crear' }));
    expect((await screen.findByTestId('new-api-key')).textContent).toBe('cv_live_abSECRET');
    await screen.findByText('cv_live_ab…');
    await userEvent.click(screen.getByRole('button', { name: 'Ya la guardé' }));
    expect(screen.queryByText('cv_live_abSECRET')).toBeNull();
  });
});

describe('Accounts', () => {
  it('saves the timezone and business hours, refuses a malformed day, and reports the connection test', async () => {
    const account = { id: 'a1', name: 'Principal', provider: 'sandbox', displayPhoneNumber: '+56 2 2222', timezone: 'America/Santiago', businessHours: { weekly: { mon: [['09:00', '18:00']] }, holidays: ['2026-09-18'] }, autoRepliesEnabled: true, isDefault: true };
    const calls = fakeApi({
      'GET /api/v1/whatsapp/accounts': { data: [account], nextCursor: null },
      'PATCH /api/v1/whatsapp/accounts/a1': account,
      'POST /api/v1/whatsapp/accounts/a1/test': { ok: false, latencyMs: 12, error: 'Invalid OAuth access token' },
    });
    renderEs(<Accounts />);
    const tuesday = await screen.findByLabelText('Martes');
    await userEvent.type(tuesday, '9 a 18');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Horario inválido el Martes: usa 09:00-18:00, separados por comas');
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);

    await userEvent.clear(tuesday);
    await userEvent.type(tuesday, '09:00-13:00, 14:00-18:00');
    await userEvent.clear(screen.getByLabelText('Zona horaria'));
    await userEvent.type(screen.getByLabelText('Zona horaria'), 'America/Lima');
    await userEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    await screen.findByText('Guardado');
    expect(calls.find((c) => c.method === 'PATCH')!.body).toEqual({
      timezone: 'America/Lima',
      businessHours: { weekly: { mon: [['09:00', '18:00']], tue: [['09:00', '13:00'], ['14:00', '18:00']] }, holidays: ['2026-09-18'] },
    });

    await userEvent.click(screen.getByRole('button', { name: 'Probar conexión' }));
    expect((await screen.findByText(/La conexión falló/)).textContent).toBe('La conexión falló: Invalid OAuth access token');
  });
});

describe('Webhooks', () => {
  it('shows the signing secret once, lists deliveries and replays the chosen hours', async () => {
    let endpoints: unknown[] = [];
    const calls = fakeApi({
      'GET /api/v1/integrations/webhooks': () => ({ data: endpoints, nextCursor: null }),
      'POST /api/v1/integrations/webhooks': (call: Call) => {
        endpoints = [{ id: 'w1', url: (call.body as { url: string }).url, events: ['message.received'], description: null, enabled: true, disabledReason: null }];
        return { ...(endpoints[0] as object), secret: 'whsec_123' };
      },
      'GET /api/v1/integrations/webhooks/w1/deliveries': { data: [{ id: 'd1', eventType: 'message.received', status: 'failed', attempts: 3, responseCode: 500, error: 'HTTP 500', createdAt: '' }], nextCursor: null },
      'POST /api/v1/integrations/webhooks/w1/replay': { deliveries: 7 },
    });
    renderEs(<Webhooks />);
    await userEvent.type(screen.getByLabelText('URL'), 'https://hooks.example.com/x');
    await userEvent.clear(screen.getByLabelText('Eventos (separados por comas)'));
    await userEvent.type(screen.getByLabelText('Eventos (separados por comas)'), 'message.received, ');
    await userEvent.click(screen.getByRole('button', { name: 'Crear' }));
    await screen.findByText('whsec_123');
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ url: 'https://hooks.example.com/x', events: ['message.received'] });
    await userEvent.click(await screen.findByRole('button', { name: 'Entregas' }));
    expect((await screen.findByText('HTTP 500')).tagName).toBe('TD');
    await userEvent.clear(screen.getByLabelText('Reenviar las últimas horas'));
    await userEvent.type(screen.getByLabelText('Reenviar las últimas horas'), '2');
    await userEvent.click(screen.getByRole('button', { name: 'Reenviar' }));
    await screen.findByText('7 entregas en cola');
    const replay = calls.find((c) => c.url.endsWith('/replay'))!.body as { since: string; until: string };
    expect(Date.parse(replay.until) - Date.parse(replay.since)).toBe(2 * 3600_000);
  });
});
