import { UserRole } from '../../src/database/entities/enums';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { DEFAULT_TEST_PASSWORD, userFactory } from '../factories/user.factory';
import { http, login } from '../support/http';
import { createTestApp, type TestApp } from '../support/test-app';
import { insertMessage, seedConversation } from './inbox-helpers';

describe('Inbox quick replies, unread totals and the unassigned filter', () => {
  let app: TestApp;
  let a: Tenant;
  let b: Tenant;
  let agentToken: string;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    app = await createTestApp({ env: { APP_ROLES: 'api' } });
    a = await createTenant(app);
    b = await createTenant(app);
    const agent = await userFactory.create(app.dataSource, { organizationId: a.organization.id, role: UserRole.Agent });
    agentToken = await login(app, agent.email, DEFAULT_TEST_PASSWORD);
  });
  afterAll(() => app.close());

  describe('quick replies', () => {
    it('owners and admins manage them, agents only read them, and another organisation sees none', async () => {
      const created = await http(app).post('/api/v1/quick-replies').set(auth(a.token)).send({ shortcut: 'horario', body: 'De 9:00 a 18:00.' }).expect(201);
      expect(created.body).toMatchObject({ id: expect.any(String), shortcut: 'horario', body: 'De 9:00 a 18:00.' });
      await http(app).post('/api/v1/quick-replies').set(auth(a.token)).send({ shortcut: 'envío', body: 'Despachamos en 48 horas.' }).expect(201);

      const refused = await http(app).post('/api/v1/quick-replies').set(auth(agentToken)).send({ shortcut: 'x', body: 'y' }).expect(403);
      expect(refused.body.code).toBe('FORBIDDEN');
      await http(app).patch(`/api/v1/quick-replies/${created.body.id}`).set(auth(agentToken)).send({ body: 'z' }).expect(403);
      await http(app).delete(`/api/v1/quick-replies/${created.body.id}`).set(auth(agentToken)).expect(403);

      const read = await http(app).get('/api/v1/quick-replies').set(auth(agentToken)).expect(200);
      expect(read.body.data.map((r: { shortcut: string }) => r.shortcut)).toEqual(['envío', 'horario']);
      expect((await http(app).get('/api/v1/quick-replies').set(auth(b.token)).expect(200)).body.data).toEqual([]);
      await http(app).patch(`/api/v1/quick-replies/${created.body.id}`).set(auth(b.token)).send({ body: 'robado' }).expect(404);
      await http(app).delete(`/api/v1/quick-replies/${created.body.id}`).set(auth(b.token)).expect(404);
    });

    it('filters by shortcut prefix or text in the body, with LIKE wildcards taken literally', async () => {
      const list = async (q: string) => (await http(app).get('/api/v1/quick-replies').query({ q }).set(auth(a.token)).expect(200)).body.data.map((r: { shortcut: string }) => r.shortcut);
      expect(await list('HORARI')).toEqual(['horario']);
      expect(await list('hora')).toEqual(['envío', 'horario']);
      expect(await list('48 horas')).toEqual(['envío']);
      expect(await list('%')).toEqual([]);
    });

    it('refuses a duplicate shortcut ignoring case, on create and on rename, and bad input with clear codes', async () => {
      const duplicate = await http(app).post('/api/v1/quick-replies').set(auth(a.token)).send({ shortcut: 'HORARIO', body: 'otra' }).expect(409);
      expect(duplicate.body.code).toBe('QUICK_REPLY_CONFLICT');
      const other = await http(app).post('/api/v1/quick-replies').set(auth(a.token)).send({ shortcut: 'pago', body: 'Transferencia o tarjeta.' }).expect(201);
      const renamed = await http(app).patch(`/api/v1/quick-replies/${other.body.id}`).set(auth(a.token)).send({ shortcut: 'Horario' }).expect(409);
      expect(renamed.body.code).toBe('QUICK_REPLY_CONFLICT');
      // The same shortcut in another organisation is fine.
      await http(app).post('/api/v1/quick-replies').set(auth(b.token)).send({ shortcut: 'horario', body: 'B' }).expect(201);

      for (const body of [{ shortcut: 'con espacio', body: 'x' }, { shortcut: '', body: 'x' }, { shortcut: 'a'.repeat(33), body: 'x' }, { shortcut: 'ok' }, { shortcut: 'ok', body: '' }]) {
        const bad = await http(app).post('/api/v1/quick-replies').set(auth(a.token)).send(body).expect(400);
        expect(bad.body.code).toBe('VALIDATION_FAILED');
      }
      const missing = await http(app).patch('/api/v1/quick-replies/00000000-0000-4000-8000-000000000000').set(auth(a.token)).send({ body: 'x' }).expect(404);
      expect(missing.body.code).toBe('QUICK_REPLY_NOT_FOUND');
    });

    it('edits keep the other field, and deleting twice answers 404 the second time', async () => {
      const created = await http(app).post('/api/v1/quick-replies').set(auth(a.token)).send({ shortcut: 'gracias', body: '¡Gracias por escribirnos!' }).expect(201);
      const edited = await http(app).patch(`/api/v1/quick-replies/${created.body.id}`).set(auth(a.token)).send({ body: '¡Gracias!' }).expect(200);
      expect(edited.body).toMatchObject({ shortcut: 'gracias', body: '¡Gracias!' });
      expect(Date.parse(edited.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt));
      await http(app).delete(`/api/v1/quick-replies/${created.body.id}`).set(auth(a.token)).expect(204);
      const again = await http(app).delete(`/api/v1/quick-replies/${created.body.id}`).set(auth(a.token)).expect(404);
      expect(again.body.code).toBe('QUICK_REPLY_NOT_FOUND');
    });
  });

  describe('unread totals and the unassigned filter', () => {
    it('counts the whole organisation, not one page, and only its own conversations', async () => {
      const first = await seedConversation(app.dataSource, a);
      const second = await seedConversation(app.dataSource, a, { conversation: { assigneeUserId: a.owner.id } });
      await seedConversation(app.dataSource, b).then(({ conversation }) => insertMessage(app.dataSource, conversation, { text: 'de B' }));
      await insertMessage(app.dataSource, first.conversation, { text: 'hola' });
      await insertMessage(app.dataSource, first.conversation, { text: '¿hay alguien?' });
      await insertMessage(app.dataSource, second.conversation, { text: 'buenas' });

      const totals = await http(app).get('/api/v1/conversations/unread').set(auth(agentToken)).expect(200);
      expect(totals.body).toEqual({ conversations: 2, messages: 3 });
      // A one-row page does not change the total.
      const page = await http(app).get('/api/v1/conversations').query({ limit: 1 }).set(auth(a.token)).expect(200);
      expect(page.body.data).toHaveLength(1);

      await http(app).post(`/api/v1/conversations/${first.conversation.id}/read`).set(auth(a.token)).expect(200);
      expect((await http(app).get('/api/v1/conversations/unread').set(auth(a.token)).expect(200)).body).toEqual({ conversations: 1, messages: 1 });

      const ids = async (query: Record<string, string>) =>
        (await http(app).get('/api/v1/conversations').query(query).set(auth(a.token)).expect(200)).body.data.map((c: { id: string }) => c.id).sort();
      expect(await ids({ unassigned: 'true' })).toEqual([first.conversation.id]);
      expect(await ids({ unassigned: 'false' })).toEqual([second.conversation.id]);
      const bad = await http(app).get('/api/v1/conversations').query({ unassigned: 'maybe' }).set(auth(a.token)).expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    });
  });
});
