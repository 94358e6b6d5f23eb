import { JobName } from '../../src/queues/job-names';
import { JobProducer } from '../../src/queues/job-producer.service';
import { MessageTemplate } from '../../src/database/entities/message-template.entity';
import { TemplateCategory } from '../../src/database/entities/enums';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { conversationFactory } from '../factories/contact.factory';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { FakeChatwootWithWebhooks } from '../support/fake-chatwoot-webhooks';
import { http } from '../support/http';
import { createTestApp, type TestApp, waitFor } from '../support/test-app';
import { metaMessagesPayload, postMeta } from '../support/webhooks';

jest.setTimeout(90_000);

/** Loopback ports 8980–8999: the Graph simulator, the app, then fake Chatwoots. */
let nextPort = 8983;
const SECRET = 'cw-callback-secret-0123456789';

describe('Chatwoot → Conversa (integrations)', () => {
  let app: TestApp;
  let sim: GraphSimulatorServer;
  const chatwoots: FakeChatwootWithWebhooks[] = [];

  beforeAll(async () => {
    sim = await startGraphSimulatorServer({ port: 8980 });
    app = await createTestApp({ env: { PORT: '8981', META_GRAPH_BASE_URL: sim.url, WEBHOOK_ALLOW_PRIVATE_URLS: 'true', OUTBOX_POLL_INTERVAL_MS: '20' } });
  });
  afterAll(async () => {
    await Promise.all(chatwoots.map((c) => c.stop()));
    await app?.close();
    await sim?.close();
  });

  interface Connected {
    tenant: Tenant;
    chatwoot: FakeChatwootWithWebhooks;
    integrationId: string;
  }

  async function connect(settings: Record<string, unknown> = {}, mode: 'signature' | 'token' = 'signature'): Promise<Connected> {
    const tenant = await createTenant(app);
    const chatwoot = await new FakeChatwootWithWebhooks(nextPort++).start();
    chatwoots.push(chatwoot);
    const res = await http(app)
      .put('/api/v1/integrations/chatwoot')
      .set('Authorization', `Bearer ${tenant.token}`)
      .send({ baseUrl: chatwoot.url, accountId: chatwoot.accountId, inboxId: chatwoot.inboxId, apiAccessToken: chatwoot.token, callbackSecret: SECRET, ...settings })
      .expect(200);
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    expect(res.body).toMatchObject({ callbackSecretSet: true, webhookPath: `/webhooks/chatwoot/${res.body.id}` });
    chatwoot.target = { url: `${app.baseUrl}${res.body.webhookPath}`, secret: SECRET, mode };
    return { tenant, chatwoot, integrationId: res.body.id };
  }

  const inboundEvents = async (integrationId: string): Promise<Array<{ event_type: string; status: string; outcome: string | null }>> =>
    app.dataSource.query(`SELECT event_type, status, outcome FROM chatwoot_inbound_event WHERE integration_id = $1 ORDER BY created_at`, [integrationId]);

  /** Every stored Chatwoot event has been applied (or given up on). */
  const allApplied = (integrationId: string, atLeast: number) =>
    waitFor(
      async () => {
        const rows = await inboundEvents(integrationId);
        return rows.length >= atLeast && rows.every((r) => r.status !== 'received') ? rows : null;
      },
      30_000,
      'chatwoot events applied',
    );

  const syncedToChatwoot = (tenant: Tenant) =>
    waitFor(
      async () => {
        // Every message has its sync event (the outbox fan-out runs after the commit), and all (conversation changes too) are applied.
        const [row] = await app.dataSource.query(
          `SELECT count(*) FILTER (WHERE event_type IN ('message.received', 'message.created'))::int AS n, count(*) FILTER (WHERE status <> 'synced')::int AS waiting,
                  (SELECT count(*)::int FROM message WHERE organization_id = $1) AS messages
             FROM chatwoot_sync_event WHERE organization_id = $1`,
          [tenant.organization.id],
        );
        return row.n > 0 && row.n === row.messages && row.waiting === 0;
      },
      30_000,
      'conversa → chatwoot sync',
    );

  const digits = (phone: string | undefined) => (phone ?? '').replace(/\D/g, '');
  const sentTo = (phoneE164: string) => sim.simulator.outbox.filter((entry) => digits((entry.body as { to?: string }).to) === digits(phoneE164));
  const conversationRow = async (tenant: Tenant) =>
    (await app.dataSource.query(`SELECT id, status, bot_paused AS "botPaused" FROM conversation WHERE organization_id = $1`, [tenant.organization.id]))[0];

  /** A customer writes on WhatsApp, the bot answers, and all of it reaches Chatwoot (whose echoes come back). */
  async function customerConversation(c: Connected, phone = '56911112222'): Promise<number> {
    await postMeta(app, metaMessagesPayload({ phoneNumberId: c.tenant.account.phoneNumberId, messages: [{ from: phone, text: 'Quiero cotizar un seguro' }] })).expect(200);
    await waitFor(async () => (await app.dataSource.query(`SELECT 1 FROM agent_run r JOIN message m ON m.id = r.message_id WHERE m.organization_id = $1`, [c.tenant.organization.id])).length > 0, 30_000, 'bot answer');
    await syncedToChatwoot(c.tenant);
    // The bot's replies exist and have reached the simulator (none is still waiting to be sent).
    await waitFor(
      async () => {
        const [row] = await app.dataSource.query(
          `SELECT count(*)::int AS replies, count(*) FILTER (WHERE provider_message_id IS NULL)::int AS unsent FROM message WHERE organization_id = $1 AND direction = 'outbound'`,
          [c.tenant.organization.id],
        );
        return row.replies > 0 && row.unsent === 0;
      },
      20_000,
      'bot replies sent',
    );
    await c.chatwoot.settled();
    expect(c.chatwoot.conversations).toHaveLength(1);
    return c.chatwoot.conversations[0].id;
  }

  it('sends an agent reply to WhatsApp exactly once when the webhook comes five times, and pauses the bot', async () => {
    const c = await connect();
    const remoteConversationId = await customerConversation(c);
    const [contact] = await app.dataSource.query(`SELECT phone_e164 FROM contact WHERE organization_id = $1 AND phone_e164 LIKE '%56911112222'`, [c.tenant.organization.id]);
    const botReplies = sentTo(contact.phone_e164).length;
    expect(botReplies).toBeGreaterThan(0);

    const body = await c.chatwoot.agentReply(remoteConversationId, 'Hola, soy Ana. Le ayudo con su cotización');
    const statuses = await Promise.all([1, 2, 3, 4].map(() => c.chatwoot.deliver(body)));
    expect(statuses).toEqual([200, 200, 200, 200]);
    await waitFor(async () => sentTo(contact.phone_e164).some((e) => (e.body as { text?: { body: string } }).text?.body.startsWith('Hola, soy Ana')), 20_000, 'agent reply at the simulator');
    const events = await allApplied(c.integrationId, 1);
    // Conversa's own messages echoed back by Chatwoot are recognised and never sent again.
    expect(events.filter((e) => e.outcome === 'sent')).toHaveLength(1);
    expect(events.filter((e) => e.outcome === 'ignored:echo').length).toBeGreaterThan(0);
    expect(events.every((e) => e.status === 'applied' && ['sent', 'ignored:echo', 'ignored:not_outgoing'].includes(e.outcome!))).toBe(true);
    expect(await conversationRow(c.tenant)).toMatchObject({ botPaused: true });

    // The sync has applied the reply's message.created (and skipped it: linked) before the crash below.
    await syncedToChatwoot(c.tenant);
    // A worker that died after sending but before linking and recording it: the job runs again, the send is replayed, not repeated.
    const [sent] = await app.dataSource.query(`UPDATE chatwoot_inbound_event SET status = 'received' WHERE integration_id = $1 AND outcome = 'sent' RETURNING id`, [c.integrationId]);
    await app.dataSource.query(`DELETE FROM chatwoot_link WHERE integration_id = $1 AND kind = 'message' AND remote_id = $2`, [c.integrationId, body.id]);
    await app.get(JobProducer).enqueue(JobName.ApplyChatwootEvent, { inboundEventId: sent[0].id }, { key: `${sent[0].id}-again` });
    await allApplied(c.integrationId, 1);

    await syncedToChatwoot(c.tenant);
    await c.chatwoot.settled();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const agentTexts = sentTo(contact.phone_e164).filter((e) => (e.body as { text?: { body: string } }).text?.body.startsWith('Hola, soy Ana'));
    expect(agentTexts).toHaveLength(1);
    expect(sentTo(contact.phone_e164)).toHaveLength(botReplies + 1);
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM message WHERE organization_id = $1 AND idempotency_key LIKE 'chatwoot:%'`, [c.tenant.organization.id]);
    expect(n).toBe(1);
    // The agent's message is already in Chatwoot: the sync links it instead of writing it a second time.
    expect(c.chatwoot.messages.filter((m) => m.content.startsWith('Hola, soy Ana'))).toHaveLength(1);
    // Neither the callback secret nor what the agent wrote reaches the logs.
    expect(app.logs.filter((line) => line.includes(SECRET) || line.includes('Hola, soy Ana'))).toEqual([]);
    expect(app.logs.some((line) => line.includes('chatwoot event applied'))).toBe(true);
  });

  it('ignores an echo of a Conversa message even without its source_id (found in the id map)', async () => {
    const c = await connect();
    const remoteConversationId = await customerConversation(c, '56922223333');
    const ours = c.chatwoot.messages.find((m) => m.message_type === 1)!;
    const before = sim.simulator.outbox.length;
    const echo = c.chatwoot.deliveries.find((d) => d.body.id === ours.id)!.body;
    await c.chatwoot.deliver({ ...echo, source_id: null, id: ours.id });
    const rows: Array<{ outcome: string }> = await app.dataSource.query(`SELECT outcome FROM chatwoot_inbound_event WHERE integration_id = $1 AND event_key = $2`, [c.integrationId, `message_created:${ours.id}`]);
    expect(rows).toHaveLength(1);
    await allApplied(c.integrationId, 1);
    expect(remoteConversationId).toBeGreaterThan(0);
    expect(sim.simulator.outbox.length).toBe(before);
    expect((await conversationRow(c.tenant)).botPaused).toBe(false);

    // Erasing the contact removes what Chatwoot's webhooks told Conversa about it.
    const [contact] = await app.dataSource.query(`SELECT id FROM contact WHERE organization_id = $1 AND phone_e164 LIKE '%56922223333'`, [c.tenant.organization.id]);
    expect((await inboundEvents(c.integrationId)).length).toBeGreaterThan(0);
    await http(app).delete(`/api/v1/contacts/${contact.id}`).set('Authorization', `Bearer ${c.tenant.token}`).expect(200);
    expect(await inboundEvents(c.integrationId)).toEqual([]);
  });

  it('closes the Conversa conversation when it is resolved in Chatwoot, resumes the bot if configured, and reopens it', async () => {
    const c = await connect({ resumeBotOnResolve: true });
    const remoteConversationId = await customerConversation(c, '56933334444');
    await c.chatwoot.agentReply(remoteConversationId, 'Ya lo reviso');
    await waitFor(async () => (await conversationRow(c.tenant)).botPaused, 20_000, 'bot paused');

    const resolved = await c.chatwoot.setStatus(remoteConversationId, 'resolved');
    expect(await c.chatwoot.deliver(resolved)).toBe(200);
    await waitFor(async () => (await conversationRow(c.tenant)).status === 'closed', 20_000, 'closed');
    await allApplied(c.integrationId, 1);
    expect(await conversationRow(c.tenant)).toMatchObject({ status: 'closed', botPaused: false });
    const outcomes = (await inboundEvents(c.integrationId)).filter((e) => e.event_type === 'conversation_status_changed').map((e) => e.outcome);
    // The redelivery (the same body) is stored and applied once.
    expect(outcomes).toEqual(['closed,bot_resumed']);

    await c.chatwoot.setStatus(remoteConversationId, 'open');
    await waitFor(async () => (await conversationRow(c.tenant)).status === 'open', 20_000, 'reopened');
    // Resolved a second time: a new change, applied again.
    await c.chatwoot.setStatus(remoteConversationId, 'resolved');
    await waitFor(async () => (await conversationRow(c.tenant)).status === 'closed', 20_000, 'closed again');
  });

  it('maps conversation_updated: the assignee by email and the labels (added, never removed)', async () => {
    const c = await connect();
    const remoteConversationId = await customerConversation(c, '56966667777');
    await c.chatwoot.update(remoteConversationId, { labels: ['vip', 'cotizacion'], assigneeEmail: c.tenant.owner.email.toUpperCase() });
    const updated = async () => (await inboundEvents(c.integrationId)).filter((e) => e.event_type === 'conversation_updated' && e.status === 'applied');
    await waitFor(async () => (await updated()).length === 1, 20_000, 'conversation_updated applied');
    const [row] = await app.dataSource.query(`SELECT labels, assignee_user_id AS "assignee" FROM conversation WHERE organization_id = $1`, [c.tenant.organization.id]);
    expect(row.assignee).toBe(c.tenant.owner.id);
    expect(row.labels).toEqual(expect.arrayContaining(['vip', 'cotizacion']));
    // An assignee Conversa does not know is left alone.
    await c.chatwoot.update(remoteConversationId, { labels: ['vip'], assigneeEmail: 'nadie@otro.example' });
    await waitFor(async () => (await updated()).length === 2, 20_000, 'second conversation_updated applied');
    expect((await updated()).map((e) => e.outcome)).toEqual(['assigned,labels', 'labels']);
    const [after] = await app.dataSource.query(`SELECT labels, assignee_user_id AS "assignee" FROM conversation WHERE organization_id = $1`, [c.tenant.organization.id]);
    expect(after.assignee).toBe(c.tenant.owner.id);
    expect(after.labels).toEqual(expect.arrayContaining(['vip', 'cotizacion']));
  });

  it('answers 401 INVALID_SIGNATURE and stores nothing for a bad or stale signature, a wrong token or an unknown integration', async () => {
    const c = await connect();
    const body = { event: 'message_created', id: 999, content: 'forged', message_type: 'outgoing', private: false, sender: { type: 'user' }, conversation: { id: 1 } };
    const stale = String(Math.floor(Date.now() / 1000) - 600);
    const target = c.chatwoot.target!;
    const raw = JSON.stringify(body);
    const responses = [
      await http(app).post(`/webhooks/chatwoot/${c.integrationId}`).set('Content-Type', 'application/json').set('X-Chatwoot-Timestamp', String(Math.floor(Date.now() / 1000))).set('X-Chatwoot-Signature', `sha256=${'0'.repeat(64)}`).send(raw),
      await http(app).post(`/webhooks/chatwoot/${c.integrationId}`).set('Content-Type', 'application/json').send(raw),
      await http(app).post(`/webhooks/chatwoot/${c.integrationId}?token=not-the-secret`).set('Content-Type', 'application/json').send(raw),
      await http(app).post(`/webhooks/chatwoot/00000000-0000-4000-8000-000000000000?token=${SECRET}`).set('Content-Type', 'application/json').send(raw),
    ];
    expect(responses.map((r) => [r.status, r.body.code])).toEqual(Array(4).fill([401, 'INVALID_SIGNATURE']));
    c.chatwoot.target = { ...target, secret: 'another-secret-entirely' };
    expect(await c.chatwoot.deliver(body)).toBe(401);
    c.chatwoot.target = target;
    expect(await c.chatwoot.deliver(body, { timestamp: stale })).toBe(401);
    expect(await inboundEvents(c.integrationId)).toEqual([]);
    // The same request, correctly signed, is stored.
    expect(await c.chatwoot.deliver(body)).toBe(200);
    expect(await inboundEvents(c.integrationId)).toHaveLength(1);
  });

  it('takes the API inbox callback with ?token= when it carries no signature', async () => {
    const c = await connect({}, 'token');
    const remoteConversationId = await customerConversation(c, '56944445555');
    await c.chatwoot.agentReply(remoteConversationId, 'Respuesta por callback');
    await waitFor(async () => sim.simulator.outbox.some((e) => (e.body as { text?: { body: string } }).text?.body === 'Respuesta por callback'), 20_000, 'reply sent');
  });

  it('applies a stored event whose job was lost: the relay sweep re-enqueues it', async () => {
    const c = await connect();
    const remoteConversationId = await customerConversation(c, '56955556666');
    await c.chatwoot.agentReply(remoteConversationId, 'Perdido y encontrado');
    await allApplied(c.integrationId, 1);
    await waitFor(async () => sim.simulator.outbox.some((e) => (e.body as { text?: { body: string } }).text?.body === 'Perdido y encontrado'), 20_000, 'reply sent');
    const before = sim.simulator.outbox.length;
    // As if Redis had lost the job right after the row was stored a minute ago: only the sweep can find it.
    const [[lost]] = await app.dataSource.query(
      `UPDATE chatwoot_inbound_event SET status = 'received', updated_at = now() - interval '2 minutes' WHERE integration_id = $1 AND outcome = 'sent' RETURNING id`,
      [c.integrationId],
    );
    const swept = await waitFor(
      async () => (await app.dataSource.query(`SELECT status, outcome, attempts FROM chatwoot_inbound_event WHERE id = $1 AND status <> 'received'`, [lost.id]))[0],
      30_000,
      'swept event applied',
    );
    expect(swept).toEqual({ status: 'applied', outcome: 'ignored:already_sent', attempts: 2 });
    expect(sim.simulator.outbox.length).toBe(before);
  });

  describe('outside the 24-hour window', () => {
    /** A conversation Chatwoot knows (from an API send), whose window has since closed. */
    async function expiredConversation(c: Connected): Promise<number> {
      await conversationFactory.create(app.dataSource, { organizationId: c.tenant.organization.id, whatsappAccountId: c.tenant.account.id, contactId: c.tenant.contact.id, windowExpiresAt: new Date(Date.now() + 3600_000) });
      await http(app).post('/api/v1/messages').set('Authorization', `Bearer ${c.tenant.token}`).send({ to: c.tenant.contact.phoneE164, type: 'text', text: { body: 'Su póliza' } }).expect(202);
      await syncedToChatwoot(c.tenant);
      await c.chatwoot.settled();
      await app.dataSource.query(`UPDATE conversation SET window_expires_at = now() - interval '1 hour' WHERE organization_id = $1`, [c.tenant.organization.id]);
      return c.chatwoot.conversations[0].id;
    }

    it('leaves the agent a private note explaining a template is needed, and sends nothing', async () => {
      const c = await connect();
      const remoteConversationId = await expiredConversation(c);
      const before = sentTo(c.tenant.contact.phoneE164!).length;
      await c.chatwoot.agentReply(remoteConversationId, '¿Sigue interesado?');
      await waitFor(async () => c.chatwoot.messages.find((m) => m.private), 20_000, 'private note');
      const events = await allApplied(c.integrationId, 2);
      expect(events.map((e) => e.outcome)).toContain('note:window_closed');
      const notes = c.chatwoot.messages.filter((m) => m.private);
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatchObject({ conversation_id: remoteConversationId, message_type: 1 });
      expect(notes[0].content).toContain('template');
      await c.chatwoot.settled();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sentTo(c.tenant.contact.phoneE164!)).toHaveLength(before);
      expect(await conversationRow(c.tenant)).toMatchObject({ botPaused: true });
    });

    it('sends the configured fallback template instead', async () => {
      const c = await connect();
      await app.dataSource.getRepository(MessageTemplate).save({
        organizationId: c.tenant.organization.id,
        whatsappAccountId: c.tenant.account.id,
        name: 'seguimiento',
        language: 'es',
        category: TemplateCategory.Utility,
        status: 'APPROVED',
        parameterFormat: 'POSITIONAL',
        components: [{ type: 'BODY', text: 'Hola, seguimos atentos a su solicitud.' }],
      });
      await http(app)
        .put('/api/v1/integrations/chatwoot')
        .set('Authorization', `Bearer ${c.tenant.token}`)
        .send({ baseUrl: c.chatwoot.url, accountId: c.chatwoot.accountId, inboxId: c.chatwoot.inboxId, apiAccessToken: c.chatwoot.token, fallbackTemplate: { name: 'seguimiento', language: 'es' } })
        .expect(200)
        .expect((res) => expect(res.body).toMatchObject({ callbackSecretSet: true, fallbackTemplate: { name: 'seguimiento', language: 'es' } }));
      const remoteConversationId = await expiredConversation(c);
      await c.chatwoot.agentReply(remoteConversationId, '¿Sigue interesado?');
      const sent = await waitFor(async () => sentTo(c.tenant.contact.phoneE164!).find((e) => (e.body as { type: string }).type === 'template'), 20_000, 'fallback template');
      expect(sent.body).toMatchObject({ type: 'template', template: { name: 'seguimiento' } });
      expect((await allApplied(c.integrationId, 2)).map((e) => e.outcome)).toContain('sent');
      expect(c.chatwoot.messages.filter((m) => m.private)).toHaveLength(0);
    });
  });

  describe('POST /api/v1/integrations/chatwoot/test', () => {
    it('reports a good token and inbox, a rejected token and a missing inbox', async () => {
      const c = await connect();
      const test = () => http(app).post('/api/v1/integrations/chatwoot/test').set('Authorization', `Bearer ${c.tenant.token}`).expect(200);
      expect((await test()).body).toEqual({ ok: true, check: 'ok', inboxName: 'WhatsApp (Conversa)', channelType: 'Channel::Api', message: null });
      const put = (overrides: Record<string, unknown>) =>
        http(app)
          .put('/api/v1/integrations/chatwoot')
          .set('Authorization', `Bearer ${c.tenant.token}`)
          .send({ baseUrl: c.chatwoot.url, accountId: c.chatwoot.accountId, inboxId: c.chatwoot.inboxId, apiAccessToken: c.chatwoot.token, ...overrides })
          .expect(200);
      await put({ apiAccessToken: 'wrong-token-123' });
      expect((await test()).body).toMatchObject({ ok: false, check: 'token_rejected' });
      await put({ inboxId: 99 });
      expect((await test()).body).toMatchObject({ ok: false, check: 'inbox_not_found' });
    });
  });
});
