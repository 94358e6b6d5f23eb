import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEvents } from '../../src/database/outbox';
import type { ConversationChange, ConversationPublic, EventData, NewEvent } from '../../src/domain/events/event-catalogue';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { JobName } from '../../src/queues/job-names';
import { JobProducer } from '../../src/queues/job-producer.service';
import { conversationFactory } from '../factories/contact.factory';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { FakeChatwoot } from '../support/fake-chatwoot';
import { http } from '../support/http';
import { createTestApp, drainQueues, type TestApp, waitFor } from '../support/test-app';
import { baseTestEnv } from '../support/test-env';

jest.setTimeout(180_000);

/** Loopback ports 9000–9019: the Graph simulator, the app, then fake Chatwoots. */
let nextPort = 9002;

/**
 * Conversa → Chatwoot beyond messages: conversation changes, failed sends, backfill and reconcile. The
 * `conversation.updated` events are written into the outbox here (the relay → sync event → job → Chatwoot path).
 */
describe('Chatwoot mirroring, backfill and reconcile (integrations)', () => {
  let app: TestApp;
  let sim: GraphSimulatorServer;
  const chatwoots: FakeChatwoot[] = [];
  const mediaDir = mkdtempSync(join(tmpdir(), 'cw-media-'));

  beforeAll(async () => {
    sim = await startGraphSimulatorServer({ port: 9000 });
    app = await createTestApp({ env: { PORT: '9001', META_GRAPH_BASE_URL: sim.url, WEBHOOK_ALLOW_PRIVATE_URLS: 'true', OUTBOX_POLL_INTERVAL_MS: '20', MEDIA_DIR: mediaDir } });
  });
  afterAll(async () => {
    rmSync(mediaDir, { recursive: true, force: true });
    await Promise.all(chatwoots.map((c) => c.stop()));
    await app?.close();
    await sim?.close();
  });

  async function connect(tenant: Tenant): Promise<FakeChatwoot> {
    const chatwoot = await new FakeChatwoot(nextPort++).start();
    chatwoots.push(chatwoot);
    await http(app)
      .put('/api/v1/integrations/chatwoot')
      .set('Authorization', `Bearer ${tenant.token}`)
      .send({ baseUrl: chatwoot.url, accountId: chatwoot.accountId, inboxId: chatwoot.inboxId, apiAccessToken: chatwoot.token })
      .expect(200);
    return chatwoot;
  }

  const posts = (chatwoot: FakeChatwoot, suffix: RegExp) => chatwoot.requests.filter((r) => r.method === 'POST' && suffix.test(r.path)).length;

  async function emit(events: NewEvent[]): Promise<string[]> {
    return app.dataSource.transaction((manager) => writeEvents(manager, events));
  }

  /** Waits until every sync event of the organisation is applied; answers `type:status` in order. */
  const allSynced = (tenant: Tenant, count: number) =>
    waitFor(
      async () => {
        const rows: Array<{ s: string }> = await app.dataSource.query(
          `SELECT event_type || ':' || status AS s FROM chatwoot_sync_event WHERE organization_id = $1 ORDER BY event_seq`,
          [tenant.organization.id],
        );
        return rows.length === count && rows.every((r) => !r.s.endsWith(':pending')) ? rows.map((r) => r.s) : null;
      },
      30_000,
      'chatwoot sync events',
    );

  async function openConversation(tenant: Tenant) {
    return conversationFactory.create(app.dataSource, { organizationId: tenant.organization.id, whatsappAccountId: tenant.account.id, contactId: tenant.contact.id });
  }

  const publicOf = (tenant: Tenant, conversationId: string, overrides: Partial<ConversationPublic> = {}): ConversationPublic => ({
    id: conversationId,
    contactId: tenant.contact.id,
    whatsappAccountId: tenant.account.id,
    status: 'open',
    assigneeUserId: null,
    labels: [],
    botPaused: false,
    flowId: null,
    flowState: null,
    updatedAt: new Date().toISOString(),
    ...overrides,
  });

  const updated = (tenant: Tenant, conversationId: string, change: ConversationChange, overrides: Partial<ConversationPublic> = {}, extra: Record<string, unknown> = {}): NewEvent => ({
    organizationId: tenant.organization.id,
    type: 'conversation.updated',
    conversationId,
    data: { conversationId, change, conversation: publicOf(tenant, conversationId, overrides), ...extra } as EventData['conversation.updated'],
  });

  it('mirrors labels, handoff (open, unassigned, a private note once), bot resolve, reopen and the flow state', async () => {
    const tenant = await createTenant(app);
    const chatwoot = await connect(tenant);
    const conversation = await openConversation(tenant);

    await emit([updated(tenant, conversation.id, 'labels', { labels: ['lead', 'seguro-auto'] })]);
    await allSynced(tenant, 1);
    expect(chatwoot.contacts).toHaveLength(1);
    expect(chatwoot.conversations).toHaveLength(1);
    const remote = chatwoot.conversations[0];
    expect(remote.labels).toEqual(['lead', 'seguro-auto']);

    // An agent had taken it in Chatwoot and resolved it; the bot hands over: open again, for anyone.
    remote.assignee_id = 12;
    remote.status = 'resolved';
    // The note is written but its answer lost: the retry finds it by source_id instead of writing it again.
    chatwoot.fail({ match: /^POST .*\/messages$/, status: 500, times: 1, applyFirst: true });
    await emit([updated(tenant, conversation.id, 'handoff', { botPaused: true }, { reason: 'asked for a person' })]);
    await allSynced(tenant, 2);
    expect(remote).toMatchObject({ status: 'open', assignee_id: null });
    expect(chatwoot.messages).toEqual([expect.objectContaining({ content: 'handed over: asked for a person', private: true, message_type: 1, conversation_id: remote.id })]);
    expect(posts(chatwoot, /\/messages$/)).toBe(1);

    await emit([updated(tenant, conversation.id, 'closed', { status: 'closed' })]);
    await allSynced(tenant, 3);
    expect(remote.status).toBe('resolved');
    await emit([updated(tenant, conversation.id, 'reopened')]);
    await allSynced(tenant, 4);
    expect(remote.status).toBe('open');
    await emit([updated(tenant, conversation.id, 'auto_closed', { status: 'closed' })]);
    await allSynced(tenant, 5);
    expect(remote.status).toBe('resolved');

    await app.dataSource.query(`UPDATE conversation SET bot_state = $2 WHERE id = $1`, [conversation.id, JSON.stringify({ flow: { current: 'COTIZACION', vars: { quote: 23990 } } })]);
    await emit([updated(tenant, conversation.id, 'flow_state', { flowId: 'seguro', flowState: 'COTIZACION' })]);
    const statuses = await allSynced(tenant, 6);
    expect(remote.custom_attributes).toEqual({ conversa_conversation_id: conversation.id, quote: 23990, flow_state: 'COTIZACION' });
    expect(statuses.every((s) => s.endsWith(':synced'))).toBe(true);
    // Changes Chatwoot has no use for are not sent.
    const before = chatwoot.requests.length;
    await emit([updated(tenant, conversation.id, 'read'), updated(tenant, conversation.id, 'assigned', { assigneeUserId: tenant.owner.id })]);
    await allSynced(tenant, 8);
    expect(chatwoot.requests.length).toBe(before);
    expect([chatwoot.contacts.length, chatwoot.conversations.length, chatwoot.messages.length]).toEqual([1, 1, 1]);
  });

  it('marks a message WhatsApp refused as failed in Chatwoot, with the error text', async () => {
    const tenant = await createTenant(app);
    const chatwoot = await connect(tenant);
    const conversation = await openConversation(tenant);
    const messageId = randomUUID();
    const message = {
      id: messageId,
      conversationId: conversation.id,
      contactId: tenant.contact.id,
      whatsappAccountId: tenant.account.id,
      direction: 'outbound' as const,
      type: 'text',
      status: 'queued',
      text: 'Su póliza vence mañana',
      content: {},
      providerMessageId: null,
      occurredAt: new Date().toISOString(),
    };
    const error = { code: '131026', title: 'Message undeliverable', message: 'The recipient is not on WhatsApp' };
    await emit([
      { organizationId: tenant.organization.id, type: 'message.created', conversationId: conversation.id, data: { message } },
      { organizationId: tenant.organization.id, type: 'message.status', conversationId: conversation.id, data: { messageId, conversationId: conversation.id, status: 'delivered', error: null } },
      { organizationId: tenant.organization.id, type: 'message.status', conversationId: conversation.id, data: { messageId, conversationId: conversation.id, status: 'failed', error } },
    ]);
    // `delivered` changes nothing in Chatwoot: the fan-out does not even make it a sync event.
    expect(await allSynced(tenant, 2)).toEqual(['message.created:synced', 'message.status:synced']);
    expect(chatwoot.messages).toHaveLength(1);
    expect(chatwoot.messages[0]).toMatchObject({ content: 'Su póliza vence mañana', status: 'failed', content_attributes: { external_error: '131026 Message undeliverable The recipient is not on WhatsApp' } });
    expect(chatwoot.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('uploads an inbound photo as the Chatwoot message\'s attachment once its download is stored', async () => {
    const tenant = await createTenant(app);
    const chatwoot = await connect(tenant);
    const conversation = await openConversation(tenant);
    const org = tenant.organization.id;
    const [row] = await app.dataSource.query(
      `INSERT INTO message (organization_id, whatsapp_account_id, conversation_id, contact_id, direction, type, status, occurred_at)
       VALUES ($1, $2, $3, $4, 'inbound', 'image', 'received', now()) RETURNING id, occurred_at`,
      [org, tenant.account.id, conversation.id, tenant.contact.id],
    );
    const [asset] = await app.dataSource.query(
      `INSERT INTO media_asset (organization_id, whatsapp_account_id, message_id, provider_media_id, mime_type) VALUES ($1, $2, $3, 'wa-media-1', 'image/jpeg') RETURNING id`,
      [org, tenant.account.id, row.id],
    );
    const message = {
      id: row.id,
      conversationId: conversation.id,
      contactId: tenant.contact.id,
      whatsappAccountId: tenant.account.id,
      direction: 'inbound' as const,
      type: 'image',
      status: 'received',
      text: null,
      content: {},
      providerMessageId: null,
      occurredAt: new Date(row.occurred_at).toISOString(),
    };
    await emit([{ organizationId: org, type: 'message.received', conversationId: conversation.id, data: { message } }]);
    // The download is still under way: the sync waits (retries) rather than mirroring a placeholder.
    await waitFor(
      async () => {
        const [s] = await app.dataSource.query(`SELECT attempts, error FROM chatwoot_sync_event WHERE organization_id = $1`, [org]);
        return s && s.attempts > 0 && s.error === 'media not downloaded yet';
      },
      15_000,
      'a refused attempt',
    );
    expect(chatwoot.messages).toHaveLength(0);
    const photo = randomBytes(2048);
    mkdirSync(join(mediaDir, org), { recursive: true });
    writeFileSync(join(mediaDir, org, asset.id), photo);
    await app.dataSource.query(`UPDATE media_asset SET status = 'stored', storage_key = $2, size_bytes = $3 WHERE id = $1`, [asset.id, join(org, asset.id), photo.length]);
    expect(await allSynced(tenant, 1)).toEqual(['message.received:synced']);
    expect(chatwoot.messages).toHaveLength(1);
    expect(chatwoot.messages[0]).toMatchObject({ content: '', message_type: 0, private: false, source_id: `conversa:${row.id}` });
    expect(chatwoot.messages[0].attachments).toHaveLength(1);
    expect(chatwoot.messages[0].attachments![0]).toMatchObject({ file_type: 'image', content_type: 'image/jpeg', size: photo.length });
    expect(chatwoot.messages[0].attachments![0].data.equals(photo)).toBe(true);
  });

  /** `n` contacts, each with a conversation holding an inbound and an outbound message, active two days ago; one INSERT per table. */
  async function seedConversations(tenant: Tenant, n: number): Promise<void> {
    const org = tenant.organization.id;
    await app.dataSource.query(
      `WITH c AS (
         INSERT INTO contact (organization_id, phone_e164, wa_id, name)
         SELECT $1, '+5697' || lpad(i::text, 7, '0'), '5697' || lpad(i::text, 7, '0'), 'Cliente ' || i FROM generate_series(1, $3) i RETURNING id),
       v AS (
         INSERT INTO conversation (organization_id, whatsapp_account_id, contact_id, last_message_at, created_at)
         SELECT $1, $2, id, now() - interval '2 days', now() - interval '2 days' FROM c RETURNING id, contact_id)
       INSERT INTO message (organization_id, whatsapp_account_id, conversation_id, contact_id, direction, type, status, text, occurred_at)
       SELECT $1, $2, v.id, v.contact_id, d.direction::message_direction, 'text', d.status::message_status, d.text, now() - interval '2 days' + d.offs
         FROM v CROSS JOIN (VALUES ('inbound', 'received', 'Hola, quiero cotizar', interval '0'), ('outbound', 'read', '¿Para qué vehículo?', interval '1 second')) d(direction, status, text, offs)`,
      [org, tenant.account.id, n],
    );
  }

  it('backfills 1,000 existing conversations once: a second backfill creates nothing', async () => {
    const tenant = await createTenant(app);
    const chatwoot = await connect(tenant);
    await seedConversations(tenant, 1000);
    const since = new Date(Date.now() - 3 * 86400_000).toISOString();

    await http(app).post('/api/v1/integrations/chatwoot/backfill').set('Authorization', `Bearer ${tenant.token}`).send({ since: 'yesterday' }).expect(400);
    const started = Date.now();
    const first = await http(app).post('/api/v1/integrations/chatwoot/backfill').set('Authorization', `Bearer ${tenant.token}`).send({ since }).expect(202);
    expect(first.body).toMatchObject({ conversations: 1000, runId: expect.any(String) });
    await waitFor(async () => chatwoot.messages.length >= 2000, 150_000, 'backfill');
    await drainQueues(app, 30_000);
    const firstMs = Date.now() - started;
    expect([chatwoot.contacts.length, chatwoot.conversations.length, chatwoot.messages.length]).toEqual([1000, 1000, 2000]);
    expect(new Set(chatwoot.conversations.map((c) => c.custom_attributes.conversa_conversation_id)).size).toBe(1000);
    // Oldest first in each conversation, each as the side that wrote it.
    const ofFirst = chatwoot.messages.filter((m) => m.conversation_id === chatwoot.conversations[0].id);
    expect(ofFirst.map((m) => [m.content, m.message_type])).toEqual([
      ['Hola, quiero cotizar', 0],
      ['¿Para qué vehículo?', 1],
    ]);
    const postsAfterFirst = chatwoot.requests.filter((r) => r.method === 'POST').length;
    expect(postsAfterFirst).toBe(1000 + 1000 + 2000);

    const [{ before }] = await app.dataSource.query(`SELECT last_synced_at AS before FROM chatwoot_integration WHERE organization_id = $1`, [tenant.organization.id]);
    const second = await http(app).post('/api/v1/integrations/chatwoot/backfill').set('Authorization', `Bearer ${tenant.token}`).send({ since }).expect(202);
    expect(second.body.conversations).toBe(1000);
    expect(second.body.runId).not.toBe(first.body.runId);
    // The second run's jobs did run (the integration's last sync moved on) and found everything mapped.
    await waitFor(
      async () => {
        const [{ after }] = await app.dataSource.query(`SELECT last_synced_at AS after FROM chatwoot_integration WHERE organization_id = $1`, [tenant.organization.id]);
        return after > before;
      },
      30_000,
      'second backfill',
    );
    await drainQueues(app, 60_000);
    expect(chatwoot.requests.filter((r) => r.method === 'POST').length).toBe(postsAfterFirst);
    expect([chatwoot.contacts.length, chatwoot.conversations.length, chatwoot.messages.length]).toEqual([1000, 1000, 2000]);
    process.stdout.write(`chatwoot backfill: 1000 conversations (2000 messages) in ${firstMs} ms\n`);
  });

  /** `ts-node src/entrypoints/cli.ts …` against the test app's database and queues (its worker applies the jobs). */
  function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const root = join(__dirname, '..', '..');
      const child = spawn(join(root, 'node_modules', '.bin', 'ts-node'), ['src/entrypoints/cli.ts', ...args], {
        cwd: root,
        env: { ...process.env, ...baseTestEnv(), DATABASE_URL: app.databaseUrl, QUEUE_PREFIX: app.queuePrefix, APP_ROLES: 'api' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('chatwoot:backfill (CLI) queues the same jobs: conversations reach Chatwoot once, also when run twice', async () => {
    const tenant = await createTenant(app);
    const chatwoot = await connect(tenant);
    await seedConversations(tenant, 5);
    const since = new Date(Date.now() - 3 * 86400_000).toISOString();
    const bad = await runCli(['chatwoot:backfill', '--organization', tenant.organization.id, '--since', 'ayer']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--since must be an ISO date');
    for (let run = 0; run < 2; run += 1) {
      const res = await runCli(['chatwoot:backfill', '--organization', tenant.organization.id, '--since', since]);
      expect(res.code).toBe(0);
      expect(JSON.parse(res.stdout)).toMatchObject({ conversations: 5 });
      await waitFor(async () => chatwoot.messages.length >= 10, 30_000, 'cli backfill');
      await drainQueues(app, 30_000);
    }
    expect([chatwoot.contacts.length, chatwoot.conversations.length, chatwoot.messages.length]).toEqual([5, 5, 10]);
  });

  it('reconcile repairs a conversation deleted in Chatwoot, a missing message and a status mismatch, and reports the drift', async () => {
    const tenant = await createTenant(app);
    const chatwoot = await connect(tenant);
    await seedConversations(tenant, 3);
    await app.dataSource.query(`UPDATE conversation SET last_message_at = now() WHERE organization_id = $1`, [tenant.organization.id]);
    await http(app).post('/api/v1/integrations/chatwoot/backfill').set('Authorization', `Bearer ${tenant.token}`).send({ since: new Date(Date.now() - 86400_000).toISOString() }).expect(202);
    await waitFor(async () => chatwoot.messages.length === 6, 30_000, 'backfill');
    await drainQueues(app);

    // Drift: one conversation deleted in Chatwoot, one message of another deleted, the third resolved there but open here.
    const [gone, partial, resolved] = chatwoot.conversations;
    chatwoot.conversations.splice(chatwoot.conversations.indexOf(gone), 1);
    for (let i = chatwoot.messages.length - 1; i >= 0; i -= 1) if (chatwoot.messages[i].conversation_id === gone.id) chatwoot.messages.splice(i, 1);
    chatwoot.messages.splice(chatwoot.messages.findIndex((m) => m.conversation_id === partial.id), 1);
    resolved.status = 'resolved';
    // And someone made a second Chatwoot conversation for the partial one outside the sync.
    chatwoot.conversations.push({ ...partial, id: 900_001, labels: [], custom_attributes: { ...partial.custom_attributes } });

    await app.get(JobProducer).enqueue(JobName.ReconcileChatwoot, {});
    const status = await waitFor(
      async () => {
        const res = await http(app).get('/api/v1/integrations/chatwoot/status').set('Authorization', `Bearer ${tenant.token}`).expect(200);
        return res.body.lastReconciledAt ? res.body : null;
      },
      30_000,
      'reconcile',
    );
    expect(status.drift).toEqual({ conversationsChecked: 3, missingConversations: 1, missingMessages: 3, statusMismatches: 1, duplicateConversations: 1, repaired: 3, errors: 0 });
    chatwoot.conversations.splice(chatwoot.conversations.findIndex((c) => c.id === 900_001), 1);
    expect(chatwoot.conversations).toHaveLength(3);
    expect(chatwoot.messages).toHaveLength(6);
    expect(resolved.status).toBe('open');
    expect(new Set(chatwoot.messages.map((m) => m.source_id)).size).toBe(6);

    // Nothing differs any more: a second run finds no drift and creates nothing.
    const postsBefore = chatwoot.requests.filter((r) => r.method === 'POST').length;
    await app.dataSource.query(`UPDATE chatwoot_integration SET last_reconciled_at = NULL WHERE organization_id = $1`, [tenant.organization.id]);
    await app.get(JobProducer).enqueue(JobName.ReconcileChatwoot, {});
    const again = await waitFor(
      async () => {
        const res = await http(app).get('/api/v1/integrations/chatwoot/status').set('Authorization', `Bearer ${tenant.token}`).expect(200);
        return res.body.lastReconciledAt ? res.body : null;
      },
      30_000,
      'second reconcile',
    );
    expect(again.drift).toMatchObject({ missingConversations: 0, missingMessages: 0, statusMismatches: 0, duplicateConversations: 0, repaired: 0, errors: 0 });
    expect(chatwoot.requests.filter((r) => r.method === 'POST').length).toBe(postsBefore);
  });
});
