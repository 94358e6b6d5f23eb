import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { JobName } from '../../src/queues/job-names';
import { JobProducer } from '../../src/queues/job-producer.service';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, drainQueues, type TestApp } from '../support/test-app';
import { baseTestEnv } from '../support/test-env';
import { insertMessage, openEventStream, seedConversation, type SeededConversation } from './inbox-helpers';

const ROOT = join(__dirname, '..', '..');
const DAY = 24 * 3600 * 1000;
/** The frozen clock: the app's `new Date()` (retention's "now") reads this; PostgreSQL's now() is not used by retention. */
const NOW = new Date('2030-01-15T12:00:00.000Z');
const ago = (days: number, from = NOW) => new Date(from.getTime() - days * DAY);

/** Fakes Date only: timers, ticks and I/O stay real so the app, BullMQ and pg keep working. */
const DATE_ONLY: Parameters<typeof jest.useFakeTimers>[0] = {
  now: NOW,
  doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
};

function runCli(app: TestApp, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'ts-node'), ['src/entrypoints/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...baseTestEnv(), DATABASE_URL: app.databaseUrl, QUEUE_PREFIX: app.queuePrefix, APP_ROLES: 'api', MEDIA_DIR: app.config.MEDIA_DIR },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function message(ds: DataSource, s: SeededConversation, text: string, at: Date, direction: 'inbound' | 'outbound' = 'inbound'): Promise<string> {
  const id = await insertMessage(ds, s.conversation, { text, occurredAt: at, direction });
  await ds.query(`UPDATE message SET created_at = $2 WHERE id = $1`, [id, at]);
  return id;
}

async function media(ds: DataSource, tenant: Tenant, mediaDir: string, messageId: string, at: Date): Promise<string> {
  const key = `${tenant.organization.id}/${randomUUID()}.jpg`;
  mkdirSync(join(mediaDir, tenant.organization.id), { recursive: true });
  writeFileSync(join(mediaDir, key), 'jpeg-bytes');
  await ds.query(
    `INSERT INTO media_asset (organization_id, whatsapp_account_id, message_id, provider_media_id, status, storage_key, created_at) VALUES ($1, $2, $3, $4, 'stored', $5, $6)`,
    [tenant.organization.id, tenant.account.id, messageId, randomUUID(), key, at],
  );
  return key;
}

async function webhookEvent(ds: DataSource, tenant: Tenant, payload: object, at: Date): Promise<string> {
  const [row] = await ds.query(
    `INSERT INTO webhook_event (provider, idempotency_key, payload, phone_number_ids, status, received_at, processed_at)
     VALUES ('meta', $1, $2, $3, 'processed', $4, $4) RETURNING id`,
    [randomUUID(), payload, [tenant.account.phoneNumberId], at],
  );
  return row.id;
}

const count = async (ds: DataSource, sql: string, params: unknown[]) => ((await ds.query(`SELECT count(*)::int AS n FROM (${sql}) q`, params)) as Array<{ n: number }>)[0].n;

describe('Lifecycle: retention policies, legal holds, the cleanup command and erasure', () => {
  let app: TestApp;
  let a: Tenant;
  let b: Tenant;
  const mediaDir = mkdtempSync(join(tmpdir(), 'conversa-retention-'));
  const auth = (tenant: Tenant) => ({ Authorization: `Bearer ${tenant.token}` });

  beforeAll(async () => {
    jest.useFakeTimers(DATE_ONLY);
    app = await createTestApp({ env: { APP_ROLES: 'api,worker', MEDIA_DIR: mediaDir } });
    a = await createTenant(app);
    b = await createTenant(app);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    jest.useRealTimers();
  });

  it('scrubs bodies, deletes media files and old closed conversations, respects legal holds; the preview matches the scheduled run, which the audit lists', async () => {
    const ds = app.dataSource;
    const active = await seedConversation(ds, a);
    const oldText = await message(ds, active, 'texto-viejo-uno', ago(40));
    await message(ds, active, 'texto-nuevo-uno', ago(5), 'outbound');
    const oldFile = await media(ds, a, mediaDir, oldText, ago(70));
    const newFile = await media(ds, a, mediaDir, await message(ds, active, 'foto reciente', ago(3)), ago(3));
    const closedOld = await seedConversation(ds, a, { conversation: { status: 'closed' as never, closedAt: ago(100) } });
    const closedMessage = await message(ds, closedOld, 'conversacion-cerrada', ago(120));
    const closedFile = await media(ds, a, mediaDir, closedMessage, ago(120));
    const heldConversation = await seedConversation(ds, a, { conversation: { status: 'closed' as never, closedAt: ago(100) } });
    await message(ds, heldConversation, 'retenida-por-orden-judicial', ago(120));
    const heldContact = await seedConversation(ds, a);
    await message(ds, heldContact, 'contacto-retenido', ago(40));
    const closedRecent = await seedConversation(ds, a, { conversation: { status: 'closed' as never, closedAt: ago(50) } });
    await message(ds, closedRecent, 'cerrada-hace-poco', ago(60));
    for (const s of [active, heldContact]) {
      await ds.query(`INSERT INTO agent_run (organization_id, conversation_id, trigger_key, outcome, created_at) VALUES ($1, $2, $3, 'replied', $4)`, [
        a.organization.id,
        s.conversation.id,
        randomUUID(),
        ago(40),
      ]);
    }
    await webhookEvent(ds, a, { entry: [{ changes: [{ value: { messages: [{ from: '56900000001', text: { body: 'viejo' } }] } }] }] }, ago(40));
    const recentEvent = await webhookEvent(ds, a, { entry: [] }, ago(2));
    await ds.query(`INSERT INTO campaign_recipient (organization_id, campaign_id, phone_e164, created_at) VALUES ($1, $2, '+56911111111', $3), ($1, $2, '+56911111112', $4)`, [
      a.organization.id,
      randomUUID(),
      ago(40),
      ago(1),
    ]);
    const other = await seedConversation(ds, b, { conversation: { status: 'closed' as never, closedAt: ago(300) } });
    await message(ds, other, 'otra-organizacion', ago(300));

    const policy = { messageBodyDays: 30, mediaDays: 60, closedConversationDays: 90, agentRunDays: 30, webhookEventDays: 30, campaignRecipientDays: 30 };
    await http(app).put('/api/v1/settings/retention').set(auth(a)).send({ ...policy, mediaDays: 0 }).expect(400);
    expect((await http(app).put('/api/v1/settings/retention').set(auth(a)).send(policy).expect(200)).body).toEqual(policy);
    await http(app).post('/api/v1/settings/retention/holds').set(auth(a)).send({ conversationId: heldConversation.conversation.id, reason: 'causa 123' }).expect(201);
    await http(app).post('/api/v1/settings/retention/holds').set(auth(a)).send({ contactId: heldContact.contact.id }).expect(201);
    await http(app).post('/api/v1/settings/retention/holds').set(auth(a)).send({}).expect(400);
    await http(app).post('/api/v1/settings/retention/holds').set(auth(a)).send({ contactId: other.contact.id }).expect(404);

    const preview = await http(app).post('/api/v1/settings/retention/preview').set(auth(a)).expect(200);
    expect(preview.body).toEqual({
      asOf: NOW.toISOString(),
      counts: { conversations: 1, media: 1, messageBodies: 2, webhookEvents: 1, agentRuns: 1, campaignRecipients: 1 },
    });

    await app.get(JobProducer).enqueue(JobName.ApplyRetention, {});
    await drainQueues(app);

    const runs = await http(app).get('/api/v1/settings/retention/runs').set(auth(a)).expect(200);
    expect(runs.body.data).toHaveLength(1);
    expect(runs.body.data[0]).toMatchObject({ trigger: 'schedule', dryRun: false, status: 'completed', asOf: NOW.toISOString(), removed: preview.body.counts, policy: { conversations: 90 } });
    expect((await http(app).post('/api/v1/settings/retention/preview').set(auth(a)).expect(200)).body.counts).toEqual({
      conversations: 0,
      media: 0,
      messageBodies: 0,
      webhookEvents: 0,
      agentRuns: 0,
      campaignRecipients: 0,
    });

    const [scrubbed] = await ds.query(`SELECT text, content, search_vector, status FROM message WHERE id = $1`, [oldText]);
    expect(scrubbed).toEqual({ text: null, content: {}, search_vector: '', status: 'received' });
    expect([existsSync(join(mediaDir, oldFile)), existsSync(join(mediaDir, closedFile)), existsSync(join(mediaDir, newFile))]).toEqual([false, false, true]);
    expect(await count(ds, `SELECT 1 FROM conversation WHERE id = $1`, [closedOld.conversation.id])).toBe(0);
    expect(await count(ds, `SELECT 1 FROM message WHERE conversation_id = $1`, [closedOld.conversation.id])).toBe(0);
    expect(await count(ds, `SELECT 1 FROM message WHERE text IN ('retenida-por-orden-judicial', 'contacto-retenido', 'texto-nuevo-uno', 'otra-organizacion')`, [])).toBe(4);
    expect(await count(ds, `SELECT 1 FROM message WHERE conversation_id = $1 AND text IS NULL`, [closedRecent.conversation.id])).toBe(1);
    expect(await count(ds, `SELECT 1 FROM agent_run WHERE conversation_id = $1`, [heldContact.conversation.id])).toBe(1);
    expect((await ds.query(`SELECT id FROM webhook_event`)).map((row: { id: string }) => row.id)).toEqual([recentEvent]);
    expect(await count(ds, `SELECT 1 FROM conversation WHERE id = $1`, [other.conversation.id])).toBe(1);
  });

  it('cleanup --dry-run changes nothing; without it, removes exactly what it printed', async () => {
    jest.useRealTimers();
    const ds = app.dataSource;
    const c = await createTenant(app);
    const s = await seedConversation(ds, c);
    await message(ds, s, 'mensaje-de-hace-200-dias', ago(200, new Date()));
    await message(ds, s, 'mensaje-de-hace-10-dias', ago(10, new Date()));
    await message(ds, s, 'otro-de-hace-120-dias', ago(120, new Date()));
    const snapshot = () => ds.query(`SELECT id, text, content FROM message WHERE conversation_id = $1 ORDER BY id`, [s.conversation.id]);
    const before = await snapshot();

    const dry = await runCli(app, ['cleanup', '--days', '90', '--organization', c.organization.id, '--kind', 'messages', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout).organizations).toEqual([expect.objectContaining({ dryRun: true, wouldRemove: { messageBodies: 2 } })]);
    expect(await snapshot()).toEqual(before);

    const real = await runCli(app, ['cleanup', '--days', '90', '--organization', c.organization.id, '--kind', 'messages']);
    expect(real.code).toBe(0);
    expect(JSON.parse(real.stdout).organizations).toEqual([expect.objectContaining({ dryRun: false, removed: { messageBodies: 2 } })]);
    expect((await snapshot()).map((row: { text: string | null }) => row.text).filter(Boolean)).toEqual(['mensaje-de-hace-10-dias']);
    const runs = await ds.query(`SELECT trigger, dry_run, removed FROM retention_run WHERE organization_id = $1 ORDER BY created_at`, [c.organization.id]);
    expect(runs).toEqual([
      { trigger: 'cli', dry_run: true, removed: { messageBodies: 2 } },
      { trigger: 'cli', dry_run: false, removed: { messageBodies: 2 } },
    ]);

    const bad = await runCli(app, ['cleanup', '--kind', 'everything']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--days <n> is required');
    expect(bad.stderr).toContain('--kind must be one of');
    jest.useFakeTimers(DATE_ONLY);
  }, 120_000);

  it('erasure leaves nothing of the contact in any text or JSON column, in raw webhook events, parked statuses or the media directory, and emits contact.erased', async () => {
    const ds = app.dataSource;
    const secret = `secreto-${randomUUID().slice(0, 8)}`;
    const phone = '+56955507777';
    const s = await seedConversation(ds, a, { contact: { phoneE164: phone, waId: phone.slice(1), name: 'Borrar Todo' } });
    const inbound = await message(ds, s, `${secret} entrante`, ago(1));
    await message(ds, s, `${secret} saliente`, ago(1), 'outbound');
    const file = await media(ds, a, mediaDir, inbound, ago(1));
    writeFileSync(join(mediaDir, file), `${secret} bytes`);
    const [{ provider_message_id: wamid }] = await ds.query(`SELECT provider_message_id FROM message WHERE id = $1`, [inbound]);
    await webhookEvent(ds, a, { entry: [{ changes: [{ value: { contacts: [{ wa_id: phone.slice(1) }], messages: [{ id: wamid, text: { body: secret } }] } }] }] }, ago(1));
    const keptEvent = await webhookEvent(ds, a, { entry: [{ changes: [{ value: { messages: [{ from: '56900000002', text: { body: 'otro' } }] } }] }] }, ago(1));
    await ds.query(`INSERT INTO parked_status (whatsapp_account_id, provider_message_id, status, occurred_at) VALUES ($1, $2, 'read', now())`, [a.account.id, wamid]);
    await ds.query(`INSERT INTO campaign_recipient (organization_id, campaign_id, phone_e164, content) VALUES ($1, $2, $3, $4)`, [
      a.organization.id,
      randomUUID(),
      phone,
      { body: secret },
    ]);
    const stream = await openEventStream(app.baseUrl, auth(a));
    try {
      const response = await http(app).delete(`/api/v1/contacts/${s.contact.id}`).set(auth(a)).expect(200);
      expect(response.body.removed).toMatchObject({ messages: 2, conversations: 1, media: 1, campaignRecipients: 1, webhookEvents: 1 });
      // performance.now(): Date is frozen.
      const deadline = performance.now() + 5000;
      while (!stream.events.some((event) => event.data?.includes('contact.erased')) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(stream.events.find((event) => event.data?.includes('contact.erased'))?.data).toContain(s.contact.id);
    } finally {
      stream.close();
    }

    const columns: Array<{ table_name: string; column_name: string }> = await ds.query(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'character', 'jsonb', 'json', 'ARRAY', 'tsvector')`,
    );
    const leftovers: string[] = [];
    for (const { table_name, column_name } of columns) {
      const n = await count(ds, `SELECT 1 FROM "${table_name}" WHERE "${column_name}"::text LIKE $1 OR "${column_name}"::text LIKE $2 OR "${column_name}"::text LIKE $3`, [
        `%${secret}%`,
        `%${phone.slice(1)}%`,
        `%${wamid}%`,
      ]);
      if (n > 0) leftovers.push(`${table_name}.${column_name}`);
    }
    expect(leftovers).toEqual([]);
    const files = readdirSync(mediaDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.filter((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8').includes(secret))).toEqual([]);
    expect(await count(ds, `SELECT 1 FROM webhook_event WHERE id = $1`, [keptEvent])).toBe(1);
  });
});
