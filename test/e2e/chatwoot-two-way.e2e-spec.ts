import type { BusinessHours } from '../../src/database/entities/whatsapp-account.entity';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import type { Conversation } from '../support/fake-chatwoot';
import { FakeChatwootWithWebhooks } from '../support/fake-chatwoot-webhooks';
import { http } from '../support/http';
import { createTestApp, type TestApp, waitFor } from '../support/test-app';
import { postMeta } from '../support/webhooks';

jest.setTimeout(120_000);

/** Loopback ports 9080–9099: the Graph simulator, the app, then fake Chatwoots. */
let nextPort = 9083;
const SECRET = 'cw-two-way-secret-0123456789';
const ALWAYS_OPEN: BusinessHours = { weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]])) };

let seq = 0;
/** A WhatsApp message in Meta's webhook shape: a text or an interactive button reply. */
function inbound(phoneNumberId: string, from: string, msg: { text?: string; buttonId?: string }): string {
  const id = `wamid.cw2way-${process.pid}-${Date.now()}-${(seq += 1)}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const message = msg.buttonId
    ? { from, id, timestamp, type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: msg.buttonId, title: msg.buttonId } } }
    : { from, id, timestamp, type: 'text', text: { body: msg.text ?? 'Hola' } };
  const value = { messaging_product: 'whatsapp', metadata: { display_phone_number: '56223456789', phone_number_id: phoneNumberId }, contacts: [{ profile: { name: 'Cliente' }, wa_id: from }], messages: [message] };
  return JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'WABA', changes: [{ field: 'messages', value }] }] });
}

/**
 * Both directions at once, through the real paths only: WhatsApp webhooks in, the insurance bot, the outbox, the
 * sync to a fake Chatwoot that calls back (echoes of every message and status change Conversa makes, signed agent
 * replies and resolves), and the Graph simulator. Nothing is written into the outbox by hand.
 */
describe('Chatwoot both ways (integrations)', () => {
  let app: TestApp;
  let sim: GraphSimulatorServer;
  const chatwoots: FakeChatwootWithWebhooks[] = [];

  beforeAll(async () => {
    sim = await startGraphSimulatorServer({ port: 9080 });
    app = await createTestApp({ env: { PORT: '9081', META_GRAPH_BASE_URL: sim.url, WEBHOOK_ALLOW_PRIVATE_URLS: 'true', OUTBOX_POLL_INTERVAL_MS: '20' } });
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
    phone: string;
  }

  async function connect(phone: string, settings: Record<string, unknown> = {}): Promise<Connected> {
    const tenant = await createTenant(app, { businessHours: ALWAYS_OPEN, rateLimitPerSecond: 200 });
    const chatwoot = await new FakeChatwootWithWebhooks(nextPort++).start();
    chatwoot.echoStatusChanges = true;
    chatwoots.push(chatwoot);
    const res = await http(app)
      .put('/api/v1/integrations/chatwoot')
      .set('Authorization', `Bearer ${tenant.token}`)
      .send({ baseUrl: chatwoot.url, accountId: chatwoot.accountId, inboxId: chatwoot.inboxId, apiAccessToken: chatwoot.token, callbackSecret: SECRET, ...settings })
      .expect(200);
    chatwoot.target = { url: `${app.baseUrl}${res.body.webhookPath}`, secret: SECRET };
    return { tenant, chatwoot, integrationId: res.body.id, phone };
  }

  const query = async <T = Record<string, unknown>>(sql: string, params: unknown[]): Promise<T[]> => app.dataSource.query(sql, params);

  /**
   * Both sides are quiet: the bot has answered every customer message, every message is sent and has its applied
   * sync event, no sync or Chatwoot event is waiting, no echo is in flight — and it stays so for a moment.
   */
  async function quiet(c: Connected): Promise<void> {
    const org = c.tenant.organization.id;
    const snapshot = async () => {
      await c.chatwoot.settled();
      const [row] = await query<{ unanswered: number; unsent: number; unsynced: number; pending: number; received: number; syncs: number; events: number }>(
        `SELECT (SELECT count(*)::int FROM message m WHERE m.organization_id = $1 AND m.direction = 'inbound' AND NOT EXISTS (SELECT 1 FROM agent_run r WHERE r.message_id = m.id)
                   AND NOT EXISTS (SELECT 1 FROM conversation cv WHERE cv.id = m.conversation_id AND cv.bot_paused)) AS unanswered,
                (SELECT count(*)::int FROM message WHERE organization_id = $1 AND direction = 'outbound' AND provider_message_id IS NULL AND status <> 'failed') AS unsent,
                (SELECT count(*)::int FROM message m WHERE m.organization_id = $1 AND NOT EXISTS (
                   SELECT 1 FROM chatwoot_sync_event s JOIN outbox_event o ON o.id = s.event_id
                    WHERE s.organization_id = $1 AND s.event_type IN ('message.received', 'message.created') AND o.data -> 'message' ->> 'id' = m.id::text)) AS unsynced,
                (SELECT count(*)::int FROM chatwoot_sync_event WHERE organization_id = $1 AND status = 'pending') AS pending,
                (SELECT count(*)::int FROM chatwoot_inbound_event WHERE organization_id = $1 AND status = 'received') AS received,
                (SELECT count(*)::int FROM chatwoot_sync_event WHERE organization_id = $1) AS syncs,
                (SELECT count(*)::int FROM outbox_event WHERE organization_id = $1 AND dispatched_at IS NULL) AS events`,
        [org],
      );
      const busy = row.unanswered + row.unsent + row.unsynced + row.pending + row.received + row.events;
      return busy === 0 ? `${row.syncs}/${c.chatwoot.deliveries.length}/${c.chatwoot.requests.length}` : null;
    };
    await waitFor(async () => {
      const before = await snapshot();
      if (!before) return false;
      await new Promise((resolve) => setTimeout(resolve, 300));
      return before === (await snapshot());
    }, 45_000, 'both sides quiet');
  }

  /** The customer writes on WhatsApp; answers once everything it set off has settled on both sides. */
  async function customerSays(c: Connected, msg: { text?: string; buttonId?: string }): Promise<void> {
    const inboundCount = async () => (await query(`SELECT 1 FROM message WHERE organization_id = $1 AND direction = 'inbound'`, [c.tenant.organization.id])).length;
    const before = await inboundCount();
    await postMeta(app, inbound(c.tenant.account.phoneNumberId, c.phone, msg)).expect(200);
    await waitFor(async () => (await inboundCount()) > before, 20_000, 'inbound stored');
    await quiet(c);
  }

  const digits = (phone: unknown) => String(phone ?? '').replace(/\D/g, '');
  const sentTo = (c: Connected) => sim.simulator.outbox.filter((entry) => digits(entry.body.to) === c.phone);
  const textOf = (entry: { body: Record<string, unknown> }) => ((entry.body.text as { body?: string })?.body ?? (entry.body.interactive as { body?: { text?: string } })?.body?.text ?? '') as string;
  const conversationRow = async (c: Connected) =>
    (await query<{ id: string; status: string; botPaused: boolean; flow: { current: string; vars: Record<string, unknown> } | null }>(
      `SELECT id, status, bot_paused AS "botPaused", bot_state -> 'flow' AS flow FROM conversation WHERE organization_id = $1`,
      [c.tenant.organization.id],
    ))[0];
  const remoteConversation = (c: Connected): Conversation => {
    expect(c.chatwoot.conversations).toHaveLength(1);
    return c.chatwoot.conversations[0];
  };
  const inboundOutcomes = async (c: Connected, eventType?: string) =>
    (
      await query<{ outcome: string }>(`SELECT outcome FROM chatwoot_inbound_event WHERE integration_id = $1 AND ($2::text IS NULL OR event_type = $2) ORDER BY created_at`, [
        c.integrationId,
        eventType ?? null,
      ])
    ).map((r) => r.outcome);
  const toggles = (c: Connected) => c.chatwoot.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/toggle_status')).length;
  /** Chatwoot holds each message the sync wrote (by its source_id) once. */
  const expectNoDuplicates = (c: Connected) => {
    const sourceIds = c.chatwoot.messages.filter((m) => m.source_id).map((m) => m.source_id);
    expect(new Set(sourceIds).size).toBe(sourceIds.length);
  };

  /** The insurance flow up to its proposal: start, the auto button, the age, the vehicle's year. */
  async function quoteAuto(c: Connected): Promise<void> {
    await customerSays(c, { text: 'Hola, quiero cotizar un seguro' });
    await customerSays(c, { buttonId: 'auto' });
    await customerSays(c, { text: '35' });
    await customerSays(c, { text: '2020' });
  }

  it('the insurance bot hands over when the customer asks for a person: open, unassigned, one private note; the flow state and quote are attributes; echoes are ignored', async () => {
    const c = await connect('56970000001');
    await quoteAuto(c);
    const row = await conversationRow(c);
    expect(row.flow).toMatchObject({ current: 'PRESENTACION_PROPUESTA' });
    expect(row.flow!.vars).toHaveProperty('quote_uf');
    const remote = remoteConversation(c);
    // The flow's state and its computed quote, as Chatwoot conversation attributes.
    expect(remote.custom_attributes).toEqual({ conversa_conversation_id: row.id, ...row.flow!.vars, flow_state: 'PRESENTACION_PROPUESTA' });
    const botTexts = sentTo(c).map(textOf);
    expect(botTexts.some((t) => t.includes('prima estimada'))).toBe(true);
    // Every WhatsApp message (customer's and bot's) is in Chatwoot once; Chatwoot's echo of each bot message was ignored.
    const [{ n: messageCount }] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM message WHERE organization_id = $1`, [c.tenant.organization.id]);
    expect(c.chatwoot.messages).toHaveLength(messageCount);
    expectNoDuplicates(c);
    const echoes = await inboundOutcomes(c, 'message_created');
    expect(echoes.length).toBe(c.chatwoot.messages.length);
    expect(new Set(echoes)).toEqual(new Set(['ignored:echo', 'ignored:not_outgoing']));
    expect(echoes.filter((o) => o === 'ignored:echo')).toHaveLength(botTexts.length);
    expect(sentTo(c)).toHaveLength(botTexts.length);

    // An agent had it in Chatwoot and left it pending; the customer now asks for a person.
    remote.status = 'pending';
    remote.assignee_id = 12;
    const togglesBefore = toggles(c);
    await customerSays(c, { text: 'Prefiero hablar con una persona, por favor' });
    expect(await conversationRow(c)).toMatchObject({ botPaused: true });
    expect(remote).toMatchObject({ status: 'open', assignee_id: null });
    const notes = c.chatwoot.messages.filter((m) => m.private);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ conversation_id: remote.id, message_type: 1 });
    expect(notes[0].content).toBe('handed over: asked for a person');
    expect(toggles(c)).toBe(togglesBefore + 1);
    // Chatwoot's status_changed for the reopening and the note's echo change nothing in Conversa.
    expect(await inboundOutcomes(c, 'conversation_status_changed')).toEqual(['unchanged']);
    expect((await inboundOutcomes(c, 'message_created')).filter((o) => o === 'ignored:private')).toHaveLength(1);
    // The bot's handover reply reached WhatsApp and Chatwoot once.
    expect(sentTo(c)).toHaveLength(botTexts.length + 1);
    const [{ n: after }] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM message WHERE organization_id = $1`, [c.tenant.organization.id]);
    expect(c.chatwoot.messages.filter((m) => !m.private)).toHaveLength(after);
    expectNoDuplicates(c);
    const changes = await query<{ change: string; status: string }>(
      `SELECT o.data ->> 'change' AS change, s.status FROM chatwoot_sync_event s JOIN outbox_event o ON o.id = s.event_id WHERE s.organization_id = $1 AND s.event_type = 'conversation.updated'`,
      [c.tenant.organization.id],
    );
    expect(changes.filter((e) => e.change === 'handoff')).toEqual([{ change: 'handoff', status: 'synced' }]);
  });

  it('an agent reply in Chatwoot reaches WhatsApp once, pauses the bot and is not copied back; an API send echoed by Chatwoot is not sent again', async () => {
    const c = await connect('56970000002');
    await customerSays(c, { text: 'Hola, quiero cotizar un seguro' });
    const remote = remoteConversation(c);
    const before = sentTo(c).length;
    const chatwootMessages = c.chatwoot.messages.length;

    const reply = await c.chatwoot.agentReply(remote.id, 'Hola, soy Ana, le ayudo con su seguro');
    // The API inbox's callback and the account webhook both announce it, and Chatwoot retries one of them.
    expect(await c.chatwoot.deliver(reply)).toBe(200);
    expect(await c.chatwoot.deliver(reply)).toBe(200);
    await quiet(c);
    const agentTexts = () => sentTo(c).filter((e) => textOf(e) === 'Hola, soy Ana, le ayudo con su seguro');
    expect(agentTexts()).toHaveLength(1);
    expect(sentTo(c)).toHaveLength(before + 1);
    expect(await conversationRow(c)).toMatchObject({ botPaused: true });
    // In Chatwoot it stays the agent's one message: the sync linked it (the send's message.created) instead of writing it.
    expect(c.chatwoot.messages).toHaveLength(chatwootMessages + 1);
    expect(c.chatwoot.messages.filter((m) => m.content === 'Hola, soy Ana, le ayudo con su seguro')).toEqual([expect.objectContaining({ id: reply.id, source_id: null })]);
    const [sent] = await query<{ id: string }>(`SELECT id FROM message WHERE organization_id = $1 AND idempotency_key LIKE 'chatwoot:%'`, [c.tenant.organization.id]);
    expect(await query(`SELECT remote_id FROM chatwoot_link WHERE integration_id = $1 AND kind = 'message' AND local_id = $2`, [c.integrationId, sent.id])).toEqual([{ remote_id: String(reply.id) }]);
    expect((await inboundOutcomes(c, 'message_created')).filter((o) => o === 'sent')).toHaveLength(1);

    // The bot stays quiet while the person handles it; the customer's answer reaches Chatwoot.
    await customerSays(c, { text: 'Gracias Ana, tengo un auto 2020' });
    expect(sentTo(c)).toHaveLength(before + 1);
    expect(c.chatwoot.messages.filter((m) => m.content === 'Gracias Ana, tengo un auto 2020')).toEqual([expect.objectContaining({ message_type: 0 })]);

    // Conversa's own API send: in Chatwoot once, its echo (a `user` sender, like the agent's) not sent to WhatsApp again.
    await http(app).post('/api/v1/messages').set('Authorization', `Bearer ${c.tenant.token}`).send({ to: `+${c.phone}`, type: 'text', text: { body: 'Le envío la póliza' } }).expect(202);
    await quiet(c);
    expect(sentTo(c).filter((e) => textOf(e) === 'Le envío la póliza')).toHaveLength(1);
    const mirrored = c.chatwoot.messages.filter((m) => m.content === 'Le envío la póliza');
    expect(mirrored).toEqual([expect.objectContaining({ message_type: 1, source_id: expect.stringMatching(/^conversa:/) })]);
    const echo = c.chatwoot.deliveries.filter((d) => d.body.id === mirrored[0].id);
    expect(echo.map((d) => d.status)).toEqual([200]);
    const [applied] = await query<{ outcome: string }>(`SELECT outcome FROM chatwoot_inbound_event WHERE integration_id = $1 AND event_key = $2`, [c.integrationId, `message_created:${mirrored[0].id}`]);
    expect(applied.outcome).toBe('ignored:echo');
    expectNoDuplicates(c);
  });

  it('resolving in Chatwoot closes the conversation without a loop; closing in Conversa resolves it in Chatwoot; the customer writing again reopens both', async () => {
    const c = await connect('56970000003', { resumeBotOnResolve: true });
    await customerSays(c, { text: 'Hola, quiero cotizar un seguro' });
    const remote = remoteConversation(c);
    await c.chatwoot.agentReply(remote.id, 'Listo, le envié la cotización por correo');
    await quiet(c);
    const sentBefore = sentTo(c).length;
    const messagesBefore = c.chatwoot.messages.length;
    const togglesBefore = toggles(c);

    await c.chatwoot.setStatus(remote.id, 'resolved');
    await quiet(c);
    expect(await conversationRow(c)).toMatchObject({ status: 'closed', botPaused: false });
    expect(await inboundOutcomes(c, 'conversation_status_changed')).toEqual(['closed,bot_resumed']);
    // The close's conversation.updated reached the sync: at most one toggle back (to what Chatwoot already shows), no echo, nothing resent.
    expect(toggles(c) - togglesBefore).toBeLessThanOrEqual(1);
    expect(remote.status).toBe('resolved');
    expect(sentTo(c)).toHaveLength(sentBefore);
    expect(c.chatwoot.messages).toHaveLength(messagesBefore);
    const closed = await query(`SELECT status FROM chatwoot_sync_event s JOIN outbox_event o ON o.id = s.event_id WHERE s.organization_id = $1 AND o.data ->> 'change' = 'closed'`, [c.tenant.organization.id]);
    expect(closed).toEqual([{ status: 'synced' }]);

    // The customer writes again: Conversa reopens, Chatwoot follows (once), and its status echo changes nothing.
    await customerSays(c, { text: 'Una consulta más sobre mi seguro' });
    expect(await conversationRow(c)).toMatchObject({ status: 'open' });
    expect(remote.status).toBe('open');
    expect(await inboundOutcomes(c, 'conversation_status_changed')).toEqual(['closed,bot_resumed', 'unchanged']);

    // Closed from Conversa's API: resolved in Chatwoot by one toggle; Chatwoot's echo is recognised as no change.
    const row = await conversationRow(c);
    const togglesOpen = toggles(c);
    await http(app).post(`/api/v1/conversations/${row.id}/close`).set('Authorization', `Bearer ${c.tenant.token}`).expect(200);
    await quiet(c);
    expect(remote.status).toBe('resolved');
    expect(toggles(c)).toBe(togglesOpen + 1);
    expect(await conversationRow(c)).toMatchObject({ status: 'closed' });
    expect(await inboundOutcomes(c, 'conversation_status_changed')).toEqual(['closed,bot_resumed', 'unchanged', 'unchanged']);

    // A label added in Chatwoot before the close, its conversation_updated (status `open` in the snapshot) delivered
    // late: the label is taken, the status is not (it would reopen the conversation both sides just closed).
    const late = { event: 'conversation_updated', id: remote.id, inbox_id: remote.inbox_id, status: 'open', custom_attributes: remote.custom_attributes, labels: ['vip'] };
    expect(await c.chatwoot.deliver({ ...late, meta: { assignee: null }, changed_attributes: [{ label_list: { previous_value: [], current_value: ['vip'] } }] })).toBe(200);
    await quiet(c);
    expect(await inboundOutcomes(c, 'conversation_updated')).toEqual(['labels']);
    expect(await conversationRow(c)).toMatchObject({ status: 'closed' });
    expect(remote).toMatchObject({ status: 'resolved', labels: ['vip'] });
    expectNoDuplicates(c);
  });

  it('a database error while syncing is retried like an outage: everything reaches Chatwoot once', async () => {
    const c = await connect('56970000005');
    // The first link the sync writes for this integration fails (a database error after Chatwoot created the contact).
    await app.dataSource.query(`
      CREATE SEQUENCE cw_two_way_link_attempts;
      CREATE OR REPLACE FUNCTION cw_two_way_refuse_first_link() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.integration_id = '${c.integrationId}' AND nextval('cw_two_way_link_attempts') = 1 THEN RAISE EXCEPTION 'database error (test)'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER cw_two_way_refuse_first_link BEFORE INSERT ON chatwoot_link FOR EACH ROW EXECUTE FUNCTION cw_two_way_refuse_first_link();`);
    try {
      await customerSays(c, { text: 'Hola, quiero cotizar un seguro' });
    } finally {
      await app.dataSource.query(`DROP TRIGGER cw_two_way_refuse_first_link ON chatwoot_link; DROP FUNCTION cw_two_way_refuse_first_link(); DROP SEQUENCE cw_two_way_link_attempts;`);
    }
    const statuses = await query<{ status: string; attempts: number }>(`SELECT status, attempts FROM chatwoot_sync_event WHERE integration_id = $1 ORDER BY event_seq`, [c.integrationId]);
    expect(statuses.every((s) => s.status === 'synced')).toBe(true);
    expect(statuses[0].attempts).toBe(2);
    const [{ n }] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM message WHERE organization_id = $1`, [c.tenant.organization.id]);
    expect([c.chatwoot.contacts.length, c.chatwoot.conversations.length, c.chatwoot.messages.length]).toEqual([1, 1, n]);
    expectNoDuplicates(c);
  });

  it('an agent reply whose worker died after sending, before linking it, is linked by the sync, not copied into Chatwoot a second time', async () => {
    const c = await connect('56970000004');
    await customerSays(c, { text: 'Hola, quiero cotizar un seguro' });
    const remote = remoteConversation(c);
    // As if the worker died right after the send: the agent reply's link cannot be written, so its job fails (and
    // releases the conversation's lock) and the send's message.created reaches the sync unlinked. Only that link is
    // refused: the sync writes its links on the connection holding the conversation's advisory lock.
    await app.dataSource.query(`
      CREATE OR REPLACE FUNCTION cw_two_way_refuse_reply_link() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.integration_id = '${c.integrationId}' AND NEW.kind = 'message' AND NEW.source_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory') THEN
          RAISE EXCEPTION 'worker died (test)';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER cw_two_way_refuse_reply_link BEFORE INSERT ON chatwoot_link FOR EACH ROW EXECUTE FUNCTION cw_two_way_refuse_reply_link();`);
    let replyId: number | undefined;
    let sentId = '';
    try {
      replyId = (await c.chatwoot.agentReply(remote.id, 'Soy Pedro, ya reviso su caso')).id as number;
      const agentSent = () => query<{ id: string }>(`SELECT id FROM message WHERE organization_id = $1 AND idempotency_key LIKE 'chatwoot:%'`, [c.tenant.organization.id]);
      sentId = (await waitFor(async () => (await agentSent())[0], 20_000, 'agent reply sent')).id;
      // The sync has applied the reply's message.created while the reply's own job could not link it.
      await waitFor(
        async () =>
          (
            await query(`SELECT 1 FROM chatwoot_sync_event s JOIN outbox_event o ON o.id = s.event_id WHERE s.integration_id = $1 AND o.data -> 'message' ->> 'id' = $2 AND s.status <> 'pending'`, [
              c.integrationId,
              sentId,
            ])
          ).length > 0,
        20_000,
        'sync of the unlinked reply',
      );
      expect(await query(`SELECT status FROM chatwoot_inbound_event WHERE integration_id = $1 AND event_key = $2`, [c.integrationId, `message_created:${replyId}`])).toEqual([{ status: 'received' }]);
    } finally {
      await app.dataSource.query(`DROP TRIGGER IF EXISTS cw_two_way_refuse_reply_link ON chatwoot_link; DROP FUNCTION IF EXISTS cw_two_way_refuse_reply_link();`);
    }
    // The reply's job, retried, finds it sent and linked.
    await quiet(c);
    expect(c.chatwoot.messages.filter((m) => m.content === 'Soy Pedro, ya reviso su caso')).toEqual([expect.objectContaining({ id: replyId, source_id: null })]);
    expect(await query(`SELECT remote_id FROM chatwoot_link WHERE integration_id = $1 AND kind = 'message' AND local_id = $2`, [c.integrationId, sentId])).toEqual([{ remote_id: String(replyId) }]);
    expect(sentTo(c).filter((e) => textOf(e) === 'Soy Pedro, ya reviso su caso')).toHaveLength(1);
    const [sync] = await query(`SELECT s.status FROM chatwoot_sync_event s JOIN outbox_event o ON o.id = s.event_id WHERE s.integration_id = $1 AND o.data -> 'message' ->> 'id' = $2`, [c.integrationId, sentId]);
    expect(sync).toEqual({ status: 'synced' });
    expect(await query(`SELECT status, outcome FROM chatwoot_inbound_event WHERE integration_id = $1 AND event_key = $2`, [c.integrationId, `message_created:${replyId}`])).toEqual([
      { status: 'applied', outcome: 'ignored:already_sent' },
    ]);
    expectNoDuplicates(c);
  });
});
