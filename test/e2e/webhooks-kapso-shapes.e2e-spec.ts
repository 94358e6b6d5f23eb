import { createHmac } from 'node:crypto';
import { Message } from '../../src/database/entities/message.entity';
import { WhatsappProviderKind } from '../../src/database/entities/enums';
import { createTenant } from '../factories/tenant.factory';
import { http } from '../support/http';
import { createTestApp, drainQueues, waitFor, type TestApp } from '../support/test-app';

const PHONE_NUMBER_ID = '109876543210987';

/** The seeds' Kapso body: an envelope around the event, signed in X-Kapso-Signature. */
function seedBody(messageId: string, text: string): string {
  return JSON.stringify({
    event_type: 'whatsapp.message.received',
    conversation_id: 'conv_seed_000',
    message_id: messageId,
    payload: {
      message: { id: messageId, from: '56987654321', timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text }, kapso: { direction: 'inbound', status: 'received' } },
      conversation: { id: 'conv_seed_000', phone_number: '+56987654321', phone_number_id: PHONE_NUMBER_ID, kapso: { contact_name: 'Seed Cliente' } },
      phone_number_id: PHONE_NUMBER_ID,
    },
  });
}

/** Kapso webhooks of every shape Kapso sends are processed, or refused with a 4xx and a code; never a silent 200. */
describe('Kapso webhook shapes', () => {
  let app: TestApp;
  const post = (body: string, header = 'X-Kapso-Signature') =>
    http(app).post('/webhooks/kapso').set('Content-Type', 'application/json').set(header, createHmac('sha256', app.config.KAPSO_WEBHOOK_SECRET).update(body).digest('hex')).send(body);

  beforeAll(async () => {
    // Nothing may leave the machine: no auto-replies, and Kapso's API is a closed loopback port.
    app = await createTestApp({ env: { PORT: '8143', KAPSO_API_BASE_URL: 'http://127.0.0.1:8199' } });
    await createTenant(app, { provider: WhatsappProviderKind.Kapso, phoneNumberId: PHONE_NUMBER_ID, autoRepliesEnabled: false });
  }, 60000);
  afterAll(() => app.close());

  it('processes the seed-000 body {event_type, conversation_id, message_id, payload} signed in X-Kapso-Signature', async () => {
    await post(seedBody('wamid.seed-000', 'Hola desde el seed')).expect(200);
    const stored = await waitFor(() => app.dataSource.getRepository(Message).findOneBy({ providerMessageId: 'wamid.seed-000' }), 15000, 'seed message');
    expect(stored).toMatchObject({ direction: 'inbound', text: 'Hola desde el seed' });
  });

  it('processes an envelope whose payload is the bare message, with a snake_case event type', async () => {
    const body = JSON.stringify({
      event_type: 'message_received',
      conversation_id: 'conv_seed_001',
      message_id: 'wamid.seed-001',
      phone_number_id: PHONE_NUMBER_ID,
      payload: { id: 'wamid.seed-001', from: '56987654321', timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'Mensaje suelto' } },
    });
    await post(body, 'X-Webhook-Signature').expect(200);
    const stored = await waitFor(() => app.dataSource.getRepository(Message).findOneBy({ providerMessageId: 'wamid.seed-001' }), 15000, 'bare message');
    expect(stored.text).toBe('Mensaje suelto');
  });

  it.each([
    ['a body with no event in it', { hello: 'world' }],
    ['an envelope whose payload is not an object', { event_type: 'whatsapp.message.received', payload: 'texto' }],
    ['a received event without its message', { event_type: 'whatsapp.message.received', payload: { conversation: { id: 'c' } } }],
  ])('answers 422 UNSUPPORTED_WEBHOOK_PAYLOAD to %s and stores nothing', async (_label, body) => {
    const before = await app.dataSource.query(`SELECT count(*)::int AS n FROM webhook_event`);
    const refused = await post(JSON.stringify(body)).expect(422);
    expect(refused.body.code).toBe('UNSUPPORTED_WEBHOOK_PAYLOAD');
    await drainQueues(app);
    expect(await app.dataSource.query(`SELECT count(*)::int AS n FROM webhook_event`)).toEqual(before);
  });

  it('still refuses a bad signature in either header', async () => {
    const body = seedBody('wamid.seed-002', 'x');
    const response = await http(app).post('/webhooks/kapso').set('Content-Type', 'application/json').set('X-Kapso-Signature', 'deadbeef').send(body).expect(401);
    expect(response.body.code).toBe('INVALID_SIGNATURE');
  });
});
