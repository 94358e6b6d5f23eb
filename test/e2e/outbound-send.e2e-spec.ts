import { conversationFactory, contactFactory } from '../factories/contact.factory';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, type TestApp, waitFor } from '../support/test-app';
import { MessageTemplate } from '../../src/database/entities/message-template.entity';
import { TemplateCategory } from '../../src/database/entities/enums';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';

const HOUR = 3600_000;

/** Deterministic, libphonenumber-valid Chilean mobiles (+56 9 9905…), outside the factory's random range. */
let phoneSeq = 0;
function nextPhone(): { phoneE164: string; waId: string } {
  const phoneE164 = `+569905${String(++phoneSeq).padStart(5, '0')}`;
  return { phoneE164, waId: phoneE164.slice(1) };
}

describe('Outbound messages (POST /api/v1/messages)', () => {
  let sim: GraphSimulatorServer;
  let app: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    sim = await startGraphSimulatorServer();
    app = await createTestApp({ env: { META_GRAPH_BASE_URL: sim.url, META_HTTP_TIMEOUT_MS: '400', APP_ROLES: 'api,worker' } });
    tenant = await createTenant(app, { rateLimitPerSecond: 50 });
    await conversationFactory.create(app.dataSource, { organizationId: tenant.organization.id, whatsappAccountId: tenant.account.id, contactId: tenant.contact.id, windowExpiresAt: new Date(Date.now() + HOUR) });
    await insertTemplate('order_update', TemplateCategory.Utility, 'Hola {{1}}, tu pedido {{2}} está listo.');
    await insertTemplate('promo_summer', TemplateCategory.Marketing, 'Hola {{1}}, 20% de descuento.');
    await insertTemplate('pending_one', TemplateCategory.Utility, 'Hola {{1}}', 'PENDING');
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });
  beforeEach(() => sim.simulator.reset());

  function insertTemplate(name: string, category: TemplateCategory, body: string, status = 'APPROVED') {
    return app.dataSource.getRepository(MessageTemplate).save({
      organizationId: tenant.organization.id,
      whatsappAccountId: tenant.account.id,
      name,
      language: 'es',
      category,
      status,
      parameterFormat: 'POSITIONAL',
      components: [{ type: 'BODY', text: body, example: { body_text: [body.includes('{{2}}') ? ['Ana', '123'] : ['Ana']] } }],
    });
  }

  const post = (body: Record<string, unknown>, key?: string) => {
    const req = http(app).post('/api/v1/messages').set('Authorization', `Bearer ${tenant.token}`);
    if (key) void req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const getMessage = async (id: string) => (await http(app).get(`/api/v1/messages/${id}`).set('Authorization', `Bearer ${tenant.token}`).expect(200)).body;
  const settled = (id: string, timeoutMs = 15000) =>
    waitFor(async () => {
      const m = await getMessage(id);
      return ['sent', 'failed'].includes(m.status) ? m : null;
    }, timeoutMs, `message ${id} settled`);
  const outboxFor = (id: string) => sim.simulator.outbox.filter((e) => e.body.biz_opaque_callback_data === id);

  async function newContactWithWindow(open: boolean) {
    const contact = await contactFactory.create(app.dataSource, { organizationId: tenant.organization.id, ...nextPhone() });
    const conversation = await conversationFactory.create(app.dataSource, {
      organizationId: tenant.organization.id,
      whatsappAccountId: tenant.account.id,
      contactId: contact.id,
      windowExpiresAt: open ? new Date(Date.now() + HOUR) : new Date(Date.now() - HOUR),
    });
    return { contact, conversation };
  }

  describe('types', () => {
    const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
      ['text', { text: { body: 'Hola https://x.cl', previewUrl: true } }, { text: { body: 'Hola https://x.cl', preview_url: true } }],
      ['image', { image: { link: 'https://cdn.test/a.jpg', caption: 'foto' } }, { image: { link: 'https://cdn.test/a.jpg', caption: 'foto' } }],
      ['video', { video: { mediaId: '123456', caption: 'v' } }, { video: { id: '123456', caption: 'v' } }],
      ['audio', { audio: { link: 'https://cdn.test/a.ogg' } }, { audio: { link: 'https://cdn.test/a.ogg' } }],
      ['document', { document: { link: 'https://cdn.test/a.pdf', filename: 'a.pdf', caption: 'doc' } }, { document: { link: 'https://cdn.test/a.pdf', filename: 'a.pdf', caption: 'doc' } }],
      ['sticker', { sticker: { mediaId: '998877' } }, { sticker: { id: '998877' } }],
      ['location', { location: { latitude: -33.45, longitude: -70.66, name: 'Oficina', address: 'Santiago' } }, { location: { latitude: -33.45, longitude: -70.66, name: 'Oficina', address: 'Santiago' } }],
      ['contacts', { contacts: [{ name: { formattedName: 'Ana Pérez', firstName: 'Ana' }, phones: [{ phone: '+56911112222', type: 'CELL' }] }] }, { contacts: [{ name: { formatted_name: 'Ana Pérez', first_name: 'Ana' }, phones: [{ phone: '+56911112222', type: 'CELL' }] }] }],
      ['reaction', { reaction: { messageId: 'wamid.HBgLNTY5MTIzNDU2NzgVAgARGBI=', emoji: '👍' } }, { reaction: { message_id: 'wamid.HBgLNTY5MTIzNDU2NzgVAgARGBI=', emoji: '👍' } }],
      [
        'interactive',
        { interactive: { type: 'button', body: { text: '¿Confirmas?' }, action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Sí' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] } } },
        { interactive: { type: 'button', body: { text: '¿Confirmas?' }, action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Sí' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] } } },
      ],
      [
        'interactive',
        { interactive: { type: 'list', body: { text: 'Elige' }, action: { button: 'Ver', sections: [{ title: 'Planes', rows: [{ id: 'a', title: 'Plan A' }] }] } } },
        { interactive: { type: 'list', body: { text: 'Elige' }, action: { button: 'Ver', sections: [{ title: 'Planes', rows: [{ id: 'a', title: 'Plan A' }] }] } } },
      ],
      [
        'interactive',
        { interactive: { type: 'cta_url', body: { text: 'Paga aquí' }, action: { name: 'cta_url', parameters: { displayText: 'Pagar', url: 'https://pay.test/1' } } } },
        { interactive: { type: 'cta_url', body: { text: 'Paga aquí' }, action: { name: 'cta_url', parameters: { display_text: 'Pagar', url: 'https://pay.test/1' } } } },
      ],
    ];

    it.each(cases)('sends a %s message in Meta shape and records it sent', async (type, object, expected) => {
      const response = await post({ to: tenant.contact.phoneE164, type, ...object }).expect(202);
      expect(response.body).toEqual({ id: expect.any(String), status: 'queued', conversationId: expect.any(String) });
      const message = await settled(response.body.id);
      expect(message).toMatchObject({ status: 'sent', direction: 'outbound', type, attempts: 1, error: null, providerMessageId: expect.stringMatching(/^wamid\./) });
      const [entry, ...rest] = outboxFor(response.body.id);
      expect(rest).toHaveLength(0);
      expect(entry.body).toMatchObject({ messaging_product: 'whatsapp', to: tenant.contact.phoneE164, type, ...expected });
      expect(entry.id).toBe(message.providerMessageId);
    });

    it('accepts our message id as a reaction target and sends its WhatsApp id', async () => {
      const original = await settled((await post({ to: tenant.contact.phoneE164, type: 'text', text: { body: 'reaccióname' } }).expect(202)).body.id);
      const response = await post({ to: tenant.contact.phoneE164, type: 'reaction', reaction: { messageId: original.id, emoji: '❤️' } }).expect(202);
      expect((await settled(response.body.id)).status).toBe('sent');
      expect(outboxFor(response.body.id)[0].body.reaction).toEqual({ message_id: original.providerMessageId, emoji: '❤️' });
      const unknown = await post({ to: tenant.contact.phoneE164, type: 'reaction', reaction: { messageId: '00000000-0000-4000-8000-000000000000', emoji: '👍' } }).expect(404);
      expect(unknown.body.code).toBe('MESSAGE_NOT_FOUND');
    });

    it('normalises a local number with the account region and creates the contact and conversation', async () => {
      const response = await post({ to: '9 8765 4321', type: 'template', template: { name: 'order_update', language: 'es', variables: ['Ana', '42'] } }).expect(202);
      const message = await settled(response.body.id);
      expect(message.status).toBe('sent');
      const [entry] = outboxFor(response.body.id);
      expect(entry.body.to).toBe('+56987654321');
      expect(entry.body.template).toEqual({ name: 'order_update', language: { code: 'es' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: '42' }] }] });
      expect(message.text).toBe('Hola Ana, tu pedido 42 está listo.');
      expect(message.conversationId).toBe(response.body.conversationId);
    });

    it('answers 400 listing the fields of an invalid media or interactive shape', async () => {
      const media = await post({ to: tenant.contact.phoneE164, type: 'image', image: { link: 'http://insecure.test/a.jpg', caption: 'x' } }).expect(400);
      expect(media.body.code).toBe('VALIDATION_FAILED');
      expect(media.body.details.fields.map((f: { field: string }) => f.field)).toContain('image.link');
      const buttons = await post({
        to: tenant.contact.phoneE164,
        type: 'interactive',
        interactive: { type: 'button', body: { text: 'x' }, action: { buttons: [1, 2, 3, 4].map((i) => ({ type: 'reply', reply: { id: `b${i}`, title: `B${i}` } })) } },
      }).expect(400);
      expect(buttons.body.details.fields.map((f: { field: string }) => f.field)).toContain('interactive.buttons');
      const missing = await post({ to: tenant.contact.phoneE164, type: 'text' }).expect(400);
      expect(missing.body.details.fields[0].field).toBe('text');
      expect(sim.simulator.outbox).toHaveLength(0);
    });
  });

  describe('rules before queueing', () => {
    it('rejects a non-template message outside the 24-hour window with WINDOW_CLOSED', async () => {
      const { contact } = await newContactWithWindow(false);
      const response = await post({ to: contact.phoneE164, type: 'text', text: { body: 'hola' } }).expect(422);
      expect(response.body.code).toBe('WINDOW_CLOSED');
    });

    it('sends the fallback template instead when the window is closed and records isFallback', async () => {
      const { contact } = await newContactWithWindow(false);
      const response = await post({ to: contact.phoneE164, type: 'text', text: { body: 'hola' }, fallbackTemplate: { name: 'order_update', language: 'es', variables: ['Ana', '7'] } }).expect(202);
      const message = await settled(response.body.id);
      expect(message).toMatchObject({ status: 'sent', type: 'template', isFallback: true, templateName: 'order_update' });
      expect(outboxFor(response.body.id)[0].body).toMatchObject({ type: 'template', template: { name: 'order_update' } });
    });

    it('refuses MARKETING templates to an opted-out contact but allows UTILITY ones', async () => {
      const contact = await contactFactory.create(app.dataSource, { organizationId: tenant.organization.id, optedOutAt: new Date(), ...nextPhone() });
      const refused = await post({ to: contact.phoneE164, type: 'template', template: { name: 'promo_summer', language: 'es', variables: ['Ana'] } }).expect(422);
      expect(refused.body.code).toBe('CONTACT_OPTED_OUT');
      await post({ to: contact.phoneE164, type: 'template', template: { name: 'order_update', language: 'es', variables: ['Ana', '1'] } }).expect(202);
    });

    it('answers TEMPLATE_NOT_FOUND, TEMPLATE_NOT_APPROVED and TEMPLATE_VARIABLES_INVALID', async () => {
      const to = tenant.contact.phoneE164;
      expect((await post({ to, type: 'template', template: { name: 'nope', language: 'es', variables: [] } }).expect(404)).body.code).toBe('TEMPLATE_NOT_FOUND');
      expect((await post({ to, type: 'template', template: { name: 'pending_one', language: 'es', variables: ['x'] } }).expect(422)).body.code).toBe('TEMPLATE_NOT_APPROVED');
      expect((await post({ to, type: 'template', template: { name: 'order_update', language: 'es', variables: ['only-one'] } }).expect(422)).body.code).toBe('TEMPLATE_VARIABLES_INVALID');
    });
  });

  describe('Idempotency-Key', () => {
    it('returns the same response for a replay and sends once', async () => {
      const body = { to: tenant.contact.phoneE164, type: 'text', text: { body: 'solo una vez' } };
      const first = await post(body, 'key-replay-1').expect(202);
      const second = await post({ text: { body: 'solo una vez' }, type: 'text', to: tenant.contact.phoneE164 }, 'key-replay-1').expect(202);
      expect(second.body).toEqual(first.body);
      expect(second.headers['idempotent-replayed']).toBe('true');
      await settled(first.body.id);
      await post(body, 'key-replay-1').expect(202);
      await new Promise((r) => setTimeout(r, 300));
      expect(outboxFor(first.body.id)).toHaveLength(1);
      expect(sim.simulator.outbox).toHaveLength(1);
    });

    it('answers 409 IDEMPOTENCY_KEY_CONFLICT for the same key with another body', async () => {
      await post({ to: tenant.contact.phoneE164, type: 'text', text: { body: 'a' } }, 'key-conflict-1').expect(202);
      const conflict = await post({ to: tenant.contact.phoneE164, type: 'text', text: { body: 'b' } }, 'key-conflict-1').expect(409);
      expect(conflict.body.code).toBe('IDEMPOTENCY_KEY_CONFLICT');
    });

    it('lets concurrent requests with one key create a single message', async () => {
      const body = { to: tenant.contact.phoneE164, type: 'text', text: { body: 'carrera' } };
      const responses = await Promise.all([1, 2, 3, 4].map(() => post(body, 'key-race-1')));
      const ids = new Set(responses.map((r) => r.body.id));
      expect(responses.every((r) => r.status === 202)).toBe(true);
      expect(ids.size).toBe(1);
      await settled([...ids][0]);
      expect(sim.simulator.outbox.filter((e) => (e.body.text as { body?: string })?.body === 'carrera')).toHaveLength(1);
    });
  });

  describe('provider errors', () => {
    it.each(['http500', 'rateLimit130429'] as const)('retries %s (an answer: Meta did not send) with backoff, then sends once', async (kind) => {
      const { contact } = await newContactWithWindow(true);
      sim.simulator.injectFault({ kind, match: { to: contact.phoneE164! }, times: 1 });
      const started = Date.now();
      const response = await post({ to: contact.phoneE164, type: 'text', text: { body: 'retry me' } }).expect(202);
      const message = await settled(response.body.id, 20000);
      expect(message).toMatchObject({ status: 'sent', attempts: 2, error: null });
      expect(outboxFor(response.body.id)).toHaveLength(1);
      // An error answer is definite: its retry follows the provider's backoff (2–2.5 s here).
      const retriedAfterMs = outboxFor(response.body.id)[0].receivedAt.getTime() - started;
      expect(retriedAfterMs).toBeGreaterThanOrEqual(1000);
      expect(retriedAfterMs).toBeLessThan(4000);
    });

    it.each([
      ['a timeout', { kind: 'timeout', delayMs: 60_000 }],
      ['a gateway 504 without a Graph error', { kind: 'gateway504' }],
    ] as const)('never resends a call that got %s: failed SEND_OUTCOME_UNKNOWN after one attempt', async (_, fault) => {
      const { contact } = await newContactWithWindow(true);
      sim.simulator.injectFault({ ...fault, match: { to: contact.phoneE164! }, times: 1 });
      const response = await post({ to: contact.phoneE164, type: 'text', text: { body: 'sin respuesta' } }).expect(202);
      const message = await settled(response.body.id, 15000);
      expect(message).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'SEND_OUTCOME_UNKNOWN' } });
      // Longer than any retry backoff of the old path (2–2.5 s): still one call at most, still failed.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(outboxFor(response.body.id)).toHaveLength(fault.kind === 'gateway504' ? 1 : 0);
      expect(await getMessage(response.body.id)).toMatchObject({ status: 'failed', attempts: 1 });
    });

    it('resolves a timed-out send that Meta accepted late from its status webhook, without a second call', async () => {
      const { contact } = await newContactWithWindow(true);
      // The request times out on our side (400 ms); the "provider" accepts it at 2.5 s and reports `sent` at once.
      sim.simulator.configureStatusWebhook({ url: `${app.baseUrl}/webhooks/meta`, appSecret: app.config.META_APP_SECRET, delaysMs: { sent: 0, delivered: 300, read: null } });
      try {
        sim.simulator.injectFault({ kind: 'timeout', match: { to: contact.phoneE164! }, times: 1, delayMs: 2500 });
        const response = await post({ to: contact.phoneE164, type: 'text', text: { body: 'una sola vez' } }).expect(202);
        const unknown = await settled(response.body.id, 10000);
        expect(unknown).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'SEND_OUTCOME_UNKNOWN' } });
        expect(outboxFor(response.body.id)).toHaveLength(0);
        const message = await waitFor(async () => {
          const m = await getMessage(response.body.id);
          return m.status === 'delivered' ? m : null;
        }, 15000, 'resolved by the status webhook and delivered');
        expect(message).toMatchObject({ status: 'delivered', attempts: 1, error: null });
        expect(outboxFor(response.body.id)).toHaveLength(1);
        expect(message.providerMessageId).toBe(outboxFor(response.body.id)[0].id);
      } finally {
        sim.simulator.configureStatusWebhook(undefined);
      }
    });

    it.each(['acceptThenReset', 'gateway504'] as const)('sends once when the provider accepted the send but the answer was lost (%s), resolved by its status webhook', async (kind) => {
      const { contact } = await newContactWithWindow(true);
      // The `sent` status comes 3 s later: well after an ordinary 5xx retry (2–2.5 s) would have gone out.
      sim.simulator.configureStatusWebhook({ url: `${app.baseUrl}/webhooks/meta`, appSecret: app.config.META_APP_SECRET, delaysMs: { sent: 3000, delivered: 3050, read: null } });
      try {
        sim.simulator.injectFault({ kind, match: { to: contact.phoneE164! }, times: 1 });
        const response = await post({ to: contact.phoneE164, type: 'text', text: { body: `respuesta perdida ${kind}` } }).expect(202);
        const message = await waitFor(async () => {
          const m = await getMessage(response.body.id);
          return ['delivered', 'read'].includes(m.status) ? m : null;
        }, 20000, 'resolved and delivered');
        expect(message).toMatchObject({ status: 'delivered', attempts: 1, error: null });
        expect(outboxFor(response.body.id)).toHaveLength(1);
        expect(message.providerMessageId).toBe(outboxFor(response.body.id)[0].id);
      } finally {
        sim.simulator.configureStatusWebhook(undefined);
      }
    });

    it('sends once when the status webhook may come before the lost answer (accepted, answer held past the timeout, then reset)', async () => {
      const { contact } = await newContactWithWindow(true);
      sim.simulator.configureStatusWebhook({ url: `${app.baseUrl}/webhooks/meta`, appSecret: app.config.META_APP_SECRET, delaysMs: { sent: 0, delivered: 50, read: null } });
      try {
        // Accepted at once (its statuses go out), the answer held past our 400 ms timeout, then the connection reset.
        sim.simulator.injectFault({ kind: 'acceptThenReset', match: { to: contact.phoneE164! }, times: 1, delayMs: 1500 });
        const response = await post({ to: contact.phoneE164, type: 'text', text: { body: 'estado antes que respuesta' } }).expect(202);
        const message = await waitFor(async () => {
          const m = await getMessage(response.body.id);
          return m.status === 'delivered' ? m : null;
        }, 15000, 'delivered');
        expect(message).toMatchObject({ attempts: 1, error: null });
        await new Promise((resolve) => setTimeout(resolve, 2000));
        expect(outboxFor(response.body.id)).toHaveLength(1);
        expect((await getMessage(response.body.id)).status).toBe('delivered');
      } finally {
        sim.simulator.configureStatusWebhook(undefined);
      }
    });

    it('backs off only the recipient hit by the pair limit (131056)', async () => {
      const slow = await newContactWithWindow(true);
      const other = await newContactWithWindow(true);
      sim.simulator.injectFault({ kind: 'pair131056', match: { to: slow.contact.phoneE164! }, times: 1 });
      const a = await post({ to: slow.contact.phoneE164, type: 'text', text: { body: 'uno' } });
      expect(a.body).toMatchObject({ status: 'queued' });
      await waitFor(async () => (await getMessage(a.body.id)).attempts === 1 && (await getMessage(a.body.id)).status === 'queued', 5000, 'pair hit');
      const started = Date.now();
      const b = await post({ to: other.contact.phoneE164, type: 'text', text: { body: 'dos' } }).expect(202);
      expect((await settled(b.body.id)).status).toBe('sent');
      expect(Date.now() - started).toBeLessThan(1500);
      expect((await getMessage(a.body.id)).status).toBe('queued');
      const retried = await settled(a.body.id, 15000);
      expect(retried).toMatchObject({ status: 'sent', attempts: 2 });
      expect(outboxFor(a.body.id)).toHaveLength(1);
    });

    it.each([
      ['windowClosed131047', '131047'],
      ['undeliverable131026', '131026'],
      ['auth190', '190'],
    ] as const)('fails %s at once with the provider code', async (kind, code) => {
      const { contact } = await newContactWithWindow(true);
      sim.simulator.injectFault({ kind, match: { to: contact.phoneE164! }, times: 1 });
      const response = await post({ to: contact.phoneE164, type: 'text', text: { body: 'falla' } }).expect(202);
      const message = await settled(response.body.id);
      expect(message).toMatchObject({ status: 'failed', attempts: 1, error: { code, title: expect.any(String) } });
      expect(message.failedAt).toEqual(expect.any(String));
      expect(sim.simulator.outbox).toHaveLength(0);
    });

    it('requeues a failed message on POST /:id/retry and refuses a non-failed one', async () => {
      const { contact } = await newContactWithWindow(true);
      sim.simulator.injectFault({ kind: 'undeliverable131026', match: { to: contact.phoneE164! }, times: 1 });
      const response = await post({ to: contact.phoneE164, type: 'text', text: { body: 'otra vez' } }).expect(202);
      expect((await settled(response.body.id)).status).toBe('failed');
      await http(app).post(`/api/v1/messages/${response.body.id}/retry`).set('Authorization', `Bearer ${tenant.token}`).expect(202);
      await waitFor(async () => (await getMessage(response.body.id)).status === 'sent', 10000, 'retried send');
      const again = await http(app).post(`/api/v1/messages/${response.body.id}/retry`).set('Authorization', `Bearer ${tenant.token}`).expect(409);
      expect(again.body.code).toBe('MESSAGE_NOT_FAILED');
      expect(outboxFor(response.body.id)).toHaveLength(1);
    });
  });

  describe('reads', () => {
    it('lists with filters and an opaque cursor, and summarises a contact', async () => {
      const { contact } = await newContactWithWindow(true);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await post({ to: contact.phoneE164, type: 'text', text: { body: `m${i}` }, externalRef: 'crm-9' }).expect(202)).body.id);
      await Promise.all(ids.map((id) => settled(id)));
      const auth = { Authorization: `Bearer ${tenant.token}` };
      const page1 = await http(app).get('/api/v1/messages').query({ contactId: contact.id, limit: 3 }).set(auth).expect(200);
      expect(page1.body.data).toHaveLength(3);
      expect(page1.body.nextCursor).toEqual(expect.any(String));
      const page2 = await http(app).get('/api/v1/messages').query({ contactId: contact.id, limit: 3, cursor: page1.body.nextCursor }).set(auth).expect(200);
      expect(page2.body.data).toHaveLength(2);
      expect(page2.body.nextCursor).toBeNull();
      expect([...page1.body.data, ...page2.body.data].map((m: { id: string }) => m.id).sort()).toEqual([...ids].sort());
      const filtered = await http(app).get('/api/v1/messages').query({ externalRef: 'crm-9', status: 'sent', direction: 'outbound' }).set(auth).expect(200);
      expect(filtered.body.data).toHaveLength(5);
      const summary = await http(app).get(`/api/v1/contacts/${contact.id}/summary`).set(auth).expect(200);
      expect(summary.body).toMatchObject({ contactId: contact.id, outbound: 5, counts: { sent: 5 }, replyRate: 0, lastOutboundAt: expect.any(String) });
      await http(app).get('/api/v1/messages').query({ cursor: 'garbage' }).set(auth).expect(400);
    });
  });
});
