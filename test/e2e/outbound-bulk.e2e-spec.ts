import { randomBytes } from 'node:crypto';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, deleteQueueKeys, type TestApp, waitFor } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';
import { TEST_REDIS_URL } from '../support/test-env';
import { MessageTemplate } from '../../src/database/entities/message-template.entity';
import { TemplateCategory } from '../../src/database/entities/enums';
import { QueuedSweeper } from '../../src/modules/communications/outbound/queued-sweeper.service';
import type { OutboxEntry } from '../../src/modules/whatsapp/sandbox/graph-simulator.types';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';

/** Most sends in any sliding 1-second window, from the simulator's receive times. */
/**
 * The most sends the simulator received within any one second. The simulator runs in this test's own process, so a
 * receipt time carries that process's event-loop delay: sends spaced by the limiter at a second's edge can be
 * stamped a few ms closer together. Windows are shortened by that allowance here; the benchmark, with the simulator
 * in a process of its own, checks whole seconds.
 */
const RECEIPT_JITTER_MS = 20;

function maxPerSecond(entries: OutboxEntry[]): number {
  const times = entries.map((e) => e.receivedAt.getTime()).sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000 - RECEIPT_JITTER_MS) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

function phones(n: number, seed: number): string[] {
  return Array.from({ length: n }, (_, i) => `+5699${String(seed).padStart(2, '0')}${String(i).padStart(5, '0')}`);
}

function insertTemplate(app: TestApp, tenant: Tenant) {
  return app.dataSource.getRepository(MessageTemplate).save({
    organizationId: tenant.organization.id,
    whatsappAccountId: tenant.account.id,
    name: 'campaign_hello',
    language: 'es',
    category: TemplateCategory.Utility,
    status: 'APPROVED',
    parameterFormat: 'POSITIONAL',
    components: [{ type: 'BODY', text: 'Hola {{1}}', example: { body_text: [['Ana']] } }],
  });
}

describe('Outbound bulk, rate limits and crash safety', () => {
  let sim: GraphSimulatorServer;

  beforeAll(async () => {
    sim = await startGraphSimulatorServer();
  });
  afterAll(() => sim?.close());
  beforeEach(() => sim.simulator.reset());

  describe('POST /api/v1/messages/bulk', () => {
    let app: TestApp;
    let a: Tenant;
    let b: Tenant;

    beforeAll(async () => {
      app = await createTestApp({ env: { META_GRAPH_BASE_URL: sim.url, APP_ROLES: 'api,worker', WORKER_CONCURRENCY: '32' } });
      a = await createTenant(app, { rateLimitPerSecond: 50 });
      b = await createTenant(app, { rateLimitPerSecond: 50 });
      await insertTemplate(app, a);
      await insertTemplate(app, b);
    });
    afterAll(() => app?.close());

    const bulk = (t: Tenant, body: Record<string, unknown>, key?: string) => {
      const req = http(app).post('/api/v1/messages/bulk').set('Authorization', `Bearer ${t.token}`);
      if (key) void req.set('Idempotency-Key', key);
      return req.send(body);
    };

    it('sends one message per unique recipient, at most the account limit per second, and reports progress', async () => {
      const to = phones(120, 1);
      const recipients = [...to, to[0], to[1]].map((p, i) => ({ to: p, variables: [`n${i}`] }));
      const body = { type: 'template', template: { name: 'campaign_hello', language: 'es' }, recipients };
      const accepted = await bulk(a, body, 'bulk-key-1').expect(202);
      expect(accepted.body).toEqual({ jobId: expect.any(String), total: 120 });
      const replay = await bulk(a, body, 'bulk-key-1').expect(202);
      expect(replay.body).toEqual(accepted.body);
      const job = await waitFor(async () => {
        const res = await http(app).get(`/api/v1/jobs/${accepted.body.jobId}`).set('Authorization', `Bearer ${a.token}`).expect(200);
        return res.body.status === 'completed' ? res.body : null;
      }, 20000, 'bulk completed');
      expect(job).toMatchObject({ total: 120, queued: 0, sent: 120, failed: 0 });
      const ids = sim.simulator.outbox.map((e) => e.body.biz_opaque_callback_data);
      expect(new Set(ids).size).toBe(120);
      expect(ids).toHaveLength(120);
      expect(new Set(sim.simulator.outbox.map((e) => e.body.to)).size).toBe(120);
      expect(maxPerSecond(sim.simulator.outbox)).toBeLessThanOrEqual(50);
      const first = sim.simulator.outbox.find((e) => e.body.to === to[0])!;
      expect(first.body.template).toMatchObject({ components: [{ type: 'body', parameters: [{ type: 'text', text: 'n0' }] }] });
    });

    it('matches an existing contact stored under another WhatsApp spelling of the number', async () => {
      // Mexican mobiles: Meta's legacy wa_id form +52 1 … and the canonical +52 … are one person.
      const [legacy] = await app.dataSource.query(`INSERT INTO contact (organization_id, phone_e164) VALUES ($1, '+5215512345678') RETURNING id`, [b.organization.id]);
      const accepted = await bulk(b, { type: 'template', template: { name: 'campaign_hello', language: 'es' }, recipients: [{ to: '+525512345678', variables: ['mx'] }] }).expect(202);
      await waitFor(async () => {
        const res = await http(app).get(`/api/v1/jobs/${accepted.body.jobId}`).set('Authorization', `Bearer ${b.token}`).expect(200);
        return res.body.status === 'completed' && res.body.sent === 1;
      }, 10000, 'variant bulk sent');
      const [message] = await app.dataSource.query(`SELECT contact_id FROM message WHERE campaign_id = $1`, [accepted.body.jobId]);
      expect(message.contact_id).toBe(legacy.id);
      const contacts = await app.dataSource.query(`SELECT id FROM contact WHERE organization_id = $1 AND phone_e164 IN ('+525512345678', '+5215512345678')`, [b.organization.id]);
      expect(contacts).toHaveLength(1);
    });

    it("does not delay another account's message, or the same account's transactional one, by a second during a 5,000-message burst", async () => {
      const recipients = phones(5000, 2).map((to) => ({ to, variables: ['x'] }));
      await bulk(a, { type: 'template', template: { name: 'campaign_hello', language: 'es' }, recipients }).expect(202);
      await waitFor(async () => sim.simulator.outbox.length > 20, 15000, 'burst started');
      const latencies: number[] = [];
      for (const [i, to] of phones(5, 3).entries()) {
        const started = Date.now();
        const res = await bulk(b, { type: 'template', template: { name: 'campaign_hello', language: 'es' }, recipients: [{ to, variables: [`b${i}`] }] }).expect(202);
        void res;
        const entry = await waitFor(async () => sim.simulator.outbox.find((e) => e.body.to === to), 5000, 'account B message');
        latencies.push(entry.receivedAt.getTime() - started);
      }
      expect(Math.max(...latencies)).toBeLessThan(1000);
      // Bulk may use the whole limit, yet a transactional message on the busy account itself jumps the booked bulk slots.
      const started = Date.now();
      const single = await http(app).post('/api/v1/messages').set('Authorization', `Bearer ${a.token}`).send({ to: a.contact.phoneE164, type: 'template', template: { name: 'campaign_hello', language: 'es', variables: ['t'] } }).expect(202);
      const entry = await waitFor(async () => sim.simulator.outbox.find((e) => e.body.biz_opaque_callback_data === single.body.id), 5000, 'transactional message');
      expect(entry.receivedAt.getTime() - started).toBeLessThan(1000);
      const aEntries = sim.simulator.outbox.filter((e) => e.phoneNumberId === a.account.phoneNumberId);
      expect(maxPerSecond(aEntries)).toBeLessThanOrEqual(50);
    });
  });

  describe('worker killed mid-send', () => {
    it('never sends a message twice and leaves every message sent or explicitly failed', async () => {
      const database = await createTestDatabase();
      const queuePrefix = `{conversa-t-${randomBytes(4).toString('hex')}}`;
      // 16 sends in flight at most, so at most 16 outcomes can be unknown when the app stops.
      const env = { META_GRAPH_BASE_URL: sim.url, APP_ROLES: 'api,worker', META_HTTP_TIMEOUT_MS: '5000', OUTBOUND_CONCURRENCY: '16' };
      let second: TestApp | undefined;
      try {
        const first = await createTestApp({ databaseUrl: database.url, queuePrefix, env });
        const tenant = await createTenant(first, { rateLimitPerSecond: 1000 });
        await insertTemplate(first, tenant);
        // Every provider call takes 300 ms, so closing the app catches calls in flight.
        sim.simulator.injectFault({ kind: 'timeout', delayMs: 300, times: Infinity });
        const recipients = phones(60, 4).map((to) => ({ to, variables: ['k'] }));
        const accepted = await http(first).post('/api/v1/messages/bulk').set('Authorization', `Bearer ${tenant.token}`).send({ type: 'template', template: { name: 'campaign_hello', language: 'es' }, recipients }).expect(202);
        await waitFor(async () => sim.simulator.outbox.length >= 5, 10000, 'first sends');
        // A hard crash between claim and provider answer leaves `sending` rows behind: fake two of them. The rows are
        // locked and re-checked, so a worker claiming one of them at this very moment keeps it instead (and this takes others).
        const [crashed] = await first.dataSource.query(
          `WITH picked AS MATERIALIZED (SELECT id FROM message WHERE campaign_id = $1 AND status = 'queued' ORDER BY id LIMIT 2 FOR UPDATE SKIP LOCKED)
           UPDATE message m SET status = 'sending', attempts = m.attempts + 1, last_attempt_at = now() - interval '10 minutes'
             FROM picked WHERE m.id = picked.id AND m.status = 'queued' RETURNING m.id`,
          [accepted.body.jobId],
        );
        expect(crashed).toHaveLength(2);
        await first.close();
        sim.simulator.clearFaults();
        second = await createTestApp({ databaseUrl: database.url, queuePrefix, env });
        await second.get(QueuedSweeper).sweep({ queuedOlderThanMs: 0 });
        const rows = await waitFor(async () => {
          const r: Array<{ id: string; status: string; error_code: string | null }> = await second!.dataSource.query(`SELECT id, status, error_code FROM message WHERE campaign_id = $1`, [accepted.body.jobId]);
          return r.length === 60 && r.every((m) => m.status === 'sent' || m.status === 'failed') ? r : null;
        }, 30000, 'all messages settled');
        const counts = new Map<string, number>();
        for (const e of sim.simulator.outbox) counts.set(String(e.body.biz_opaque_callback_data), (counts.get(String(e.body.biz_opaque_callback_data)) ?? 0) + 1);
        expect([...counts.values()].every((n) => n === 1)).toBe(true);
        for (const row of rows) {
          if (row.status === 'sent') expect(counts.get(row.id)).toBe(1);
          else expect(row.error_code).toBe('SEND_OUTCOME_UNKNOWN');
        }
        for (const { id } of crashed as Array<{ id: string }>) {
          expect(rows.find((r) => r.id === id)).toMatchObject({ status: 'failed', error_code: 'SEND_OUTCOME_UNKNOWN' });
          expect(counts.get(id)).toBeUndefined();
        }
        expect(rows.filter((r) => r.status === 'sent').length).toBeGreaterThanOrEqual(58 - 16);
      } finally {
        await second?.app.close();
        await database.drop();
        await deleteQueueKeys(TEST_REDIS_URL, queuePrefix);
      }
    });
  });
});
