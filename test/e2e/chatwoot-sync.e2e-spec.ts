import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
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

  const syncStatuses = async (tenant: Tenant): Promise<string[]> =>
    (await app.dataSource.query(`SELECT status FROM chatwoot_sync_event WHERE organization_id = $1`, [tenant.organization.id])).map((r: { status: string }) => r.status);

  it('creates exactly one contact, conversation and incoming message when the webhook comes five times and Chatwoot fails at first', async () => {
    const tenant = await createTenant(app);
    const chatwoot = await connect(tenant);
    chatwoot.fail({ match: /^POST .*\/contacts$/, status: 500, times: 2 });
    // The message is written in Chatwoot but the answer is lost: the retry must find it, not write it again.
    chatwoot.fail({ match: /^POST .*\/messages$/, status: 500, times: 1, applyFirst: true });
    const payload = metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ from: '56911112222', text: 'Quiero cotizar un seguro' }] });
    for (let i = 0; i < 5; i += 1) await postMeta(app, payload).expect(200);

    await waitFor(async () => ((await syncStatuses(tenant)).join() === 'synced' ? true : null), 30_000, 'chatwoot sync');
    expect(chatwoot.contacts).toHaveLength(1);
    const [local] = await app.dataSource.query(`SELECT id, phone_e164 FROM contact WHERE organization_id = $1 AND phone_e164 LIKE '%56911112222'`, [tenant.organization.id]);
    expect(chatwoot.contacts[0]).toMatchObject({ phone_number: local.phone_e164, identifier: `conversa:${local.id}` });
    expect(chatwoot.conversations).toHaveLength(1);
    expect(chatwoot.conversations[0]).toMatchObject({ inbox_id: chatwoot.inboxId, contact_id: chatwoot.contacts[0].id });
    expect(chatwoot.messages).toHaveLength(1);
    expect(chatwoot.messages[0]).toMatchObject({ content: 'Quiero cotizar un seguro', message_type: 0, private: false, conversation_id: chatwoot.conversations[0].id });
    expect(chatwoot.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/contacts'))).toHaveLength(3);
  });

  it('a second message in the same conversation reuses the contact and the conversation', async () => {
    const tenant = await createTenant(app);
    const chatwoot = await connect(tenant);
    for (const text of ['Hola', 'Necesito ayuda']) {
      await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ from: '56911112222', text }] })).expect(200);
    }
    await waitFor(async () => ((await syncStatuses(tenant)).join() === 'synced,synced' ? true : null), 30_000, 'chatwoot sync');
    expect([chatwoot.contacts.length, chatwoot.conversations.length]).toEqual([1, 1]);
    expect(chatwoot.messages.map((m) => m.content).sort()).toEqual(['Hola', 'Necesito ayuda']);
  });

  it('syncs everything received while Chatwoot was down once it is back, nothing twice', async () => {
    const tenant = await createTenant(app);
    const chatwoot = await connect(tenant);
    chatwoot.setDown(true);
    const texts = ['uno', 'dos', 'tres'];
    await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: texts.map((text) => ({ from: '56911112222', text })) })).expect(200);
    // Every event has failed at least once against the outage before Chatwoot comes back.
    await waitFor(async () => {
      const [row] = await app.dataSource.query(`SELECT count(*)::int AS n FROM chatwoot_sync_event WHERE organization_id = $1 AND attempts >= 1`, [tenant.organization.id]);
      return row.n === 3;
    }, 20_000, 'failed attempts');
    expect(chatwoot.contacts).toHaveLength(0);
    chatwoot.setDown(false);
    await waitFor(async () => ((await syncStatuses(tenant)).join() === 'synced,synced,synced' ? true : null), 30_000, 'chatwoot sync');
    expect([chatwoot.contacts.length, chatwoot.conversations.length]).toEqual([1, 1]);
    expect(chatwoot.messages.map((m) => m.content).sort()).toEqual([...texts].sort());
  });
});
