import { randomUUID } from 'node:crypto';
import { Message } from '../../src/database/entities/message.entity';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { createTestApp, drainQueues, type TestApp } from '../support/test-app';
import { metaMessagesPayload, postMeta } from '../support/webhooks';
import { insertMessage, seedConversation, type SeededConversation } from './inbox-helpers';

const HOUR = 3600 * 1000;

/** A customer's free-text reply is linked to the outbound message it answers: the latest one it could have seen. */
describe('Free-text reply linking', () => {
  let app: TestApp;
  let tenant: Tenant;

  beforeAll(async () => {
    app = await createTestApp({ env: { PORT: '8144', META_GRAPH_BASE_URL: 'http://127.0.0.1:8199' } });
    tenant = await createTenant(app, { autoRepliesEnabled: false });
  }, 60000);
  afterAll(() => app.close());

  async function conversation(): Promise<SeededConversation> {
    return seedConversation(app.dataSource, tenant, { contact: { waId: `5699${String(Date.now()).slice(-7)}`, phoneE164: `+5699${String(Date.now()).slice(-7)}` } });
  }

  async function outbound(s: SeededConversation, text: string, agoMs: number, status = 'sent'): Promise<string> {
    const id = await insertMessage(app.dataSource, s.conversation, { text, direction: 'outbound', occurredAt: new Date(Date.now() - agoMs) });
    await app.dataSource.query(`UPDATE message SET status = $2 WHERE id = $1`, [id, status]);
    return id;
  }

  async function customerWrites(s: SeededConversation, text: string, agoMs = 0): Promise<Message> {
    const id = `wamid.reply-${randomUUID()}`;
    const body = metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ id, from: s.contact.waId!, text, timestamp: Math.floor((Date.now() - agoMs) / 1000) }] });
    await postMeta(app, body).expect(200);
    await drainQueues(app);
    return app.dataSource.getRepository(Message).findOneByOrFail({ providerMessageId: id });
  }

  it('links a free-text reply to the latest outbound message and stamps when it was answered', async () => {
    const s = await conversation();
    await outbound(s, 'Primer aviso', 2 * HOUR);
    const latest = await outbound(s, '¿Le acomoda el martes?', HOUR);
    const reply = await customerWrites(s, 'Sí, el martes está bien');
    expect(reply.replyToMessageId).toBe(latest);
    const answered = await app.dataSource.getRepository(Message).findOneByOrFail({ id: latest });
    expect(answered.replyReceivedAt).not.toBeNull();
  });

  it('skips an outbound message that failed: the customer never saw it', async () => {
    const s = await conversation();
    const seen = await outbound(s, 'Su pedido salió', 2 * HOUR);
    await outbound(s, 'Encuesta', HOUR, 'failed');
    expect((await customerWrites(s, 'Gracias')).replyToMessageId).toBe(seen);
  });

  it('links to the outbound before the reply, not one sent after it (a late webhook)', async () => {
    const s = await conversation();
    const before = await outbound(s, 'Hola, ¿cómo está?', 2 * HOUR);
    await outbound(s, 'Le escribimos de nuevo', 30 * 60 * 1000);
    expect((await customerWrites(s, 'Bien, gracias', HOUR)).replyToMessageId).toBe(before);
  });

  it('links nothing when the last outbound is outside the 24-hour window', async () => {
    const s = await conversation();
    await outbound(s, 'Mensaje antiguo', 30 * HOUR);
    expect((await customerWrites(s, 'Hola de nuevo')).replyToMessageId).toBeNull();
  });
});
