import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { conversationFactory } from '../factories/contact.factory';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { FakeChatwoot } from '../support/fake-chatwoot';
import { http } from '../support/http';
import { createTestApp, type TestApp, waitFor } from '../support/test-app';
import { metaMessagesPayload, postMeta } from '../support/webhooks';

jest.setTimeout(60_000);

/** Loopback ports 8700–8709: the Graph simulator, the app, then fake Chatwoots. */
let nextPort = 8703;

describe('Chatwoot sync (integrations)', () => {
  let app: TestApp;
  let sim: GraphSimulatorServer;
  const chatwoots: FakeChatwoot[] = [];

  beforeAll(async () => {
    sim = await startGraphSimulatorServer({ port: 8700 });
    app = await createTestApp({ env: { PORT: '8701', META_GRAPH_BASE_URL: sim.url, WEBHOOK_ALLOW_PRIVATE_URLS: 'true', OUTBOX_POLL_INTERVAL_MS: '20' } });
  });
  afterAll(async () => {
    await Promise.all(chatwoots.map((c) => c.stop()));
    await app?.close();
    await sim?.close();
  });

  async function connect(tenant: Tenant): Promise<FakeChatwoot> {
    const chatwoot = await new FakeChatwoot(nextPort++).start();
    chatwoots.push(chatwoot);
    const res = await http(app)
      .put('/api/v1/integrations/chatwoot')
      .set('Authorization', `Bearer ${tenant.token}`)
      .send({ baseUrl: chatwoot.url, accountId: chatwoot.accountId, inboxId: chatwoot.inboxId, apiAccessToken: chatwoot.token })
      .expect(200);
    expect(JSON.stringify(res.body)).not.toContain(chatwoot.token);
    return chatwoot;
  }

  /** The bot has answered the latest inbound message (its replies are written with its run). */
  const botAnswered = async (tenant: Tenant): Promise<boolean> => {
    const [row] = await app.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM agent_run r WHERE r.message_id = (SELECT id FROM message WHERE organization_id = $1 AND direction = 'inbound' ORDER BY created_at DESC LIMIT 1)) AS done`,
      [tenant.organization.id],
    );
    return row.done;
  };

  /** Waits until `received` inbound events exist, the bot has answered, and every sync event is applied; answers the messages' sync events. */
  const allSynced = (tenant: Tenant, received: number) =>
    waitFor(
      async () => {
        const all = await syncStatuses(tenant);
        // Delivery statuses are sync events too (only failures change anything in Chatwoot).
        const rows = all.filter((r) => r.startsWith('message.received') || r.startsWith('message.created'));
        const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM message WHERE organization_id = $1`, [tenant.organization.id]);
        const done = rows.length === n && n > 0 && rows.filter((r) => r.startsWith('message.received')).length === received && all.every((r) => r.endsWith(':synced'));
        return done && (received === 0 || (await botAnswered(tenant))) ? rows : null;
      },
      30_000,
      'chatwoot sync',
    );

  const syncStatuses = async (tenant: Tenant): Promise<string[]> =>
    (await app.dataSource.query(`SELECT event_type || ':' || status AS s FROM chatwoot_sync_event WHERE organization_id = $1 ORDER BY created_at`, [tenant.organization.id])).map((r: { s: string }) => r.s);

  it('creates exactly one contact, conversation and incoming message when the webhook comes five times and Chatwoot fails at first', async () => {
    const tenant = await createTenant(app);
    const chatwoot = await connect(tenant);
    chatwoot.fail({ match: /^POST .*\/contacts$/, status: 500, times: 2 });
    // The message is written in Chatwoot but the answer is lost: the retry must find it, not write it again.
    chatwoot.fail({ match: /^POST .*\/messages$/, status: 500, times: 1, applyFirst: true });
    const payload = metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ from: '56911112222', text: 'Quiero cotizar un seguro' }] });
    for (let i = 0; i < 5; i += 1) await postMeta(app, payload).expect(200);

    const events = await allSynced(tenant, 1);
    expect(chatwoot.contacts).toHaveLength(1);
    const [local] = await app.dataSource.query(`SELECT id, phone_e164 FROM contact WHERE organization_id = $1 AND phone_e164 LIKE '%56911112222'`, [tenant.organization.id]);
    expect(chatwoot.contacts[0]).toMatchObject({ phone_number: local.phone_e164, identifier: `conversa:${local.id}` });
    expect(chatwoot.conversations).toHaveLength(1);
    expect(chatwoot.conversations[0]).toMatchObject({ inbox_id: chatwoot.inboxId, contact_id: chatwoot.contacts[0].id });
    // The insurance flow answers too: its replies follow the customer's message, as outgoing ones, each once.
    expect(chatwoot.messages).toHaveLength(events.length);
    expect(chatwoot.messages[0]).toMatchObject({ content: 'Quiero cotizar un seguro', message_type: 0, private: false, conversation_id: chatwoot.conversations[0].id });
    expect(chatwoot.messages.slice(1).every((m) => m.message_type === 1)).toBe(true);
    expect(new Set(chatwoot.messages.map((m) => m.source_id)).size).toBe(events.length);
    // The insurance flow's state is a conversation attribute.
    const [{ flow }] = await app.dataSource.query(`SELECT bot_state -> 'flow' ->> 'current' AS flow FROM conversation WHERE organization_id = $1`, [tenant.organization.id]);
    expect(flow).toEqual(expect.any(String));
    expect(chatwoot.conversations[0].custom_attributes).toMatchObject({ flow_state: flow });
    expect(chatwoot.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/contacts'))).toHaveLength(3);
    // One POST per message: the one whose answer was lost is found again by its source_id, not re-created.
    expect(chatwoot.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'))).toHaveLength(events.length);
    expect(chatwoot.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/messages')).length).toBeGreaterThan(0);
  });

  it('a second message in the same conversation reuses the contact and the conversation', async () => {
    const tenant = await createTenant(app);
    const chatwoot = await connect(tenant);
    for (const text of ['Hola', 'Necesito ayuda']) {
      await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ from: '56911112222', text }] })).expect(200);
    }
    await allSynced(tenant, 2);
    expect([chatwoot.contacts.length, chatwoot.conversations.length]).toEqual([1, 1]);
    // Two webhook posts are processed concurrently by Conversa, so their relative order is not asserted.
    expect(chatwoot.messages.filter((m) => m.message_type === 0).map((m) => m.content).sort()).toEqual(['Hola', 'Necesito ayuda']);
  });

  it('syncs everything received while Chatwoot was down once it is back, nothing twice', async () => {
    const tenant = await createTenant(app);
    const chatwoot = await connect(tenant);
    chatwoot.setDown(true);
    const texts = ['uno', 'dos', 'tres'];
    await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: texts.map((text) => ({ from: '56911112222', text })) })).expect(200);
    // The sync has been refused several times (the first event holds the conversation's later ones back).
    await waitFor(async () => chatwoot.requests.length >= 3, 20_000, 'refused attempts');
    expect(chatwoot.contacts).toHaveLength(0);
    const during = (await http(app).get('/api/v1/integrations/chatwoot/status').set('Authorization', `Bearer ${tenant.token}`).expect(200)).body;
    expect(during).toMatchObject({ failed: 0, lastError: expect.stringContaining('503') });
    expect(during.pending).toBeGreaterThan(0);
    chatwoot.setDown(false);
    const events = await allSynced(tenant, 3);
    expect(chatwoot.messages).toHaveLength(events.length);
    expect([chatwoot.contacts.length, chatwoot.conversations.length]).toEqual([1, 1]);
    expect(chatwoot.messages.filter((m) => m.message_type === 0).map((m) => m.content)).toEqual(texts);
    expect(new Set(chatwoot.messages.map((m) => m.source_id)).size).toBe(chatwoot.messages.length);
    const after = (await http(app).get('/api/v1/integrations/chatwoot/status').set('Authorization', `Bearer ${tenant.token}`).expect(200)).body;
    expect(after).toMatchObject({ pending: 0, failed: 0, lastSyncedAt: expect.any(String) });
  });

  it('mirrors a message sent through the API as one outgoing message in the contact\'s conversation', async () => {
    const tenant = await createTenant(app);
    const chatwoot = await connect(tenant);
    await conversationFactory.create(app.dataSource, { organizationId: tenant.organization.id, whatsappAccountId: tenant.account.id, contactId: tenant.contact.id, windowExpiresAt: new Date(Date.now() + 3600_000) });
    const sent = await http(app).post('/api/v1/messages').set('Authorization', `Bearer ${tenant.token}`).send({ to: tenant.contact.phoneE164, type: 'text', text: { body: 'Su cotización está lista' } }).expect(202);
    expect(await allSynced(tenant, 0)).toEqual(['message.created:synced']);
    expect(chatwoot.contacts).toMatchObject([{ identifier: `conversa:${tenant.contact.id}` }]);
    expect(chatwoot.conversations).toHaveLength(1);
    expect(chatwoot.messages).toMatchObject([{ content: 'Su cotización está lista', message_type: 1, private: false, source_id: `conversa:${sent.body.id}` }]);
  });
});
