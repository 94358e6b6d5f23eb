import { startGraphSimulatorServer, type GraphSimulatorServer } from '../sandbox/graph-simulator.server';
import type { FaultKind } from '../sandbox/graph-simulator.types';
import { KapsoClient } from './kapso.client';
import { MetaCloudClient } from './meta-cloud.client';
import type { OutboundMessage } from './outbound-message';
import { WhatsappProviderError, type ProviderErrorKind } from './provider-errors';
import type { ProviderAccountContext } from './whatsapp-provider.port';

const TOKEN = 'EAAG-secret-token-0123456789abcdef';
const TO = '+56912345678';

describe(MetaCloudClient.name, () => {
  let server: GraphSimulatorServer;
  let client: MetaCloudClient;
  let account: ProviderAccountContext;

  beforeAll(async () => {
    server = await startGraphSimulatorServer();
    client = new MetaCloudClient({ timeoutMs: 300 });
  });

  afterAll(async () => {
    client.close();
    await server.close();
  });

  beforeEach(() => {
    server.simulator.reset();
    account = { id: 'acc-1', provider: 'sandbox', phoneNumberId: '1234567890', wabaId: '987654321', accessToken: () => TOKEN, baseUrl: server.url };
  });

  describe('sendMessage', () => {
    const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: TO };
    const cases: Array<[string, OutboundMessage, Record<string, unknown>]> = [
      ['text', { type: 'text', body: 'Hola', previewUrl: true }, { type: 'text', text: { body: 'Hola', preview_url: true } }],
      [
        'image by link with reply context and callback data',
        { type: 'image', link: 'https://cdn.example.com/a.jpg', caption: 'Foto', replyToProviderMessageId: 'wamid.ABC', bizOpaqueCallbackData: 'cb-1' },
        { type: 'image', image: { link: 'https://cdn.example.com/a.jpg', caption: 'Foto' }, context: { message_id: 'wamid.ABC' }, biz_opaque_callback_data: 'cb-1' },
      ],
      ['video by id', { type: 'video', mediaId: '111', caption: 'v' }, { type: 'video', video: { id: '111', caption: 'v' } }],
      ['audio voice note', { type: 'audio', mediaId: '222', voice: true }, { type: 'audio', audio: { id: '222', voice: true } }],
      [
        'document',
        { type: 'document', link: 'https://cdn.example.com/f.pdf', caption: 'Factura', filename: 'factura.pdf' },
        { type: 'document', document: { link: 'https://cdn.example.com/f.pdf', caption: 'Factura', filename: 'factura.pdf' } },
      ],
      ['sticker', { type: 'sticker', mediaId: '333' }, { type: 'sticker', sticker: { id: '333' } }],
      [
        'location',
        { type: 'location', latitude: -33.45, longitude: -70.66, name: 'Oficina', address: 'Av. Siempre Viva 742' },
        { type: 'location', location: { latitude: -33.45, longitude: -70.66, name: 'Oficina', address: 'Av. Siempre Viva 742' } },
      ],
      [
        'contacts',
        { type: 'contacts', contacts: [{ name: { formattedName: 'Ana Pérez', firstName: 'Ana' }, phones: [{ phone: '+56911112222', type: 'CELL', waId: '56911112222' }], emails: [{ email: 'ana@example.com', type: 'WORK' }], org: { company: 'ACME' } }] },
        { type: 'contacts', contacts: [{ name: { formatted_name: 'Ana Pérez', first_name: 'Ana' }, phones: [{ phone: '+56911112222', type: 'CELL', wa_id: '56911112222' }], emails: [{ email: 'ana@example.com', type: 'WORK' }], org: { company: 'ACME' } }] },
      ],
      ['reaction', { type: 'reaction', messageId: 'wamid.X', emoji: '👍' }, { type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '👍' } }],
      ['reaction removal', { type: 'reaction', messageId: 'wamid.X', emoji: '' }, { type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '' } }],
      [
        'interactive buttons with image header',
        { type: 'interactive_buttons', header: { type: 'image', link: 'https://cdn.example.com/h.png' }, body: '¿Confirmas?', footer: 'Conversa', buttons: [{ id: 'yes', title: 'Sí' }, { id: 'no', title: 'No' }] },
        {
          type: 'interactive',
          interactive: {
            type: 'button',
            header: { type: 'image', image: { link: 'https://cdn.example.com/h.png' } },
            body: { text: '¿Confirmas?' },
            footer: { text: 'Conversa' },
            action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Sí' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] },
          },
        },
      ],
      [
        'interactive list',
        { type: 'interactive_list', header: { type: 'text', text: 'Menú' }, body: 'Elige', buttonText: 'Ver opciones', sections: [{ title: 'Planes', rows: [{ id: 'p1', title: 'Básico', description: '10 USD' }, { id: 'p2', title: 'Pro' }] }] },
        {
          type: 'interactive',
          interactive: {
            type: 'list',
            header: { type: 'text', text: 'Menú' },
            body: { text: 'Elige' },
            action: { button: 'Ver opciones', sections: [{ title: 'Planes', rows: [{ id: 'p1', title: 'Básico', description: '10 USD' }, { id: 'p2', title: 'Pro' }] }] },
          },
        },
      ],
      [
        'interactive cta_url',
        { type: 'interactive_cta_url', body: 'Paga aquí', displayText: 'Pagar', url: 'https://pay.example.com/x' },
        { type: 'interactive', interactive: { type: 'cta_url', body: { text: 'Paga aquí' }, action: { name: 'cta_url', parameters: { display_text: 'Pagar', url: 'https://pay.example.com/x' } } } },
      ],
      [
        'template with header, positional body and buttons',
        {
          type: 'template',
          name: 'order_update',
          languageCode: 'es_CL',
          components: [
            { type: 'header', parameters: [{ type: 'image', link: 'https://cdn.example.com/o.jpg' }] },
            { type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: '#123' }] },
            { type: 'button', subType: 'quick_reply', index: 0, parameters: [{ type: 'payload', payload: 'TRACK' }] },
            { type: 'button', subType: 'url', index: 1, parameters: [{ type: 'text', text: 'abc123' }] },
          ],
        },
        {
          type: 'template',
          template: {
            name: 'order_update',
            language: { code: 'es_CL' },
            components: [
              { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/o.jpg' } }] },
              { type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: '#123' }] },
              { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'TRACK' }] },
              { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'abc123' }] },
            ],
          },
        },
      ],
      [
        'template with named parameters',
        { type: 'template', name: 'welcome', languageCode: 'en_US', components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana', parameterName: 'first_name' }] }] },
        { type: 'template', template: { name: 'welcome', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Ana' }] }] } },
      ],
    ];

    it.each(cases)('sends the exact Meta body for %s', async (_label, msg, expected) => {
      const result = await client.sendMessage(account, TO, msg);
      expect(server.simulator.outbox).toHaveLength(1);
      expect(server.simulator.outbox[0].body).toEqual({ ...base, ...expected });
      expect(server.simulator.outbox[0].phoneNumberId).toBe('1234567890');
      expect(result.providerMessageId).toBe(server.simulator.outbox[0].id);
      expect(result.providerMessageId).toMatch(/^wamid\.HBg/);
      expect(result.waId).toBe('56912345678');
    });

    it('reports when the request has been written out, before the answer arrives', async () => {
      const events: string[] = [];
      const sending = client.sendMessage(account, TO, { type: 'text', body: 'hola' }, { onDispatched: () => events.push('dispatched') });
      await sending.then(() => events.push('answered'));
      expect(events).toEqual(['dispatched', 'answered']);
      expect(server.simulator.outbox).toHaveLength(1);
    });

    it('returns the legacy Mexican wa_id Meta answers with when sending to a +52 number', async () => {
      const result = await client.sendMessage(account, '+525512345678', { type: 'text', body: 'hola' });
      expect(result.waId).toBe('5215512345678');
    });

    it.each<[string, string, OutboundMessage]>([
      ['to without +', '56912345678', { type: 'text', body: 'x' }],
      ['text over 4096 chars', TO, { type: 'text', body: 'a'.repeat(4097) }],
      ['four buttons', TO, { type: 'interactive_buttons', body: 'b', buttons: ['1', '2', '3', '4'].map((id) => ({ id, title: id })) }],
      ['duplicate button titles', TO, { type: 'interactive_buttons', body: 'b', buttons: [{ id: 'a', title: 'Sí' }, { id: 'b', title: 'Sí' }] }],
      ['http media link', TO, { type: 'image', link: 'http://cdn.example.com/a.jpg' }],
      ['both link and mediaId', TO, { type: 'image', link: 'https://cdn.example.com/a.jpg', mediaId: '1' }],
      ['caption over 1024 chars', TO, { type: 'image', mediaId: '1', caption: 'c'.repeat(1025) }],
      ['eleven list rows', TO, { type: 'interactive_list', body: 'b', buttonText: 'Ver', sections: [{ rows: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` })) }] }],
    ])('rejects locally without an HTTP call when %s', async (_label, to, msg) => {
      const error = await client.sendMessage(account, to, msg).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WhatsappProviderError);
      expect(error).toMatchObject({ kind: 'validation', retryable: false, code: 'PROVIDER_VALIDATION_FAILED', status: 400 });
      expect(server.simulator.outbox).toHaveLength(0);
      expect(server.simulator.requestLog).toHaveLength(0);
    });

    it.each<[FaultKind, ProviderErrorKind, boolean, string]>([
      ['http500', 'temporary', true, 'PROVIDER_TEMPORARY_ERROR'],
      ['rateLimit130429', 'rate_limited', true, 'PROVIDER_RATE_LIMITED'],
      ['windowClosed131047', 'window_closed', false, 'PROVIDER_WINDOW_CLOSED'],
      ['auth190', 'authentication', false, 'PROVIDER_AUTHENTICATION_FAILED'],
      ['pair131056', 'pair_rate_limited', true, 'PROVIDER_PAIR_RATE_LIMITED'],
      ['undeliverable131026', 'undeliverable', false, 'PROVIDER_UNDELIVERABLE'],
    ])('maps the %s fault to %s (retryable %s)', async (fault, kind, retryable, code) => {
      server.simulator.injectFault({ kind: fault, match: { to: TO } });
      const error = await client.sendMessage(account, TO, { type: 'text', body: 'x' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind, retryable, code, status: 502 });
      expect(JSON.stringify(error)).not.toContain(TOKEN);
      expect((error as Error).message).not.toContain(TOKEN);
      expect(server.simulator.outbox).toHaveLength(0);
      await expect(client.sendMessage(account, TO, { type: 'text', body: 'x' })).resolves.toMatchObject({ waId: '56912345678' });
    });

    it('maps a request kept open past the client timeout to a retryable timeout', async () => {
      server.simulator.injectFault({ kind: 'timeout', delayMs: 2_000 });
      const error = await client.sendMessage(account, TO, { type: 'text', body: 'x' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'timeout', retryable: true, code: 'PROVIDER_TIMEOUT' });
      // The request was written before the timeout: the provider may have accepted it.
      expect((error as WhatsappProviderError).notSent).toBeUndefined();
      expect(JSON.stringify(error)).not.toContain(TOKEN);
    });

    it('maps a refused connection to a retryable network error, with nothing reported written', async () => {
      const closed = await startGraphSimulatorServer();
      await closed.close();
      const onDispatched = jest.fn();
      const error = await client.sendMessage({ ...account, baseUrl: closed.url }, TO, { type: 'text', body: 'x' }, { onDispatched }).catch((e: unknown) => e);
      // Nothing was written: this send certainly did not reach the provider, and the error says so.
      expect(error).toMatchObject({ kind: 'network', retryable: true, notSent: true });
      expect(onDispatched).not.toHaveBeenCalled();
    });
  });

  describe('markAsRead', () => {
    it('records a read receipt with the typing indicator when asked', async () => {
      await client.markAsRead(account, 'wamid.IN1', { typingIndicator: true });
      expect(server.simulator.readReceipts).toEqual([expect.objectContaining({ phoneNumberId: '1234567890', messageId: 'wamid.IN1', typingIndicator: true })]);
      expect(server.simulator.outbox).toHaveLength(0);
    });
  });

  describe('downloadMedia', () => {
    it('uploads, then downloads the same bytes with the bearer token', async () => {
      const bytes = Buffer.from('%PDF-1.7 fake pdf bytes');
      const { mediaId } = await client.uploadMedia(account, { buffer: bytes, mimeType: 'application/pdf', filename: 'f.pdf' });
      const media = await client.downloadMedia(account, mediaId, { maxBytes: 1024 });
      expect(media.buffer.equals(bytes)).toBe(true);
      expect(media.mimeType).toBe('application/pdf');
      expect(media.sha256).toBe(server.simulator.resources.media.get(mediaId)?.sha256);
      expect(server.simulator.resources.mediaDownloads).toEqual([expect.objectContaining({ mediaId, authorization: `Bearer ${TOKEN}`, status: 200 })]);
    });

    it('re-resolves the URL once when the first one has expired', async () => {
      const { id } = server.simulator.resources.addMedia('1234567890', Buffer.from('img'), 'image/jpeg');
      server.simulator.resources.expireNextMediaUrls(1);
      const media = await client.downloadMedia(account, id, { maxBytes: 1024 });
      expect(media.buffer.toString()).toBe('img');
      expect(server.simulator.resources.mediaDownloads.map((d) => d.status)).toEqual([404, 200]);
      expect(server.simulator.requestLog.filter((r) => r.path.endsWith(`/${id}`))).toHaveLength(2);
    });

    it('gives up after one re-resolution when URLs keep expiring', async () => {
      const { id } = server.simulator.resources.addMedia('1234567890', Buffer.from('img'), 'image/jpeg');
      server.simulator.resources.expireNextMediaUrls(5);
      const error = await client.downloadMedia(account, id, { maxBytes: 1024 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ httpStatus: 404 });
      expect(server.simulator.resources.mediaDownloads).toHaveLength(2);
    });

    it('refuses media larger than maxBytes before downloading', async () => {
      const { id } = server.simulator.resources.addMedia('1234567890', Buffer.alloc(2048), 'image/jpeg');
      await expect(client.downloadMedia(account, id, { maxBytes: 1024 })).rejects.toMatchObject({ kind: 'validation' });
      expect(server.simulator.resources.mediaDownloads).toHaveLength(0);
    });
  });

  describe('listTemplates', () => {
    it('paginates with the after cursor until nextCursor is null', async () => {
      for (const name of ['t_a', 't_b', 't_c', 't_d', 't_e']) {
        await client.createTemplate(account, { name, language: 'es', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hola' }] });
      }
      const names: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await client.listTemplates(account, { limit: 2, after });
        names.push(...page.data.map((t) => t.name));
        after = page.nextCursor ?? undefined;
        pages += 1;
      } while (after && pages < 10);
      expect(names).toEqual(['t_a', 't_b', 't_c', 't_d', 't_e']);
      expect(pages).toBe(3);
    });
  });

  describe('createTemplate', () => {
    it('returns PENDING and then deleteTemplate removes it by name', async () => {
      const created = await client.createTemplate(account, { name: 'promo', language: 'es', category: 'MARKETING', components: [] });
      expect(created).toEqual({ id: expect.stringMatching(/^\d+$/), status: 'PENDING', category: 'MARKETING' });
      await client.deleteTemplate(account, { name: 'promo' });
      expect((await client.listTemplates(account)).data).toEqual([]);
    });
  });

  describe('healthCheck', () => {
    it('reports ok with latency, and the auth error code when the token is rejected', async () => {
      await expect(client.healthCheck(account)).resolves.toMatchObject({ ok: true, latencyMs: expect.any(Number) });
      const bad = await client.healthCheck({ ...account, accessToken: () => '' });
      expect(bad).toMatchObject({ ok: false, error: 'PROVIDER_AUTHENTICATION_FAILED' });
    });
  });
});

describe(KapsoClient.name, () => {
  let server: GraphSimulatorServer;
  let client: KapsoClient;

  beforeAll(async () => {
    // Only the account's key authenticates, so a 200 proves it travelled as X-API-Key (no bearer is sent).
    server = await startGraphSimulatorServer({ acceptedTokens: [TOKEN] });
    client = new KapsoClient({ kapsoBaseUrl: server.url });
  });

  afterAll(async () => {
    client.close();
    await server.close();
  });

  const account = (): ProviderAccountContext => ({ id: 'k', provider: 'kapso', phoneNumberId: '555', wabaId: '666', accessToken: () => TOKEN });

  describe('sendMessage', () => {
    it('sends through /meta/whatsapp/{version} with X-API-Key', async () => {
      await client.sendMessage(account(), TO, { type: 'text', body: 'hola' });
      expect(server.simulator.requestLog[0]).toMatchObject({ method: 'POST', path: '/meta/whatsapp/v24.0/555/messages', status: 200 });
    });

    it('maps Kapso 409 to a retryable conflict_in_flight', async () => {
      server.simulator.injectFault({ kind: 'kapso409' });
      const error = await client.sendMessage(account(), TO, { type: 'text', body: 'x' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'conflict_in_flight', retryable: true, code: 'PROVIDER_CONFLICT_IN_FLIGHT' });
      expect(JSON.stringify(error)).not.toContain(TOKEN);
    });
  });
});
