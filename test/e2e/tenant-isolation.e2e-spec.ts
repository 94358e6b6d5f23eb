import { ConversationsService } from '../../src/modules/communications/conversations/conversations.service';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, type TestApp } from '../support/test-app';

/** No request of organisation A can read or change organisation B's rows: they do not exist for A (404). */
describe('Tenant isolation', () => {
  let app: TestApp;
  let a: Tenant;
  let b: Tenant;
  let bConversationId: string;

  beforeAll(async () => {
    app = await createTestApp({ env: { APP_ROLES: 'api' } });
    a = await createTenant(app);
    b = await createTenant(app);
    bConversationId = (await app.get(ConversationsService).findOrCreate(b.organization.id, b.account.id, b.contact.id)).id;
  });
  afterAll(() => app.close());

  it.each([
    ['GET', '/api/v1/contacts/:contactId', () => `/api/v1/contacts/${b.contact.id}`],
    ['PATCH', '/api/v1/contacts/:contactId', () => `/api/v1/contacts/${b.contact.id}`],
    ['DELETE', '/api/v1/contacts/:contactId', () => `/api/v1/contacts/${b.contact.id}`],
    ['GET', '/api/v1/conversations/:conversationId', () => `/api/v1/conversations/${bConversationId}`],
    ['GET', '/api/v1/conversations/:conversationId/messages', () => `/api/v1/conversations/${bConversationId}/messages`],
    ['POST', '/api/v1/conversations/:conversationId/close', () => `/api/v1/conversations/${bConversationId}/close`],
    ['GET', '/api/v1/whatsapp/accounts/:accountId', () => `/api/v1/whatsapp/accounts/${b.account.id}`],
    ['PATCH', '/api/v1/whatsapp/accounts/:accountId', () => `/api/v1/whatsapp/accounts/${b.account.id}`],
    ['DELETE', '/api/v1/whatsapp/accounts/:accountId', () => `/api/v1/whatsapp/accounts/${b.account.id}`],
    ['POST', '/api/v1/whatsapp/accounts/:accountId/test', () => `/api/v1/whatsapp/accounts/${b.account.id}/test`],
  ])('answers 404 to %s %s of another organisation', async (method, _label, path) => {
    const response = await http(app)[method.toLowerCase() as 'get'](path()).set('Authorization', `Bearer ${a.token}`).send({});
    expect(response.status).toBe(404);
    expect(response.body.code).toMatch(/_NOT_FOUND$/);
    // The owner of the row still sees it.
    if (method === 'GET') await http(app).get(path()).set('Authorization', `Bearer ${b.token}`).expect(200);
  });

  it('lists only the caller’s own accounts and conversations', async () => {
    const accounts = await http(app).get('/api/v1/whatsapp/accounts').set('Authorization', `Bearer ${a.token}`).expect(200);
    expect(accounts.body.data.map((x: { id: string }) => x.id)).toEqual([a.account.id]);
    const conversations = await http(app).get('/api/v1/conversations').set('Authorization', `Bearer ${a.token}`).expect(200);
    expect(conversations.body.data.map((x: { id: string }) => x.id)).not.toContain(bConversationId);
  });

  it('refuses to send from another organisation’s account or into its conversation', async () => {
    const fromB = await http(app).post('/api/v1/messages').set('Authorization', `Bearer ${a.token}`).send({ accountId: b.account.id, to: '+56993334444', type: 'text', text: { body: 'x' } });
    expect(fromB.status).toBe(404);
    const intoB = await http(app).post('/api/v1/messages').set('Authorization', `Bearer ${a.token}`).send({ conversationId: bConversationId, type: 'text', text: { body: 'x' } });
    expect(intoB.status).toBe(404);
  });
});
