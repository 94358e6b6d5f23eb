import { createTenant, type Tenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, type TestApp } from '../support/test-app';
import { insertMessage, seedConversation } from './inbox-helpers';

/** Spanish singulars and plurals find each other in message search, with or without accents. */
describe('Message search in Spanish', () => {
  let app: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    app = await createTestApp({ env: { PORT: '8142', APP_ROLES: 'api' } });
    tenant = await createTenant(app);
    const { conversation } = await seedConversation(app.dataSource, tenant);
    await insertMessage(app.dataSource, conversation, { text: 'Necesito la declaración de renta' });
    await insertMessage(app.dataSource, conversation, { text: 'Ya enviamos las declaraciones mensuales' });
    await insertMessage(app.dataSource, conversation, { text: 'El camión llega mañana' });
    await insertMessage(app.dataSource, conversation, { text: 'Nada que ver con esto' });
  }, 60000);
  afterAll(() => app.close());

  const found = async (q: string): Promise<string[]> => {
    const response = await http(app).get('/api/v1/messages/search').query({ q }).set('Authorization', `Bearer ${tenant.token}`).expect(200);
    return response.body.data.map((hit: { text: string }) => hit.text).sort();
  };
  const declarations = ['Necesito la declaración de renta', 'Ya enviamos las declaraciones mensuales'];

  it('finds the singular from the plural and the plural from the singular', async () => {
    expect(await found('declaraciones')).toEqual(declarations);
    expect(await found('declaración')).toEqual(declarations);
  });

  it('still ignores accents the customer or the operator left out', async () => {
    expect(await found('declaracion')).toContain('Necesito la declaración de renta');
    expect(await found('camion')).toEqual(['El camión llega mañana']);
    expect(await found('camiones')).toEqual(['El camión llega mañana']);
  });

  it('filters contacts with q, and still with the deprecated search', async () => {
    const name = tenant.contact.name!;
    for (const param of ['q', 'search']) {
      const response = await http(app).get('/api/v1/contacts').query({ [param]: name }).set('Authorization', `Bearer ${tenant.token}`).expect(200);
      expect(response.body.data.map((c: { id: string }) => c.id)).toContain(tenant.contact.id);
    }
    const none = await http(app).get('/api/v1/contacts').query({ q: 'nadie-se-llama-asi' }).set('Authorization', `Bearer ${tenant.token}`).expect(200);
    expect(none.body.data).toEqual([]);
  });
});
