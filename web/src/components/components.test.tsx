import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Conversation, Message } from '../api/types';
import { I18nProvider } from '../i18n/i18n';
import { Composer } from './Composer';
import { MessageBubble } from './Thread';

const conversation = (windowExpiresAt: string | null): Conversation => ({
  id: 'c1', accountId: 'a1', status: 'open', unreadCount: 0, lastMessageAt: null, lastMessagePreview: null, windowExpiresAt, windowOpen: false,
  botPaused: false, labels: [], flow: null, assignee: null, contact: { id: 'k1', name: 'Ana', profileName: null, phoneE164: '+56911112222', labels: [] },
});

/** The API as the components see it: a fetch that records calls and answers from a table. */
function fakeFetch(answers: Record<string, unknown>) {
  const calls: Array<{ method: string; url: string; body: unknown }> = [];
  vi.stubGlobal('fetch', async (input: Request) => {
    const url = new URL(input.url);
    const body = input.method === 'GET' ? undefined : await input.clone().json().catch(() => undefined);
    calls.push({ method: input.method, url: url.pathname, body });
    const answer = answers[`${input.method} ${url.pathname}`] ?? {};
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

afterEach(() => vi.unstubAllGlobals());
const renderEs = (ui: React.ReactNode) => render(<I18nProvider initial="es">{ui}</I18nProvider>);

describe('Composer', () => {
  it('offers free text while the window is open', () => {
    renderEs(<Composer conversation={conversation(new Date(Date.now() + 3600_000).toISOString())} onSent={() => undefined} />);
    expect(screen.getByLabelText('Escribe un mensaje')).toBeTruthy();
  });

  it('has no free-text box once the window has closed, only approved templates with a live preview', async () => {
    const calls = fakeFetch({
      'GET /api/v1/templates': { data: [{ id: 't1', whatsappAccountId: 'a1', name: 'aviso', language: 'es', status: 'APPROVED', components: [{ type: 'BODY', text: 'Hola {{1}}' }] }], nextCursor: null },
    });
    const sent = vi.fn();
    renderEs(<Composer conversation={conversation(new Date(Date.now() - 60_000).toISOString())} onSent={sent} />);
    expect(screen.queryByLabelText('Escribe un mensaje')).toBeNull();
    await userEvent.type(await screen.findByLabelText('Variable 1'), 'Ana');
    expect(screen.getByTestId('template-preview').textContent).toBe('Hola Ana');
    await userEvent.click(screen.getByRole('button', { name: 'Enviar plantilla' }));
    await waitFor(() => expect(sent).toHaveBeenCalled());
    expect(calls.find((c) => c.method === 'POST')).toEqual({
      method: 'POST', url: '/api/v1/messages', body: { conversationId: 'c1', type: 'template', template: { name: 'aviso', language: 'es', variables: { '1': 'Ana' } } },
    });
  });
});

describe('MessageBubble', () => {
  const failed: Message = {
    id: 'm1', conversationId: 'c1', direction: 'outbound', type: 'text', status: 'failed', text: 'hola', content: { body: 'hola' }, occurredAt: new Date().toISOString(),
    replyToMessageId: null, templateName: null, errorCode: '131026', errorTitle: 'Message Undeliverable.', isAi: false, agentName: null, kind: null,
  };

  it('shows the error of a failed message and retries it', async () => {
    const calls = fakeFetch({});
    const retried = vi.fn();
    renderEs(<MessageBubble message={failed} onRetried={retried} />);
    expect(screen.getByRole('alert').textContent).toContain('No se envió: 131026 · Message Undeliverable.');
    await userEvent.click(screen.getByRole('button', { name: 'Reintentar' }));
    await waitFor(() => expect(retried).toHaveBeenCalled());
    expect(calls).toEqual([{ method: 'POST', url: '/api/v1/messages/m1/retry', body: undefined }]);
  });

  it('shows blue ticks labelled "Leído" for a read message', () => {
    renderEs(<MessageBubble message={{ ...failed, status: 'read', errorCode: null, errorTitle: null }} onRetried={() => undefined} />);
    expect(screen.getByTestId('ticks').getAttribute('aria-label')).toBe('Leído');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
