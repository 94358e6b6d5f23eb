import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Conversation, Me, Message } from '../api/types';
import { I18nProvider } from '../i18n/i18n';
import { Composer } from './Composer';
import { ContactPanel } from './ContactPanel';
import { Thread } from './Thread';

const open = new Date(Date.now() + 3600_000).toISOString();
const conversation: Conversation = {
  id: 'c1', accountId: 'a1', status: 'open', unreadCount: 0, lastMessageAt: null, lastMessagePreview: null, windowExpiresAt: open, windowOpen: true,
  botPaused: false, labels: [], flow: null, assignee: null, contact: { id: 'k1', name: 'Ana', profileName: null, phoneE164: '+56911112222', labels: [] },
};
const admin: Me = { kind: 'user', id: 'u1', role: 'admin', email: 'a@x.cl', name: 'Admin' };
const agent: Me = { ...admin, role: 'agent' };

interface Call { method: string; url: string; query: string; body: unknown; multipart?: string }

/** The API as the components see it: a fetch that records calls (JSON or multipart) and answers from a table. */
function fakeFetch(answers: Record<string, unknown>) {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (input: Request) => {
    const url = new URL(input.url);
    const isForm = (input.headers.get('content-type') ?? '').startsWith('multipart/form-data');
    const multipart = isForm ? await input.clone().text() : undefined;
    const body = input.method === 'GET' || isForm ? undefined : await input.clone().json().catch(() => undefined);
    calls.push({ method: input.method, url: url.pathname, query: url.search, body, multipart });
    const answer = answers[`${input.method} ${url.pathname}`] ?? {};
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

afterEach(() => vi.unstubAllGlobals());
const renderEs = (ui: React.ReactNode) => render(<I18nProvider initial="es">{ui}</I18nProvider>);
const message = (overrides: Partial<Message>): Message => ({
  id: 'm1', conversationId: 'c1', direction: 'inbound', type: 'text', status: 'received', text: 'hola', content: { body: 'hola' }, occurredAt: new Date().toISOString(),
  replyToMessageId: null, templateName: null, errorCode: null, errorTitle: null, isAi: false, agentName: null, kind: null, providerMessageId: 'wamid.1', media: null, ...overrides,
});

describe('Composer extras', () => {
  it('opens the saved replies on "/", filters them as the agent types, and Enter puts the chosen text in the box', async () => {
    const calls = fakeFetch({
      'GET /api/v1/quick-replies': { data: [{ id: 'q1', shortcut: 'horario', body: 'De 9 a 18 h.' }, { id: 'q2', shortcut: 'envio', body: 'Despachamos en 48 horas.' }] },
    });
    const sent = vi.fn();
    renderEs(<Composer conversation={conversation} onSent={sent} />);
    const box = screen.getByLabelText('Escribe un mensaje');
    await userEvent.type(box, '/');
    const menu = await screen.findByRole('listbox', { name: 'Respuestas guardadas' });
    expect(within(menu).getAllByRole('option')).toHaveLength(2);
    await userEvent.type(box, 'horar');
    await waitFor(() => expect(within(menu).getAllByRole('option')).toHaveLength(1));
    await userEvent.keyboard('{Enter}');
    expect((box as HTMLTextAreaElement).value).toBe('De 9 a 18 h.');
    expect(screen.queryByRole('listbox')).toBeNull();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(sent).toHaveBeenCalled());
    expect(calls.filter((c) => c.url === '/api/v1/quick-replies')).toHaveLength(1);
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ conversationId: 'c1', type: 'text', text: { body: 'De 9 a 18 h.' } });
  });

  it('says so when no saved reply matches', async () => {
    fakeFetch({ 'GET /api/v1/quick-replies': { data: [] } });
    renderEs(<Composer conversation={conversation} onSent={() => undefined} />);
    await userEvent.type(screen.getByLabelText('Escribe un mensaje'), '/zz');
    expect((await screen.findByRole('status')).textContent).toBe('No hay respuestas guardadas con ese atajo');
  });

  it('uploads an attachment for the conversation\'s account, then sends it with the text as caption', async () => {
    const calls = fakeFetch({ 'POST /api/v1/media': { id: 'f1', mimeType: 'image/png', filename: 'foto.png', sizeBytes: 4, status: 'stored', accountId: 'a1' } });
    const sent = vi.fn();
    renderEs(<Composer conversation={conversation} onSent={sent} />);
    await userEvent.upload(screen.getByLabelText('Adjuntar archivo'), new File(['\x89PNG'], 'foto.png', { type: 'image/png' }));
    expect(screen.getByTestId('attachment').textContent).toContain('foto.png');
    await userEvent.type(screen.getByLabelText('Escribe un mensaje'), 'Mira esto');
    await userEvent.click(screen.getByRole('button', { name: 'Enviar' }));
    await waitFor(() => expect(sent).toHaveBeenCalled());
    const [upload, send] = calls.filter((c) => c.method === 'POST');
    expect(upload).toMatchObject({ url: '/api/v1/media', query: '?accountId=a1' });
    // jsdom's File is not Node's Blob, so the multipart body carries the part and its type but not the bytes; the browser e2e sends real ones.
    expect(upload.multipart).toMatch(/name="file"[^\r]*\r\nContent-Type: image\/png/);
    expect(send.body).toEqual({ conversationId: 'c1', type: 'image', image: { id: 'f1', caption: 'Mira esto' } });
    expect(screen.queryByTestId('attachment')).toBeNull();
  });

  it('shows an upload refusal and sends nothing', async () => {
    vi.stubGlobal('fetch', async (input: Request) =>
      input.method === 'POST' && new URL(input.url).pathname === '/api/v1/media'
        ? new Response(JSON.stringify({ code: 'MEDIA_TOO_LARGE', message: 'The file is larger than the 5242880 bytes allowed for its type' }), { status: 413, headers: { 'content-type': 'application/json' } })
        : new Response('{}', { status: 500 }),
    );
    const sent = vi.fn();
    renderEs(<Composer conversation={conversation} onSent={sent} />);
    await userEvent.upload(screen.getByLabelText('Adjuntar archivo'), new File(['x'], 'grande.png', { type: 'image/png' }));
    await userEvent.click(screen.getByRole('button', { name: 'Enviar' }));
    expect((await screen.findByRole('alert')).textContent).toContain('larger than');
    expect(sent).not.toHaveBeenCalled();
  });

  it('inserts an emoji from the picker and answers the quoted message', async () => {
    const calls = fakeFetch({});
    const cancel = vi.fn();
    renderEs(<Composer conversation={conversation} onSent={() => undefined} replyTo={message({ text: '¿Tienen talla M?' })} onCancelReply={cancel} />);
    expect(screen.getByTestId('reply-banner').textContent).toContain('¿Tienen talla M?');
    await userEvent.type(screen.getByLabelText('Escribe un mensaje'), 'Sí ');
    await userEvent.click(screen.getByRole('button', { name: 'Insertar emoji' }));
    await userEvent.click(screen.getByRole('button', { name: 'Insertar emoji 👍' }));
    expect((screen.getByLabelText('Escribe un mensaje') as HTMLTextAreaElement).value).toBe('Sí 👍');
    await userEvent.click(screen.getByRole('button', { name: 'Enviar' }));
    await waitFor(() => expect(cancel).toHaveBeenCalled());
    expect(calls[0].body).toEqual({ conversationId: 'c1', type: 'text', text: { body: 'Sí 👍' }, replyToMessageId: 'm1' });
  });
});

describe('Thread rendering', () => {
  it('puts reactions on their target, quotes the answered message, and previews media', () => {
    const thread: Message[] = [
      message({ id: 'm1', text: '¿Me mandan la boleta?', providerMessageId: 'wamid.A' }),
      message({ id: 'm2', direction: 'outbound', status: 'read', type: 'document', text: null, content: { id: 'f9', filename: 'boleta.pdf' }, replyToMessageId: 'm1', providerMessageId: 'wamid.B', media: { id: 'f9', mimeType: 'application/pdf', sizeBytes: 48213, filename: 'boleta.pdf', status: 'stored' } }),
      message({ id: 'm3', type: 'reaction', text: null, content: { message_id: 'wamid.B', emoji: '🙏' }, providerMessageId: 'wamid.C' }),
      message({ id: 'm4', type: 'image', text: 'Así quedó', content: { caption: 'Así quedó' }, providerMessageId: 'wamid.D', media: { id: 'f10', mimeType: 'image/jpeg', sizeBytes: 1000, filename: null, status: 'stored' } }),
      message({ id: 'm5', type: 'audio', text: null, content: {}, providerMessageId: 'wamid.E', media: { id: 'f11', mimeType: 'audio/ogg', sizeBytes: 100, filename: null, status: 'pending' } }),
    ];
    renderEs(<Thread messages={thread} onRetried={() => undefined} />);
    const bubbles = screen.getAllByTestId('message');
    expect(bubbles).toHaveLength(4);
    expect(within(bubbles[1]).getByTestId('reactions').getAttribute('aria-label')).toBe('Reacciones: 🙏');
    expect(within(bubbles[1]).getByTestId('quote').textContent).toContain('¿Me mandan la boleta?');
    const download = within(bubbles[1]).getByRole('link', { name: /Descargar boleta.pdf/ });
    expect(download.getAttribute('href')).toBe('/api/v1/media/f9');
    expect(within(bubbles[2]).getByRole('img', { name: 'Así quedó' }).getAttribute('src')).toBe('/api/v1/media/f10');
    expect(bubbles[3].textContent).toContain('Descargando archivo…');
  });

  it('renders location, contact cards and interactive buttons as the customer sees them', () => {
    const thread: Message[] = [
      message({ id: 'l', type: 'location', text: 'Tienda Centro', content: { latitude: -33.45, longitude: -70.66, name: 'Tienda Centro', address: 'Ahumada 10' } }),
      message({ id: 'k', type: 'contacts', text: 'Pedro', content: { contacts: [{ name: { formatted_name: 'Pedro Soto' }, phones: [{ phone: '+56 9 1234 5678' }] }] } }),
      message({ id: 'i', direction: 'outbound', status: 'sent', type: 'interactive', text: '¿Qué necesitas?', content: { type: 'button', body: { text: '¿Qué necesitas?' }, action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'Ventas' } }, { type: 'reply', reply: { id: 'b', title: 'Soporte' } }] } } }),
      message({ id: 'r', type: 'interactive', text: 'Soporte', content: { type: 'button_reply', button_reply: { id: 'b', title: 'Soporte' } } }),
    ];
    renderEs(<Thread messages={thread} onRetried={() => undefined} />);
    const [location, contacts, interactive, reply] = screen.getAllByTestId('message');
    expect(location.textContent).toContain('Ahumada 10');
    expect(within(location).getByRole('link').getAttribute('href')).toContain('mlat=-33.45');
    expect(contacts.textContent).toContain('Pedro Soto');
    expect(contacts.textContent).toContain('+56 9 1234 5678');
    expect([...interactive.querySelectorAll('.template-button')].map((b) => b.textContent)).toEqual(['Ventas', 'Soporte']);
    expect(reply.textContent).toContain('Soporte');
  });
});

describe('ContactPanel', () => {
  const answers = {
    'GET /api/v1/contacts/k1': { id: 'k1', name: 'Ana', profileName: null, phoneE164: '+56911112222', labels: [], customAttributes: { plan: 'pro' }, optedOutAt: null },
    'GET /api/v1/contacts/k1/notes': { data: [], nextCursor: null },
    'GET /api/v1/contacts/k1/history': {
      data: [message({ id: 'h1', conversationId: 'c1', text: 'hola de nuevo' }), message({ id: 'h2', conversationId: 'c0', text: 'pedido anterior' })],
      nextCursor: null,
    },
  };

  it('edits, adds and removes custom attributes through the merge PATCH', async () => {
    const calls = fakeFetch(answers);
    renderEs(<ContactPanel conversation={conversation} me={agent} onChanged={() => undefined} onErased={() => undefined} />);
    const plan = await screen.findByLabelText('plan');
    await userEvent.clear(plan);
    await userEvent.type(plan, 'empresa{Enter}');
    await userEvent.type(screen.getByLabelText('Atributo'), 'rut');
    await userEvent.type(screen.getByLabelText('Valor'), '1-9');
    await userEvent.click(within(screen.getByRole('region', { name: 'Atributos' })).getByRole('button', { name: 'Guardar atributo' }));
    await userEvent.click(screen.getByRole('button', { name: 'Quitar atributo plan' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(3));
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([
      { customAttributes: { plan: 'empresa' } },
      { customAttributes: { rut: '1-9' } },
      { customAttributes: { plan: null } },
    ]);
  });

  it('shows the history across conversations when opened', async () => {
    fakeFetch(answers);
    renderEs(<ContactPanel conversation={conversation} me={agent} onChanged={() => undefined} onErased={() => undefined} />);
    await userEvent.click(screen.getByText('Historial'));
    const history = await screen.findByTestId('history');
    expect(history.textContent).toContain('pedido anterior');
    expect(history.textContent).toContain('otra conversación');
    expect(screen.getByText('2 mensajes en 2 conversaciones')).toBeTruthy();
  });

  it('erases only after confirmation, and only admins see the button', async () => {
    const calls = fakeFetch(answers);
    const erased = vi.fn();
    const { unmount } = renderEs(<ContactPanel conversation={conversation} me={agent} onChanged={() => undefined} onErased={erased} />);
    expect(screen.queryByRole('button', { name: 'Borrar contacto' })).toBeNull();
    unmount();

    renderEs(<ContactPanel conversation={conversation} me={admin} onChanged={() => undefined} onErased={erased} />);
    await userEvent.click(screen.getByRole('button', { name: 'Borrar contacto' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toContain('¿Borrar a Ana y todos sus datos?');
    expect(document.activeElement?.textContent).toBe('Cancelar');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancelar' }));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);

    await userEvent.click(screen.getByRole('button', { name: 'Borrar contacto' }));
    await userEvent.click(screen.getByRole('button', { name: 'Sí, borrar para siempre' }));
    await waitFor(() => expect(erased).toHaveBeenCalled());
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([{ method: 'DELETE', url: '/api/v1/contacts/k1', query: '', body: undefined, multipart: undefined }]);
  });
});
