import { startGraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { TEST_ACCESS_TOKEN } from '../factories/whatsapp-account.factory';
import { http } from '../support/http';
import { createTestApp, drainQueues, type TestApp } from '../support/test-app';
import { metaMessagesPayload, postMeta } from '../support/webhooks';

/** Secrets and message bodies never reach logs, API responses or error messages — even when things fail. */
describe('What never leaves the process', () => {
  let app: TestApp;
  let tenant: Tenant;
  let graph: Awaited<ReturnType<typeof startGraphSimulatorServer>>;
  const customerText = 'mi RUT es 12.345.678-5 y mi clave secreta es PERRO123';
  const replyText = 'Respuesta confidencial para el cliente 4242';
  const customer = '56998887766';

  beforeAll(async () => {
    graph = await startGraphSimulatorServer();
    // Debug level: even the most verbose logs must hold nothing sensitive.
    app = await createTestApp({ env: { META_GRAPH_BASE_URL: graph.url, LOG_LEVEL: 'debug' } });
    tenant = await createTenant(app);
  });
  afterAll(async () => {
    await app.close();
    await graph.close();
  });

  it('keeps tokens, app secrets, message bodies and full phone numbers out of logs and API answers', async () => {
    const created = await http(app)
      .post('/api/v1/whatsapp/accounts')
      .set('Authorization', `Bearer ${tenant.token}`)
      .send({ name: 'second', provider: 'meta', phoneNumberId: '777000111', accessToken: 'EAAsecond-token-abcdefgh', appSecret: 'second-app-secret-xyz' })
      .expect(201);
    expect(JSON.stringify(created.body)).not.toMatch(/EAAsecond|second-app-secret|Encrypted/);

    await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ from: customer, text: customerText }] })).expect(200);
    await drainQueues(app);
    const conversation = (await app.dataSource.query(`SELECT conversation_id FROM message WHERE text = $1`, [customerText]))[0].conversation_id;

    // A provider failure that echoes an auth error: the error stored and logged must not carry the token.
    graph.simulator.injectFault({ kind: 'auth190', times: 1 });
    const failed = await http(app).post('/api/v1/messages').set('Authorization', `Bearer ${tenant.token}`).send({ conversationId: conversation, type: 'text', text: { body: replyText } }).expect(202);
    await drainQueues(app);
    const detail = await http(app).get(`/api/v1/messages/${failed.body.id}`).set('Authorization', `Bearer ${tenant.token}`).expect(200);
    expect(detail.body.status).toBe('failed');
    expect(JSON.stringify(detail.body)).not.toContain(TEST_ACCESS_TOKEN);

    const health = await http(app).post(`/api/v1/whatsapp/accounts/${tenant.account.id}/test`).set('Authorization', `Bearer ${tenant.token}`).expect(200);
    expect(JSON.stringify(health.body)).not.toContain(TEST_ACCESS_TOKEN);

    const logs = app.logs.join('\n');
    expect(app.logs.length).toBeGreaterThan(20);
    for (const secret of [TEST_ACCESS_TOKEN, 'EAAsecond-token-abcdefgh', 'second-app-secret-xyz', app.config.META_APP_SECRET, app.config.JWT_SECRET, tenant.token]) {
      expect(logs).not.toContain(secret);
    }
    expect(logs).not.toContain('PERRO123');
    expect(logs).not.toContain(replyText);
    expect(logs).not.toContain(customer);
  });
});
