import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { TemplateCategory } from '../../src/database/entities/enums';
import { MessageTemplate } from '../../src/database/entities/message-template.entity';
import { ConversationsService } from '../../src/modules/communications/conversations/conversations.service';
import { ContactsService } from '../../src/modules/communications/contacts/contacts.service';
import { TemplateEventsService } from '../../src/modules/templates/template-events.service';
import type { NormalizedEvent } from '../../src/domain/normalized-event.types';
import { conversationFactory } from '../factories/contact.factory';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, type TestApp, waitFor } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';
import { metaMessagesPayload, postMeta } from '../support/webhooks';
import { openEventStream } from './inbox-helpers';

jest.setTimeout(60_000);

/** Loopback ports of this file (8900–8919): receivers from 8900, the simulator and the app on 8917–8918. */
let nextPort = 8900;

interface Envelope {
  id: string;
  type: string;
  organizationId: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- envelopes of every type, read field by field
  data: Record<string, any>;
}

describe('Outbound webhooks: the event catalogue', () => {
  let app: TestApp;
  let sim: GraphSimulatorServer;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    sim = await startGraphSimulatorServer({ port: 8917 });
    app = await createTestApp({ env: { PORT: '8918', META_GRAPH_BASE_URL: sim.url, WEBHOOK_ALLOW_PRIVATE_URLS: 'true', OUTBOX_POLL_INTERVAL_MS: '20' } });
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await app?.close();
    await sim?.close();
  });

  /** A tenant (auto-replies off, so no agent changes its conversations) and a receiver subscribed to every event. */
  async function subscribed(): Promise<{ tenant: Tenant; rx: WebhookReceiver; secret: string; auth: { Authorization: string } }> {
    const tenant = await createTenant(app, { autoRepliesEnabled: false });
    const rx = await new WebhookReceiver(nextPort++).start();
    receivers.push(rx);
    const auth = { Authorization: `Bearer ${tenant.token}` };
    const res = await http(app).post('/api/v1/integrations/webhooks').set(auth).send({ url: rx.url, events: ['*'] }).expect(201);
    return { tenant, rx, secret: res.body.secret, auth };
  }

  /** Waits until `count` deliveries arrived, then a moment more to see that no further one does; verified envelopes. */
  async function delivered(rx: WebhookReceiver, secret: string, count: number): Promise<Envelope[]> {
    await rx.waitFor(count);
    await new Promise((done) => setTimeout(done, 400));
    expect(rx.received.map((r) => JSON.parse(r.body).type)).toHaveLength(count);
    // Delivered once each: no webhook-id twice.
    expect(new Set(rx.ids()).size).toBe(count);
    return rx.received.map((r) => new Webhook(secret).verify(r.body, r.headers) as Envelope);
  }

  const ofType = (envelopes: Envelope[], type: string) => envelopes.filter((e) => e.type === type);
  const outboxCount = async (organizationId: string) =>
    Number((await app.dataSource.query(`SELECT count(*) AS n FROM outbox_event WHERE organization_id = $1`, [organizationId]))[0].n);

  it('an inbound message from a new number: contact.created, conversation.created and message.received once each, none again for its redelivery', async () => {
    const { tenant, rx, secret } = await subscribed();
    const payload = metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ from: '56987650001', text: 'hola', profileName: 'Ana' }] });
    await postMeta(app, payload).expect(200);
    // Meta redelivers the same webhook, and the customer writes again: only one more message.received.
    await postMeta(app, payload).expect(200);
    await rx.waitFor(3);
    await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ from: '56987650001', text: 'otra vez', profileName: 'Ana' }] })).expect(200);
    const events = await delivered(rx, secret, 4);

    const [contact] = await app.dataSource.query(`SELECT id FROM contact WHERE organization_id = $1 AND phone_e164 = '+56987650001'`, [tenant.organization.id]);
    const [conversation] = await app.dataSource.query(`SELECT id, updated_at FROM conversation WHERE contact_id = $1`, [contact.id]);
    expect(ofType(events, 'contact.created')).toEqual([
      expect.objectContaining({ organizationId: tenant.organization.id, data: { contactId: contact.id, contact: expect.objectContaining({ id: contact.id, phoneE164: '+56987650001', profileName: 'Ana', optedOut: false }) } }),
    ]);
    expect(ofType(events, 'conversation.created')).toEqual([
      expect.objectContaining({
        data: {
          conversationId: conversation.id,
          conversation: expect.objectContaining({ id: conversation.id, contactId: contact.id, whatsappAccountId: tenant.account.id, status: 'open', assigneeUserId: null, labels: [], botPaused: false, flowId: null, flowState: null }),
        },
      }),
    ]);
    expect(ofType(events, 'message.received').map((e) => e.data.message.text)).toEqual(['hola', 'otra vez']);
  });

  it('conversation.updated once per change a person makes, with its reason and the conversation as it is after it; none for a change that changes nothing', async () => {
    const { tenant, rx, secret, auth } = await subscribed();
    const { id } = await conversationFactory.create(app.dataSource, { organizationId: tenant.organization.id, whatsappAccountId: tenant.account.id, contactId: tenant.contact.id, unreadCount: 2 });
    const base = `/api/v1/conversations/${id}`;
    await http(app).post(`${base}/read`).set(auth).expect(200);
    await http(app).post(`${base}/assign`).set(auth).send({ userId: tenant.owner.id }).expect(200);
    await http(app).post(`${base}/labels`).set(auth).send({ add: ['vip', 'pagos'] }).expect(200);
    await http(app).post(`${base}/bot/pause`).set(auth).expect(200);
    await http(app).post(`${base}/bot/resume`).set(auth).expect(200);
    await http(app).post(`${base}/assign`).set(auth).send({ userId: null }).expect(200);
    await http(app).post(`${base}/close`).set(auth).expect(200);
    // Closing a closed conversation and reading a read one change nothing: no event.
    await http(app).post(`${base}/close`).set(auth).expect(200);
    await http(app).post(`${base}/read`).set(auth).expect(200);
    await http(app).post(`${base}/reopen`).set(auth).expect(200);
    // A flow to reset (a reset of an empty bot state would change nothing).
    await app.dataSource.query(`UPDATE conversation SET bot_state = '{"flow": {"flowId": "cotizacion", "current": "COTIZACION"}}' WHERE id = $1`, [id]);
    await http(app).post(`${base}/bot/reset`).set(auth).send({}).expect(200);
    const events = await delivered(rx, secret, 9);
    const byChange = new Map(events.map((e) => [e.data.change, e.data.conversation]));
    expect(events.every((e) => e.type === 'conversation.updated' && e.data.conversationId === id)).toBe(true);
    expect([...byChange.keys()].sort()).toEqual(['assigned', 'bot_paused', 'bot_reset', 'bot_resumed', 'closed', 'labels', 'read', 'reopened', 'unassigned']);
    expect(byChange.get('assigned')).toMatchObject({ assigneeUserId: tenant.owner.id });
    expect(byChange.get('labels')).toMatchObject({ labels: ['pagos', 'vip'], assigneeUserId: tenant.owner.id });
    expect(byChange.get('bot_paused')).toMatchObject({ botPaused: true });
    expect(byChange.get('bot_resumed')).toMatchObject({ botPaused: false });
    expect(byChange.get('unassigned')).toMatchObject({ assigneeUserId: null });
    expect(byChange.get('closed')).toMatchObject({ status: 'closed' });
    expect(byChange.get('reopened')).toMatchObject({ status: 'open', flowState: null });
    expect(byChange.get('bot_reset')).toMatchObject({ flowId: null, flowState: null });
  });

  it('a customer writing to a closed conversation reopens it: conversation.updated (reopened) from the batched inbound path', async () => {
    const { tenant, rx, secret, auth } = await subscribed();
    const { id } = await conversationFactory.create(app.dataSource, { organizationId: tenant.organization.id, whatsappAccountId: tenant.account.id, contactId: tenant.contact.id });
    await http(app).post(`/api/v1/conversations/${id}/close`).set(auth).expect(200);
    await rx.waitFor(1);
    const from = tenant.contact.waId!;
    await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ from, text: 'sigo aquí', profileName: tenant.contact.profileName! }] })).expect(200);
    await rx.waitFor(3);
    // An open conversation receiving more is no change of status.
    await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ from, text: 'hola?', profileName: tenant.contact.profileName! }] })).expect(200);
    const events = await delivered(rx, secret, 4);
    expect(events.filter((e) => e.type === 'conversation.updated').map((e) => [e.data.change, e.data.conversation.status])).toEqual([
      ['closed', 'closed'],
      ['reopened', 'open'],
    ]);
    expect(ofType(events, 'message.received')).toHaveLength(2);
    expect(ofType(events, 'contact.created')).toHaveLength(0);
  });

  it('what an agent decides: handoff, labels and flow_state, each once; the same effects again write none', async () => {
    const { tenant, rx, secret } = await subscribed();
    const { id } = await conversationFactory.create(app.dataSource, { organizationId: tenant.organization.id, whatsappAccountId: tenant.account.id, contactId: tenant.contact.id });
    const conversations = app.get(ConversationsService);
    const effects = {
      conversationId: id,
      contactId: tenant.contact.id,
      botState: { flow: { flowId: 'cotizacion', current: 'COTIZACION', slots: {} } },
      addLabels: ['cotizacion'],
      handoff: true,
    };
    await conversations.applyAgentEffects(effects);
    await rx.waitFor(3);
    await conversations.applyAgentEffects(effects);
    await conversations.applyAgentEffects({ ...effects, botState: { flow: { flowId: 'cotizacion', current: 'CERRADO', slots: {} } }, addLabels: [], handoff: false });
    const events = await delivered(rx, secret, 4);
    expect(events.map((e) => [e.type, e.data.change])).toEqual(
      expect.arrayContaining([
        ['conversation.updated', 'handoff'],
        ['conversation.updated', 'labels'],
        ['conversation.updated', 'flow_state'],
      ]),
    );
    const flowStates = events.filter((e) => e.data.change === 'flow_state').map((e) => e.data.conversation);
    expect(flowStates).toEqual([
      expect.objectContaining({ flowId: 'cotizacion', flowState: 'COTIZACION', botPaused: true, labels: ['cotizacion'] }),
      expect.objectContaining({ flowId: 'cotizacion', flowState: 'CERRADO' }),
    ]);
  });

  it('an outbound send to a new number: contact.created, conversation.created and message.created once each', async () => {
    const { tenant, rx, secret, auth } = await subscribed();
    await app.dataSource.getRepository(MessageTemplate).save({
      organizationId: tenant.organization.id,
      whatsappAccountId: tenant.account.id,
      name: 'pedido_listo',
      language: 'es',
      category: TemplateCategory.Utility,
      status: 'APPROVED',
      parameterFormat: 'POSITIONAL',
      components: [{ type: 'BODY', text: 'Hola {{1}}, tu pedido está listo.', example: { body_text: [['Ana']] } }],
    });
    const sent = await http(app).post('/api/v1/messages').set(auth).send({ to: '+56987650002', type: 'template', template: { name: 'pedido_listo', language: 'es', variables: ['Ana'] } }).expect(202);
    // Then its status from the provider (message.status sent): 4 events in all.
    const events = await delivered(rx, secret, 4);
    expect(ofType(events, 'contact.created').map((e) => e.data.contact.phoneE164)).toEqual(['+56987650002']);
    expect(ofType(events, 'conversation.created').map((e) => e.data.conversationId)).toEqual([sent.body.conversationId]);
    expect(ofType(events, 'message.created').map((e) => e.data.message.id)).toEqual([sent.body.id]);
    expect(ofType(events, 'message.status').map((e) => e.data.status)).toEqual(['sent']);
  });

  it('a message sent from the WhatsApp Business app (an echo): message.created once, also on the SSE stream; contact and conversation created with it', async () => {
    const { tenant, rx, secret, auth } = await subscribed();
    const stream = await openEventStream(app.baseUrl, auth);
    const echo = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: tenant.account.wabaId, changes: [{ field: 'smb_message_echoes', value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '56223456789', phone_number_id: tenant.account.phoneNumberId },
        message_echoes: [{ from: '56223456789', to: '56987650006', id: `wamid.echo-${randomUUID()}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'Le escribo desde la app' } }],
      } }] }],
    });
    await postMeta(app, echo).expect(200);
    await rx.waitFor(3);
    await postMeta(app, echo).expect(200);
    const events = await delivered(rx, secret, 3);
    expect(events.map((e) => e.type).sort()).toEqual(['contact.created', 'conversation.created', 'message.created']);
    const [created] = ofType(events, 'message.created');
    expect(created.data.message).toMatchObject({ direction: 'outbound', status: 'sent', text: 'Le escribo desde la app' });
    await waitFor(async () => stream.events.some((e) => e.event === 'message.created'), 10_000, 'the echo on the stream').finally(() => stream.close());
    const streamed = stream.events.filter((e) => e.event === 'message.created');
    expect(streamed.map((e) => JSON.parse(e.data!).messageId)).toEqual([created.data.message.id]);
  });

  it('contacts: created, updated (not for an edit that changes nothing), opted_out (once, however often), updated on opting back in, erased (and nothing of the person left in the outbox)', async () => {
    const { tenant, rx, secret, auth } = await subscribed();
    const created = await http(app).post('/api/v1/contacts').set(auth).send({ phone: '+56987650003', name: 'Beatriz', labels: ['nuevo'] }).expect(201);
    const id = created.body.id as string;
    await http(app).patch(`/api/v1/contacts/${id}`).set(auth).send({ name: 'Beatriz Soto', customAttributes: { rut: '11.111.111-1' } }).expect(200);
    // The same edit again changes nothing: no event.
    await http(app).patch(`/api/v1/contacts/${id}`).set(auth).send({ name: 'Beatriz Soto', customAttributes: { rut: '11.111.111-1' } }).expect(200);
    await http(app).post(`/api/v1/contacts/${id}/opt-out`).set(auth).expect(200);
    await http(app).post(`/api/v1/contacts/${id}/opt-out`).set(auth).expect(200);
    await http(app).post(`/api/v1/contacts/${id}/opt-in`).set(auth).expect(200);
    const before = await delivered(rx, secret, 4);
    expect(before.map((e) => e.type)).toEqual(['contact.created', 'contact.updated', 'contact.opted_out', 'contact.updated']);
    expect(before[0].data).toEqual({ contactId: id, contact: expect.objectContaining({ id, name: 'Beatriz', phoneE164: '+56987650003', labels: ['nuevo'], optedOut: false }) });
    expect(before[1].data.contact).toMatchObject({ name: 'Beatriz Soto', customAttributes: { rut: '11.111.111-1' } });
    expect(before[2].data).toEqual({ contactId: id, source: 'admin' });
    expect(before[3].data.contact).toMatchObject({ optedOut: false });

    await http(app).delete(`/api/v1/contacts/${id}`).set(auth).expect(200);
    const [erased] = await waitFor(async () => {
      const got = rx.received.slice(4).map((r) => JSON.parse(r.body) as Envelope);
      return got.length ? got : null;
    });
    expect(erased).toMatchObject({ type: 'contact.erased', data: { contactId: id } });
    // The outbox keeps the erasure and nothing that named the person.
    const left = await app.dataSource.query(`SELECT type, data::text AS data FROM outbox_event WHERE organization_id = $1`, [tenant.organization.id]);
    expect(left.map((r: { type: string }) => r.type)).toEqual(['contact.erased']);
    expect(left[0].data).not.toContain('56987650003');
  });

  it('an opt-out keyword from the customer: contact.opted_out (source keyword) once', async () => {
    const { tenant, rx, secret } = await subscribed();
    const from = tenant.contact.waId!;
    await conversationFactory.create(app.dataSource, { organizationId: tenant.organization.id, whatsappAccountId: tenant.account.id, contactId: tenant.contact.id });
    await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ from, text: 'STOP', profileName: tenant.contact.profileName! }] })).expect(200);
    await rx.waitFor(2);
    await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ from, text: 'STOP', profileName: tenant.contact.profileName! }] })).expect(200);
    const events = await delivered(rx, secret, 3);
    expect(ofType(events, 'contact.opted_out').map((e) => e.data)).toEqual([{ contactId: tenant.contact.id, source: 'keyword' }]);
    expect(ofType(events, 'message.received')).toHaveLength(2);
  });

  it('template.status from Meta’s review webhook, once per status change; a repeated event writes none', async () => {
    const { tenant, rx, secret } = await subscribed();
    const [template] = await app.dataSource.query(
      `INSERT INTO message_template (organization_id, whatsapp_account_id, name, language, category, status, components)
       VALUES ($1, $2, 'aviso_pago', 'es', 'UTILITY', 'PENDING', '[]') RETURNING id`,
      [tenant.organization.id, tenant.account.id],
    );
    const review = (event: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [{ id: tenant.account.wabaId, time: Math.floor(Date.now() / 1000), changes: [{ field: 'message_template_status_update', value: {
          event, message_template_id: 4242, message_template_name: 'aviso_pago', message_template_language: 'es', message_template_category: 'UTILITY', ...extra } }] }],
      });
    await postMeta(app, review('REJECTED', { reason: 'INVALID_FORMAT' })).expect(200);
    await rx.waitFor(1);
    await postMeta(app, review('APPROVED', { reason: 'NONE' })).expect(200);
    await rx.waitFor(2);
    // The same decision again (Meta retries, or the event comes twice): no change, no event.
    const approved: NormalizedEvent = { kind: 'template_status', provider: 'meta', wabaId: tenant.account.wabaId, templateName: 'aviso_pago', language: 'es', event: 'APPROVED' } as NormalizedEvent;
    expect(await app.get(TemplateEventsService).apply(approved)).toMatchObject({ matched: 1 });
    const events = await delivered(rx, secret, 2);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['template.status', { templateId: template.id, whatsappAccountId: tenant.account.id, name: 'aviso_pago', language: 'es', category: 'UTILITY', status: 'REJECTED', reason: 'INVALID_FORMAT' }],
      ['template.status', { templateId: template.id, whatsappAccountId: tenant.account.id, name: 'aviso_pago', language: 'es', category: 'UTILITY', status: 'APPROVED', reason: null }],
    ]);
  });

  it('template.status for a status the daily sync learns (a missed webhook) and for a template Meta dropped; a second sync writes none', async () => {
    const { tenant, rx, secret, auth } = await subscribed();
    const insert = (name: string, providerId: string) =>
      app.dataSource.query(
        `INSERT INTO message_template (organization_id, whatsapp_account_id, name, language, category, status, components, provider_template_id)
         VALUES ($1, $2, $3, 'es', 'UTILITY', 'PENDING', '[]', $4) RETURNING id`,
        [tenant.organization.id, tenant.account.id, name, providerId],
      );
    const [[kept], [dropped]] = await Promise.all([insert('sync_aprobada', '7700001'), insert('sync_borrada', '7700002')]);
    sim.simulator.resources.templates.push({
      id: '7700001', name: 'sync_aprobada', language: 'es', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hola' }], wabaId: tenant.account.wabaId!,
    } as (typeof sim.simulator.resources.templates)[number]);
    const sync = () => http(app).post('/api/v1/templates/sync').set(auth).send({ accountId: tenant.account.id }).expect(200);
    await sync();
    await rx.waitFor(2);
    await sync();
    const events = await delivered(rx, secret, 2);
    expect(events.map((e) => [e.type, e.data.templateId, e.data.status]).sort()).toEqual(
      [
        ['template.status', kept.id, 'APPROVED'],
        ['template.status', dropped.id, 'DELETED'],
      ].sort(),
    );
  });

  it('a rolled-back change writes no event: every writer in a transaction that then fails leaves the outbox empty', async () => {
    const tenant = await createTenant(app, { autoRepliesEnabled: false });
    const contacts = app.get(ContactsService);
    const conversations = app.get(ConversationsService);
    await expect(
      app.dataSource.transaction(async (manager) => {
        const contact = await contacts.upsert(tenant.organization.id, { phoneE164: '+56987650004', waId: '56987650004' }, manager);
        await contacts.upsert(tenant.organization.id, { phoneE164: '+56987650004', waId: '56987650004', profileName: 'Nuevo nombre' }, manager);
        const conversation = await conversations.findOrCreate(tenant.organization.id, tenant.account.id, contact.id, manager);
        await contacts.setMarketingOptOut(contact.id, true, 'keyword', new Date(), manager);
        await conversations.applyAgentEffects({ conversationId: conversation.id, contactId: contact.id, botState: { flow: { flowId: 'f', current: 'A' } }, addLabels: ['x'], handoff: true }, manager);
        // Each writer did write its event inside the transaction…
        const inside = await manager.query(`SELECT type FROM outbox_event WHERE organization_id = $1 ORDER BY seq`, [tenant.organization.id]);
        expect(inside.map((r: { type: string }) => r.type)).toEqual(['contact.created', 'contact.updated', 'conversation.created', 'contact.opted_out', 'conversation.updated', 'conversation.updated', 'conversation.updated']);
        throw new Error('the change fails after its events were written');
      }),
    ).rejects.toThrow('the change fails');
    // …and none survives the rollback.
    expect(await outboxCount(tenant.organization.id)).toBe(0);
    expect(await app.dataSource.query(`SELECT 1 FROM contact WHERE phone_e164 = '+56987650004'`)).toEqual([]);
  });

  it('an inbound message whose write fails (the database refuses it) writes no contact or conversation event; its retry writes each once', async () => {
    const { tenant, rx, secret } = await subscribed();
    const marker = `boom-${randomUUID().slice(0, 8)}`;
    await app.dataSource.query(`ALTER TABLE message ADD CONSTRAINT catalogue_test_refuse CHECK (text IS DISTINCT FROM '${marker}') NOT VALID`);
    try {
      await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ from: '56987650005', text: marker }] })).expect(200);
      await waitFor(
        async () => (await app.dataSource.query(`SELECT 1 FROM webhook_event WHERE $1 = ANY(phone_number_ids) AND attempts >= 1 AND error IS NOT NULL`, [tenant.account.phoneNumberId])).length > 0,
        15_000,
        'a failed attempt',
      );
      expect(await outboxCount(tenant.organization.id)).toBe(0);
      expect(await app.dataSource.query(`SELECT 1 FROM contact WHERE phone_e164 = '+56987650005'`)).toEqual([]);
    } finally {
      await app.dataSource.query(`ALTER TABLE message DROP CONSTRAINT catalogue_test_refuse`);
    }
    const events = await delivered(rx, secret, 3);
    expect(events.map((e) => e.type).sort()).toEqual(['contact.created', 'conversation.created', 'message.received']);
  });
});
