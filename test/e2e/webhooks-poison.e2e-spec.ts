import { Message } from '../../src/database/entities/message.entity';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { startGraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { http } from '../support/http';
import { createTestApp, drainQueues, type TestApp } from '../support/test-app';
import { metaMessagesPayload, metaSignature, postKapso, postMeta } from '../support/webhooks';

jest.setTimeout(60_000);

/** A valid Meta message webhook whose text, or a field beside it, PostgreSQL `jsonb` rejects though JSON.parse accepts it. */
function poisonBody(phoneNumberId: string, id: string, poison: 'nul' | 'surrogate' | 'deep' | 'number'): string {
  const text = poison === 'nul' ? 'hola__NUL__mundo' : poison === 'surrogate' ? 'corazón __SUR__' : 'hola';
  const body = metaMessagesPayload({ phoneNumberId, messages: [{ id, from: '56990001111', text, timestamp: 1_790_000_000 }] });
  const tail = poison === 'deep' ? `,"extra":${'['.repeat(20_000)}${']'.repeat(20_000)}}` : poison === 'number' ? ',"extra":1e999999}' : '}';
  return body.replace('__NUL__', '\\u0000').replace('__SUR__', '\\ud83d').replace(/}$/, tail);
}

describe('Webhook ingestion: bodies PostgreSQL jsonb rejects', () => {
  let app: TestApp;
  let tenant: Tenant;
  let graph: Awaited<ReturnType<typeof startGraphSimulatorServer>>;
  const poisons = ['nul', 'surrogate', 'deep', 'number'] as const;
  const stamp = Date.now();
  const poisonIds = poisons.map((p) => `wamid.poison-${stamp}-${p}`);

  beforeAll(async () => {
    graph = await startGraphSimulatorServer();
    // A linger makes concurrent requests share one group commit, as they do under load.
    app = await createTestApp({ env: { META_GRAPH_BASE_URL: graph.url, WEBHOOK_INGEST_BATCH_MS: '50' } });
    tenant = await createTenant(app);
  });
  afterAll(async () => {
    await app.close();
    await graph.close();
  });

  const messages = () => app.dataSource.getRepository(Message);
  const eventsByMessageId = (ids: string[]) =>
    app.dataSource.query(
      `SELECT id, status, error, payload IS NULL AS raw_only, raw_body FROM webhook_event WHERE raw_body IS NOT NULL AND position($1::bytea IN raw_body) > 0
       UNION ALL SELECT id, status, error, payload IS NULL, raw_body FROM webhook_event WHERE payload::text LIKE $2`,
      [Buffer.from(ids[0]), `%${ids[0]}%`],
    ) as Promise<Array<{ id: string; status: string; error: string | null; raw_only: boolean; raw_body: Buffer | null }>>;

  it('answers 200 to poison bodies and to every valid event committed with them, and keeps the exact bytes', async () => {
    const validIds = Array.from({ length: 20 }, (_, i) => `wamid.neighbour-${stamp}-${i}`);
    const valid = validIds.map((id, i) => metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ id, from: `5699100${String(i).padStart(4, '0')}`, text: `vecino ${i}` }] }));
    const poison = poisons.map((p, i) => poisonBody(tenant.account.phoneNumberId, poisonIds[i], p));
    const kapsoMessage = { id: 'wamid.kapso-poison', from: '56987654321', timestamp: '1760000000', type: 'text', text: { body: 'x' } };
    const kapsoPoison = JSON.stringify({ event_type: 'whatsapp.message.received', payload: { message: kapsoMessage, phone_number_id: tenant.account.phoneNumberId } }).replace('"x"', '"\\u0000"');
    const responses = await Promise.all([...valid.map((b) => postMeta(app, b)), ...poison.map((b) => postMeta(app, b)), postKapso(app, kapsoPoison, 'whatsapp.message.received')]);
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));

    for (const [i, body] of poison.entries()) {
      const [row] = await eventsByMessageId([poisonIds[i]]);
      expect(row).toMatchObject({ status: 'failed', raw_only: true });
      expect(row.raw_body!.equals(Buffer.from(body))).toBe(true);
      expect(row.error).toMatch(/jsonb/);
    }
    await drainQueues(app);
    expect(await messages().countBy(validIds.map((providerMessageId) => ({ providerMessageId })))).toBe(validIds.length);
    // Not applied until an operator replays it.
    expect(await messages().countBy(poisonIds.map((providerMessageId) => ({ providerMessageId })))).toBe(0);
  });

  it('answers 200 again to a repeated poison body and keeps one row', async () => {
    await postMeta(app, poisonBody(tenant.account.phoneNumberId, poisonIds[0], 'nul')).expect(200);
    expect(await eventsByMessageId([poisonIds[0]])).toHaveLength(1);
  });

  it('lists the poison events as failed with the reason to the organisation they concern, and a replay applies them', async () => {
    const listed = await http(app).get('/api/v1/webhooks/events').query({ status: 'failed', limit: 100 }).set('Authorization', `Bearer ${tenant.token}`).expect(200);
    const poisonEvents = listed.body.data.filter((e: { error: string | null }) => e.error?.includes('jsonb'));
    // The Meta poison bodies and the Kapso one: each names this organisation's number.
    expect(poisonEvents).toHaveLength(poisons.length + 1);
    for (const event of poisonEvents) await http(app).post(`/api/v1/webhooks/events/${event.id}/replay`).set('Authorization', `Bearer ${tenant.token}`).expect(201);
    await drainQueues(app);
    const applied = await messages().findBy(poisonIds.map((providerMessageId) => ({ providerMessageId })));
    expect(applied.map((m) => m.text).sort()).toEqual(['corazón \ufffd', 'hola', 'hola', 'holamundo']);
    for (const id of poisonIds) expect((await eventsByMessageId([id]))[0].status).toBe('processed');
  });

  it('still answers 400 MALFORMED_JSON to a signed body that is not JSON', async () => {
    const broken = `{"object":"whatsapp_business_account","entry":["\u0000"]}`;
    const response = await http(app).post('/webhooks/meta').set('Content-Type', 'application/json').set('X-Hub-Signature-256', metaSignature(broken, app.config.META_APP_SECRET)).send(broken).expect(400);
    expect(response.body.code).toBe('MALFORMED_JSON');
  });
});
