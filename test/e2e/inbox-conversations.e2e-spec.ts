import { randomUUID } from 'node:crypto';
import { UserRole } from '../../src/database/entities/enums';
import { RealtimePublisher } from '../../src/modules/realtime/realtime.publisher';
import { RealtimeSubscriber } from '../../src/modules/realtime/realtime.subscriber';
import { startGraphSimulatorServer, type GraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { userFactory } from '../factories/user.factory';
import { http } from '../support/http';
import { createTestApp, type TestApp, waitFor } from '../support/test-app';
import { insertMessage, openEventStream, seedConversation } from './inbox-helpers';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

describe('Inbox conversations API', () => {
  let app: TestApp;
  let sim: GraphSimulatorServer;
  let a: Tenant;
  let b: Tenant;
  const auth = (tenant: Tenant) => ({ Authorization: `Bearer ${tenant.token}` });

  beforeAll(async () => {
    sim = await startGraphSimulatorServer();
    app = await createTestApp({ env: { APP_ROLES: 'api', META_GRAPH_BASE_URL: sim.url } });
    a = await createTenant(app);
    b = await createTenant(app);
  });
  afterAll(async () => {
    await app.close();
    await sim.close();
  });

  describe('GET /api/v1/conversations', () => {
    it('pages by last activity with no duplicate or gap while messages arrive between pages', async () => {
      const seeded = [];
      for (let i = 0; i < 23; i += 1) {
        const s = await seedConversation(app.dataSource, a, { contact: { name: `Paginado ${i}` } });
        await insertMessage(app.dataSource, s.conversation, { text: `mensaje ${i}`, occurredAt: minutesAgo(600 - i) });
        seeded.push(s.conversation);
      }
      const empty = await seedConversation(app.dataSource, a, { contact: { name: 'Sin mensajes' } });
      const expected = new Set([...seeded.map((c) => c.id), empty.conversation.id]);
      const pages: string[][] = [];
      let cursor: string | null = null;
      for (let round = 0; round < 20; round += 1) {
        const response: { body: { data: Array<{ id: string }>; nextCursor: string | null } } = await http(app)
          .get('/api/v1/conversations')
          .query({ limit: 5, ...(cursor ? { cursor } : {}) })
          .set(auth(a))
          .expect(200);
        const ids = response.body.data.map((c: { id: string }) => c.id);
        pages.push(ids);
        cursor = response.body.nextCursor;
        if (!cursor) break;
        // Between pages: a not-yet-listed conversation, an already-listed one, and a brand-new one all get a message.
        const notYet = seeded.find((c) => !pages.flat().includes(c.id));
        if (notYet) await insertMessage(app.dataSource, notYet, { text: `nuevo en ${notYet.id}` });
        await insertMessage(app.dataSource, seeded.find((c) => c.id === ids[0]) ?? seeded[0], { text: 'otro nuevo' });
        const fresh = await seedConversation(app.dataSource, a);
        await insertMessage(app.dataSource, fresh.conversation, { text: 'conversación nueva' });
      }
      const all = pages.flat();
      const preExisting = all.filter((id) => expected.has(id));
      expect(preExisting.sort()).toEqual([...expected].sort());
      expect(new Set(all).size).toBe(all.length);
      expect(pages.slice(0, -1).every((page) => page.length === 5)).toBe(true);
      // Without messages sorts last.
      expect(all[all.length - 1]).toBe(empty.conversation.id);
    });

    it('orders the first page by last activity and carries contact, preview, unread and window', async () => {
      const s = await seedConversation(app.dataSource, a, { contact: { name: 'Último Activo', labels: ['vip'] } });
      await insertMessage(app.dataSource, s.conversation, { text: 'Hola, ¿cuándo llega mi pedido?', occurredAt: new Date(Date.now() + 60_000) });
      const response = await http(app).get('/api/v1/conversations').set(auth(a)).expect(200);
      expect(response.body.data.length).toBe(25);
      const times = response.body.data.map((c: { lastMessageAt: string }) => Date.parse(c.lastMessageAt));
      expect([...times].sort((x, y) => y - x)).toEqual(times);
      expect(response.body.data[0]).toMatchObject({
        id: s.conversation.id,
        accountId: a.account.id,
        status: 'open',
        unreadCount: 1,
        lastMessagePreview: 'Hola, ¿cuándo llega mi pedido?',
        windowOpen: true,
        botPaused: false,
        handoffRequestedAt: null,
        assignee: null,
        contact: { id: s.contact.id, name: 'Último Activo', profileName: 'Cliente', phoneE164: s.contact.phoneE164, labels: ['vip'] },
      });
      expect(response.body.data[0].windowExpiresAt).toEqual(expect.any(String));
    });

    it('filters by status, unread, assignee, label, botPaused, windowOpen, account and text', async () => {
      const agent = await userFactory.create(app.dataSource, { organizationId: a.organization.id, role: UserRole.Agent, name: 'Agente Filtro' });
      const target = await seedConversation(app.dataSource, a, {
        contact: { name: 'Filtrada Ñandú', phoneE164: '+56977712345' },
        conversation: { status: 'closed' as never, assigneeUserId: agent.id, labels: ['reclamo'], botPaused: true },
      });
      await insertMessage(app.dataSource, target.conversation, { text: 'necesito factura electrónica', occurredAt: minutesAgo(2 * 24 * 60) });
      const ids = async (query: Record<string, string>) =>
        (await http(app).get('/api/v1/conversations').query({ limit: 100, ...query }).set(auth(a)).expect(200)).body.data.map((c: { id: string }) => c.id);
      expect(await ids({ status: 'closed' })).toEqual([target.conversation.id]);
      expect(await ids({ assigneeId: agent.id })).toEqual([target.conversation.id]);
      expect(await ids({ label: 'reclamo' })).toEqual([target.conversation.id]);
      expect(await ids({ botPaused: 'true' })).toEqual([target.conversation.id]);
      expect(await ids({ botPaused: 'false' })).not.toContain(target.conversation.id);
      expect(await ids({ windowOpen: 'false' })).toContain(target.conversation.id);
      expect(await ids({ windowOpen: 'true' })).not.toContain(target.conversation.id);
      expect(await ids({ unread: 'true', status: 'closed' })).toEqual([target.conversation.id]);
      expect(await ids({ accountId: b.account.id })).toEqual([]);
      expect(await ids({ q: 'nandu' })).toEqual([target.conversation.id]);
      expect(await ids({ q: '9777 12345' })).toEqual([target.conversation.id]);
      expect(await ids({ q: 'FACTURA electronica' })).toEqual([target.conversation.id]);
      const bad = await http(app).get('/api/v1/conversations').query({ limit: 101, status: 'archived' }).set(auth(a)).expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      await http(app).get('/api/v1/conversations').query({ cursor: 'not-a-cursor' }).set(auth(a)).expect(400);
    });

    it("never lists another organisation's conversations", async () => {
      const other = await seedConversation(app.dataSource, b);
      await insertMessage(app.dataSource, other.conversation, { text: 'de otra organización' });
      const response = await http(app).get('/api/v1/conversations').query({ limit: 100 }).set(auth(a)).expect(200);
      expect(response.body.data.map((c: { id: string }) => c.id)).not.toContain(other.conversation.id);
    });
  });

  describe('GET /api/v1/conversations/:id and /:id/messages', () => {
    it('returns the messages newest first over pages without duplicates, and 404 across organisations', async () => {
      const s = await seedConversation(app.dataSource, a);
      const sameInstant = minutesAgo(30);
      for (let i = 0; i < 12; i += 1) {
        await insertMessage(app.dataSource, s.conversation, { text: `línea ${i}`, occurredAt: i < 4 ? sameInstant : minutesAgo(30 - i) });
      }
      const texts: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { data: Array<{ text: string }>; nextCursor: string | null } } = await http(app)
          .get(`/api/v1/conversations/${s.conversation.id}/messages`)
          .query({ limit: 5, ...(cursor ? { cursor } : {}) })
          .set(auth(a))
          .expect(200);
        texts.push(...page.body.data.map((m) => m.text));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(texts).toHaveLength(12);
      expect(new Set(texts).size).toBe(12);
      expect(texts[0]).toBe('línea 11');
      expect(texts.slice(8).sort()).toEqual(['línea 0', 'línea 1', 'línea 2', 'línea 3']);
      await http(app).get(`/api/v1/conversations/${s.conversation.id}`).set(auth(a)).expect(200);
      const notFound = await http(app).get(`/api/v1/conversations/${s.conversation.id}`).set(auth(b)).expect(404);
      expect(notFound.body.code).toBe('CONVERSATION_NOT_FOUND');
      await http(app).get(`/api/v1/conversations/${s.conversation.id}/messages`).set(auth(b)).expect(404);
      for (const action of ['read', 'close', 'reopen', 'bot/pause', 'bot/resume']) {
        await http(app).post(`/api/v1/conversations/${s.conversation.id}/${action}`).set(auth(b)).expect(404);
      }
      await http(app).post(`/api/v1/conversations/${s.conversation.id}/labels`).set(auth(b)).send({ add: ['x'] }).expect(404);
      await http(app).post(`/api/v1/conversations/${s.conversation.id}/assign`).set(auth(b)).send({ userId: null }).expect(404);
    });
  });

  describe('POST /api/v1/conversations/:id/read', () => {
    it('zeroes the unread count and sends the read receipt of the latest inbound message to the provider', async () => {
      const s = await seedConversation(app.dataSource, a);
      await insertMessage(app.dataSource, s.conversation, { text: 'uno', providerMessageId: 'wamid.OLDER', occurredAt: minutesAgo(5) });
      await insertMessage(app.dataSource, s.conversation, { text: 'dos', providerMessageId: 'wamid.LATEST', occurredAt: minutesAgo(3) });
      await insertMessage(app.dataSource, s.conversation, { text: 'respuesta', direction: 'outbound', providerMessageId: 'wamid.OUT', occurredAt: minutesAgo(1) });
      const response = await http(app).post(`/api/v1/conversations/${s.conversation.id}/read`).set(auth(a)).expect(200);
      expect(response.body).toMatchObject({ id: s.conversation.id, unreadCount: 0, receiptSent: true });
      expect(sim.simulator.readReceipts).toContainEqual(expect.objectContaining({ phoneNumberId: a.account.phoneNumberId, messageId: 'wamid.LATEST' }));
      expect(sim.simulator.readReceipts.map((r) => r.messageId)).not.toContain('wamid.OUT');
    });

    it('still zeroes the count and answers receiptSent false when the provider fails', async () => {
      const s = await seedConversation(app.dataSource, a);
      await insertMessage(app.dataSource, s.conversation, { text: 'hola', providerMessageId: 'wamid.FAILS' });
      sim.simulator.injectFault({ kind: 'auth190', match: { phoneNumberId: a.account.phoneNumberId } });
      const response = await http(app).post(`/api/v1/conversations/${s.conversation.id}/read`).set(auth(a)).expect(200);
      expect(response.body).toMatchObject({ unreadCount: 0, receiptSent: false });
      const [row] = await app.dataSource.query(`SELECT unread_count FROM conversation WHERE id = $1`, [s.conversation.id]);
      expect(row.unread_count).toBe(0);
      sim.simulator.clearFaults();
    });
  });

  describe('conversation actions', () => {
    it('closes, reopens, assigns, pauses and resumes the bot and edits labels', async () => {
      const s = await seedConversation(app.dataSource, a, { conversation: { handoffRequestedAt: new Date(), labels: ['viejo'] } });
      const base = `/api/v1/conversations/${s.conversation.id}`;
      const closed = await http(app).post(`${base}/close`).set(auth(a)).expect(200);
      expect(closed.body).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
      expect((await http(app).post(`${base}/reopen`).set(auth(a)).expect(200)).body).toMatchObject({ status: 'open', closedAt: null });
      const agent = await userFactory.create(app.dataSource, { organizationId: a.organization.id, role: UserRole.Agent, name: 'Ana Soporte' });
      const assigned = await http(app).post(`${base}/assign`).set(auth(a)).send({ userId: agent.id }).expect(200);
      expect(assigned.body.assignee).toEqual({ id: agent.id, name: 'Ana Soporte', email: agent.email });
      const foreign = await http(app).post(`${base}/assign`).set(auth(a)).send({ userId: b.owner.id }).expect(404);
      expect(foreign.body.code).toBe('USER_NOT_FOUND');
      expect((await http(app).post(`${base}/assign`).set(auth(a)).send({ userId: null }).expect(200)).body.assignee).toBeNull();
      const paused = await http(app).post(`${base}/bot/pause`).set(auth(a)).expect(200);
      expect(paused.body).toMatchObject({ botPaused: true, botPausedAt: expect.any(String), handoffRequestedAt: expect.any(String) });
      const resumed = await http(app).post(`${base}/bot/resume`).set(auth(a)).expect(200);
      expect(resumed.body).toMatchObject({ botPaused: false, botPausedAt: null, handoffRequestedAt: null });
      const labelled = await http(app).post(`${base}/labels`).set(auth(a)).send({ add: ['vip', 'pagos', 'vip'], remove: ['viejo'] }).expect(200);
      expect(labelled.body.labels).toEqual(['pagos', 'vip']);
    });
  });

  describe('GET /api/v1/events', () => {
    it("streams an inbound message to its organisation only, and conversation updates, and cleans up on disconnect", async () => {
      const subscriber = app.get(RealtimeSubscriber);
      const before = subscriber.listenerCount();
      const streamA = await openEventStream(app.baseUrl, auth(a));
      const keyResponse = await http(app).post('/api/v1/api-keys').set(auth(b)).send({ name: 'dashboard' }).expect(201);
      const streamB = await openEventStream(app.baseUrl, { 'X-API-Key': keyResponse.body.key });
      expect([streamA.status, streamB.status]).toEqual([200, 200]);
      await waitFor(async () => subscriber.listenerCount() === before + 2, 5000, 'listeners');
      const s = await seedConversation(app.dataSource, a);
      const messageId = await insertMessage(app.dataSource, s.conversation, { text: 'llegó un mensaje' });
      const publisher = app.get(RealtimePublisher);
      await publisher.publish(a.organization.id, { type: 'message.created', conversationId: s.conversation.id, messageId, direction: 'inbound' });
      const received = await waitFor(async () => streamA.events.find((e) => e.event === 'message.created'), 5000, 'event on A');
      expect(JSON.parse(received.data!)).toMatchObject({ type: 'message.created', conversationId: s.conversation.id, messageId, direction: 'inbound' });
      await http(app).post(`/api/v1/conversations/${s.conversation.id}/close`).set(auth(a)).expect(200);
      const updated = await waitFor(async () => streamA.events.find((e) => e.event === 'conversation.updated'), 5000, 'update on A');
      expect(JSON.parse(updated.data!)).toMatchObject({ conversationId: s.conversation.id, reason: 'closed' });
      // B's stream is alive (gets its own event) yet never saw A's.
      await publisher.publish(b.organization.id, { type: 'conversation.updated', conversationId: randomUUID(), reason: 'ping' });
      await waitFor(async () => streamB.events.find((e) => e.event === 'conversation.updated'), 5000, 'event on B');
      expect(streamB.events.filter((e) => e.data?.includes(s.conversation.id))).toEqual([]);
      expect(streamA.events.filter((e) => e.data?.includes('"ping"'))).toEqual([]);
      streamA.close();
      streamB.close();
      await waitFor(async () => subscriber.listenerCount() === before, 5000, 'listeners removed');
    });

    it('delivers a batch published at once (as the outbox relay publishes) to each organisation in order', async () => {
      const subscriber = app.get(RealtimeSubscriber);
      const [orgA, orgB] = [randomUUID(), randomUUID()];
      const heard = { [orgA]: [] as string[], [orgB]: [] as string[] };
      const stop = [orgA, orgB].map((org) => subscriber.listen(org, (envelope) => heard[org].push(`${envelope.seq}`)));
      const items = Array.from({ length: 600 }, (_, i) => ({
        organizationId: i % 3 === 0 ? orgB : orgA,
        event: { type: 'conversation.updated' as const, conversationId: randomUUID(), reason: 'batch' },
        seq: String(i + 1),
      }));
      await app.get(RealtimePublisher).publishMany(items);
      await waitFor(async () => heard[orgA].length + heard[orgB].length === 600, 5000, 'the whole batch');
      for (const org of [orgA, orgB]) expect(heard[org]).toEqual(items.filter((item) => item.organizationId === org).map((item) => item.seq));
      for (const unlisten of stop) unlisten();
    });

    it('rejects an unauthenticated stream', async () => {
      const stream = await openEventStream(app.baseUrl, {});
      expect(stream.status).toBe(401);
      stream.close();
    });
  });
});
