import { MessageDirection, MessageStatus } from '../../src/database/entities/enums';
import { Contact } from '../../src/database/entities/contact.entity';
import { Conversation } from '../../src/database/entities/conversation.entity';
import { Message, type MessageError } from '../../src/database/entities/message.entity';
import { MessageStatusService } from '../../src/modules/communications/messages/message-status.service';
import { ParkedStatus } from '../../src/database/entities/parked-status.entity';
import { WebhookEvent } from '../../src/database/entities/webhook-event.entity';
import { createTenant, type Tenant } from '../factories/tenant.factory';
import { ConversationsService } from '../../src/modules/communications/conversations/conversations.service';
import { startGraphSimulatorServer } from '../../src/modules/whatsapp/sandbox/graph-simulator.server';
import { http } from '../support/http';
import { createTestApp, drainQueues, waitFor, type TestApp } from '../support/test-app';
import { metaMessagesPayload, metaSignature, postMeta } from '../support/webhooks';

describe('Webhook ingestion: durable, idempotent, complete', () => {
  let app: TestApp;
  let tenant: Tenant;
  let graph: Awaited<ReturnType<typeof startGraphSimulatorServer>>;

  beforeAll(async () => {
    // Auto-replies to the inbound messages below go to the simulator, never to the internet.
    graph = await startGraphSimulatorServer();
    app = await createTestApp({ env: { META_GRAPH_BASE_URL: graph.url } });
    tenant = await createTenant(app);
  });
  afterAll(async () => {
    await app.close();
    await graph.close();
  });

  const events = () => app.dataSource.getRepository(WebhookEvent);
  const messages = () => app.dataSource.getRepository(Message);

  describe('GET /webhooks/meta (verification handshake)', () => {
    it('answers the bare challenge for the right token and 403 otherwise', async () => {
      const ok = await http(app).get('/webhooks/meta').query({ 'hub.mode': 'subscribe', 'hub.verify_token': app.config.META_VERIFY_TOKEN, 'hub.challenge': '1158201444' }).expect(200);
      expect(ok.text).toBe('1158201444');
      await http(app).get('/webhooks/meta').query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': '1' }).expect(403);
    });
  });

  describe('rejections store nothing', () => {
    it('answers 4xx with a stable code for a bad signature, malformed JSON, wrong content type and an oversized body', async () => {
      const before = await events().count();
      const body = metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ text: 'x' }] });
      const noSignature = await http(app).post('/webhooks/meta').set('Content-Type', 'application/json').send(body).expect(401);
      expect(noSignature.body.code).toBe('INVALID_SIGNATURE');
      await http(app).post('/webhooks/meta').set('Content-Type', 'application/json').set('X-Hub-Signature-256', metaSignature(body, 'another-secret')).send(body).expect(401);
      // Signed over different bytes (a re-serialised body) is a bad signature too.
      await http(app).post('/webhooks/meta').set('Content-Type', 'application/json').set('X-Hub-Signature-256', metaSignature(JSON.stringify(JSON.parse(body), null, 1), app.config.META_APP_SECRET)).send(body).expect(401);
      const malformed = '{"object": "whatsapp_business_account", "entry": [';
      const bad = await http(app).post('/webhooks/meta').set('Content-Type', 'application/json').set('X-Hub-Signature-256', metaSignature(malformed, app.config.META_APP_SECRET)).send(malformed).expect(400);
      expect(bad.body.code).toBe('MALFORMED_JSON');
      const wrongType = await http(app).post('/webhooks/meta').set('Content-Type', 'text/plain').set('X-Hub-Signature-256', metaSignature(body, app.config.META_APP_SECRET)).send(body).expect(415);
      expect(wrongType.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      const huge = JSON.stringify({ object: 'whatsapp_business_account', entry: [], padding: 'x'.repeat(app.config.HTTP_BODY_LIMIT_BYTES) });
      const tooLarge = await http(app).post('/webhooks/meta').set('Content-Type', 'application/json').set('X-Hub-Signature-256', metaSignature(huge, app.config.META_APP_SECRET)).send(huge).expect(413);
      expect(tooLarge.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await events().count()).toBe(before);
    });
  });

  describe('idempotency', () => {
    it('stores one event and one message when the same POST arrives 5 times concurrently', async () => {
      const id = `wamid.dup-${Date.now()}`;
      const body = metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ id, from: '56995550001', text: 'Hola' }] });
      const responses = await Promise.all(Array.from({ length: 5 }, () => postMeta(app, body)));
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      await drainQueues(app);
      expect(await messages().countBy({ providerMessageId: id })).toBe(1);
      const stored = await messages().findOneByOrFail({ providerMessageId: id });
      const conversation = await app.dataSource.getRepository(Conversation).findOneByOrFail({ id: stored.conversationId });
      expect(conversation.unreadCount).toBe(1);
    });
  });

  describe('a known customer writing again', () => {
    it('applies concurrent messages exactly once each, and still updates a changed name', async () => {
      const from = '56995550077';
      const contacts = () => app.dataSource.getRepository(Contact);
      await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ from, text: 'Hola' }] })).expect(200);
      await drainQueues(app);
      const contact = await contacts().findOneByOrFail({ organizationId: tenant.organization.id, waId: from });
      const conversation = await app.dataSource.getRepository(Conversation).findOneByOrFail({ contactId: contact.id });
      // Ten messages of one conversation at once: each lands once, the unread count counts each once.
      const ids = Array.from({ length: 10 }, (_, i) => `wamid.known-${Date.now()}-${i}`);
      await Promise.all(ids.map((id, i) => postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ id, from, text: `mensaje ${i}` }] })).expect(200)));
      await drainQueues(app);
      expect(await messages().countBy({ conversationId: conversation.id, direction: MessageDirection.Inbound })).toBe(11);
      expect((await app.dataSource.getRepository(Conversation).findOneByOrFail({ id: conversation.id })).unreadCount).toBe(11);
      // A new profile name is not the plain case: the general path records it on the same contact.
      await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ from, text: 'Soy yo', profileName: 'Ana María' }] })).expect(200);
      await drainQueues(app);
      expect(await contacts().countBy({ organizationId: tenant.organization.id, waId: from })).toBe(1);
      expect((await contacts().findOneByOrFail({ id: contact.id })).profileName).toBe('Ana María');
      expect(await messages().countBy({ conversationId: conversation.id, direction: MessageDirection.Inbound })).toBe(12);
    });
  });

  describe('statuses', () => {
    async function outboundMessage(providerMessageId: string): Promise<Message> {
      const conversation = await app.get(ConversationsService).findOrCreate(tenant.organization.id, tenant.account.id, tenant.contact.id);
      return messages().save({
        organizationId: tenant.organization.id, whatsappAccountId: tenant.account.id, conversationId: conversation.id, contactId: tenant.contact.id,
        direction: MessageDirection.Outbound, type: 'text', status: MessageStatus.Sent, content: { body: 'x' }, text: 'x', occurredAt: new Date(), providerMessageId,
      });
    }

    it('ends at the highest rank when statuses arrive out of order and duplicated', async () => {
      const id = `wamid.order-${Date.now()}`;
      const message = await outboundMessage(id);
      const t = Math.floor(Date.now() / 1000);
      const order = ['read', 'sent', 'delivered', 'read', 'sent', 'delivered'];
      await Promise.all(order.map((status, i) => postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, statuses: [{ id, status, timestamp: t + (status === 'sent' ? 0 : status === 'delivered' ? 1 : 2) + i * 0 }] })).expect(200)));
      await drainQueues(app);
      const final = await messages().findOneByOrFail({ id: message.id });
      expect(final.status).toBe('read');
      expect(final.deliveredAt).not.toBeNull();
      expect(final.readAt).not.toBeNull();
    });

    it('never lets failed override delivered, and keeps the error of a failed send', async () => {
      const delivered = `wamid.deliv-${Date.now()}`;
      await outboundMessage(delivered);
      await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, statuses: [{ id: delivered, status: 'delivered' }] })).expect(200);
      await drainQueues(app);
      await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, statuses: [{ id: delivered, status: 'failed', errors: [{ code: 131026, title: 'Message undeliverable' }] }] })).expect(200);
      const failing = `wamid.fail-${Date.now()}`;
      await outboundMessage(failing);
      await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, statuses: [{ id: failing, status: 'failed', errors: [{ code: 131047, title: 'Re-engagement message' }] }] })).expect(200);
      await drainQueues(app);
      expect((await messages().findOneByOrFail({ providerMessageId: delivered })).status).toBe('delivered');
      expect(await messages().findOneByOrFail({ providerMessageId: failing })).toMatchObject({ status: 'failed', errorCode: '131047', errorTitle: 'Re-engagement message' });
    });

    it('applies a batch of statuses (as Meta sends under volume) in full, with one event per change, and nothing twice when it comes again', async () => {
      const stamp = Date.now();
      const ids = Array.from({ length: 5 }, (_, i) => `wamid.batch-${stamp}-${i}`);
      const sent = await Promise.all(ids.map((id) => outboundMessage(id)));
      const unknown = `wamid.batch-unknown-${stamp}`;
      const t = Math.floor(stamp / 1000);
      const statuses = [
        ...ids.flatMap((id) => [{ id, status: 'delivered', timestamp: t + 1 }, { id, status: 'read', timestamp: t + 2 }]),
        // Out of order within the batch: a late `sent` after read, and a delivered twice.
        { id: ids[0], status: 'sent', timestamp: t }, { id: ids[1], status: 'delivered', timestamp: t + 1 },
        // A failure and a status for a message not known yet take the one-by-one path in the same batch.
        { id: ids[4], status: 'failed', timestamp: t + 3, errors: [{ code: 131026, title: 'Message undeliverable' }] },
        { id: unknown, status: 'delivered', timestamp: t + 1 },
      ];
      const body = metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, statuses });
      const statusEvents = async () =>
        (await app.dataSource.query(`SELECT data->>'messageId' AS id, data->>'status' AS status FROM outbox_event WHERE type = 'message.status' AND data->>'messageId' = ANY($1) ORDER BY seq`, [sent.map((m) => m.id)])) as Array<{ id: string; status: string }>;
      await postMeta(app, body).expect(200);
      await drainQueues(app);
      for (const message of sent) {
        const row = await messages().findOneByOrFail({ id: message.id });
        expect(row.status).toBe('read');
        expect(row.deliveredAt?.getTime()).toBe((t + 1) * 1000);
        expect(row.readAt?.getTime()).toBe((t + 2) * 1000);
      }
      expect(await app.dataSource.getRepository(ParkedStatus).countBy({ providerMessageId: unknown })).toBe(1);
      const first = await statusEvents();
      // delivered then read for each message, in that order; the late sent, the repeat and the failure after read change nothing.
      for (const message of sent) expect(first.filter((e) => e.id === message.id).map((e) => e.status)).toEqual(['delivered', 'read']);
      // Meta redelivers the same batch (a new POST, so a new stored event): no status moves, no event is written.
      await postMeta(app, body).expect(200);
      await drainQueues(app);
      expect(await statusEvents()).toEqual(first);
    });

    it('tells which statuses the bulk path applied and leaves failures, unknown ids and changed messages to the one-by-one path', async () => {
      const stamp = Date.now();
      const fresh = await outboundMessage(`wamid.bulk-fresh-${stamp}`);
      const read = await outboundMessage(`wamid.bulk-read-${stamp}`);
      await messages().update({ id: read.id }, { status: MessageStatus.Read, readAt: new Date() });
      const at = new Date();
      const update = (providerMessageId: string, status: MessageStatus, errors: MessageError[] | null = null) =>
        ({ whatsappAccountId: tenant.account.id, providerMessageId, status, occurredAt: at, errors });
      const done = await app.get(MessageStatusService).applyKnownInBulk([
        update(fresh.providerMessageId!, MessageStatus.Delivered),
        update(read.providerMessageId!, MessageStatus.Delivered),
        update(`wamid.bulk-unknown-${stamp}`, MessageStatus.Delivered),
        update(fresh.providerMessageId!, MessageStatus.Failed, [{ code: 131026, title: 'Message undeliverable' }]),
      ]);
      // Applied; done though it changes only the timestamp of a message already read; unknown; a failure.
      expect(done).toEqual([true, true, false, false]);
      expect(await messages().findOneByOrFail({ id: fresh.id })).toMatchObject({ status: 'delivered', deliveredAt: at });
      expect(await messages().findOneByOrFail({ id: read.id })).toMatchObject({ status: 'read', deliveredAt: at });
    });

    it('parks a status for an unknown message and applies it when the message appears', async () => {
      const id = `wamid.early-${Date.now()}`;
      await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, statuses: [{ id, status: 'delivered' }] })).expect(200);
      await drainQueues(app);
      expect(await app.dataSource.getRepository(ParkedStatus).countBy({ providerMessageId: id })).toBe(1);
      // The message appears later: a business-app echo carries the same provider id.
      const echo = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [{ id: 'WABA', changes: [{ field: 'smb_message_echoes', value: {
          messaging_product: 'whatsapp', metadata: { display_phone_number: '56223456789', phone_number_id: tenant.account.phoneNumberId },
          message_echoes: [{ from: '56223456789', to: tenant.contact.waId, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'Enviado desde el teléfono' } }],
        } }] }],
      });
      await postMeta(app, echo).expect(200);
      await drainQueues(app);
      expect(await messages().findOneByOrFail({ providerMessageId: id })).toMatchObject({ direction: 'outbound', status: 'delivered' });
      expect(await app.dataSource.getRepository(ParkedStatus).countBy({ providerMessageId: id })).toBe(0);
    });
  });

  describe('reply linking', () => {
    it('links a reply to the quoted message, else to the latest outbound message, and stamps reply_received_at', async () => {
      const from = '56997770001';
      const first = `wamid.hello-${Date.now()}`;
      await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ id: first, from, text: 'Hola' }] })).expect(200);
      await drainQueues(app);
      const inbound = await messages().findOneByOrFail({ providerMessageId: first });
      const base = { organizationId: tenant.organization.id, whatsappAccountId: tenant.account.id, conversationId: inbound.conversationId, contactId: inbound.contactId, direction: MessageDirection.Outbound, type: 'text', status: MessageStatus.Sent, content: {}, text: 'x' };
      const older = await messages().save({ ...base, providerMessageId: `wamid.out-a-${Date.now()}`, occurredAt: new Date(Date.now() - 60_000) });
      // Newer than the auto-reply the greeting above may have received (the queues drained), older than the reply below.
      const newer = await messages().save({ ...base, providerMessageId: `wamid.out-b-${Date.now()}`, occurredAt: new Date() });
      const quoted = `wamid.quoting-${Date.now()}`;
      const unquoted = `wamid.plain-${Date.now()}`;
      await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ id: quoted, from, text: 'sobre lo primero', contextId: older.providerMessageId! }] })).expect(200);
      await postMeta(app, metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ id: unquoted, from, text: 'otra cosa', timestamp: Math.floor(Date.now() / 1000) + 2 }] })).expect(200);
      await drainQueues(app);
      expect((await messages().findOneByOrFail({ providerMessageId: quoted })).replyToMessageId).toBe(older.id);
      expect((await messages().findOneByOrFail({ providerMessageId: unquoted })).replyToMessageId).toBe(newer.id);
      expect((await messages().findOneByOrFail({ id: older.id })).replyReceivedAt).not.toBeNull();
      expect((await messages().findOneByOrFail({ id: newer.id })).replyReceivedAt).not.toBeNull();
    });
  });

  describe('batches', () => {
    it('applies every entry, change, message and status of one POST', async () => {
      const stamp = Date.now();
      const change = (n: number) => JSON.parse(metaMessagesPayload({
        phoneNumberId: tenant.account.phoneNumberId,
        messages: [0, 1, 2].map((i) => ({ id: `wamid.batch-${stamp}-${n}-${i}`, from: `5699000${n}${i}00`, text: `Mensaje ${n}.${i}` })),
      })).entry[0].changes[0];
      const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'A', changes: [change(1), change(2)] }, { id: 'B', changes: [change(3), change(4)] }] });
      await postMeta(app, body).expect(200);
      await drainQueues(app);
      const stored = await app.dataSource.query(`SELECT count(*)::int AS n FROM message WHERE provider_message_id LIKE $1`, [`wamid.batch-${stamp}-%`]);
      expect(stored[0].n).toBe(12);
    });

    it('applies the good items of a payload even when one item is malformed', async () => {
      const stamp = Date.now();
      const payload = JSON.parse(metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ id: `wamid.good-${stamp}-1` }, { id: `wamid.good-${stamp}-2` }] }));
      payload.entry[0].changes[0].value.messages.splice(1, 0, { type: 'text', text: { body: 'no id, no timestamp' } });
      const body = JSON.stringify(payload);
      await postMeta(app, body).expect(200);
      await drainQueues(app);
      expect(await messages().countBy({ providerMessageId: `wamid.good-${stamp}-1` })).toBe(1);
      expect(await messages().countBy({ providerMessageId: `wamid.good-${stamp}-2` })).toBe(1);
      const event = await events().findOneByOrFail({ idempotencyKey: `meta:${require('node:crypto').createHash('sha256').update(body).digest('hex')}` });
      expect(event.status).toBe('processed');
      expect(event.itemErrors).toHaveLength(1);
    });
  });

  describe('failed events', () => {
    it('keeps events for an unknown number as failed, lists them, and replays them once the account exists', async () => {
      const phoneNumberId = `9${Date.now()}`;
      const id = `wamid.orphan-${Date.now()}`;
      await postMeta(app, metaMessagesPayload({ phoneNumberId, messages: [{ id }] })).expect(200);
      await drainQueues(app);
      const stored = await events().findOneByOrFail({ status: 'failed' as never });
      expect(stored.itemErrors?.[0].error).toContain(phoneNumberId);
      await app.dataSource.query(`UPDATE whatsapp_account SET phone_number_id = $2 WHERE id = $1`, [tenant.account.id, phoneNumberId]);
      try {
        const listed = await http(app).get('/api/v1/webhooks/events').query({ status: 'failed' }).set('Authorization', `Bearer ${tenant.token}`).expect(200);
        expect(listed.body.data.map((e: { id: string }) => e.id)).toContain(stored.id);
        await http(app).post(`/api/v1/webhooks/events/${stored.id}/replay`).set('Authorization', `Bearer ${tenant.token}`).expect(201);
        await waitFor(async () => (await events().findOneByOrFail({ id: stored.id })).status === 'processed', 10000, 'replayed event');
        await drainQueues(app);
        expect(await messages().countBy({ providerMessageId: id })).toBe(1);
        // Replaying again changes nothing.
        await http(app).post(`/api/v1/webhooks/events/${stored.id}/replay`).set('Authorization', `Bearer ${tenant.token}`).expect(201);
        await drainQueues(app);
        expect(await messages().countBy({ providerMessageId: id })).toBe(1);
      } finally {
        await app.dataSource.query(`UPDATE whatsapp_account SET phone_number_id = $2 WHERE id = $1`, [tenant.account.id, tenant.account.phoneNumberId]);
      }
    });
  });

  describe('tenant boundaries', () => {
    it('lets a per-account route touch only its own number, and shows failed events only to their owner', async () => {
      const other = await createTenant(app);
      const appSecret = 'account-a-own-app-secret';
      await http(app).patch(`/api/v1/whatsapp/accounts/${tenant.account.id}`).set('Authorization', `Bearer ${tenant.token}`).send({ appSecret }).expect(200);
      const id = `wamid.cross-${Date.now()}`;
      // Signed with A's own secret but naming B's number: stored (the signature is valid), never applied to B.
      const body = metaMessagesPayload({ phoneNumberId: other.account.phoneNumberId, messages: [{ id }] });
      await http(app).post(`/webhooks/meta/${tenant.account.id}`).set('Content-Type', 'application/json').set('X-Hub-Signature-256', metaSignature(body, appSecret)).send(body).expect(200);
      await drainQueues(app);
      expect(await messages().countBy({ providerMessageId: id })).toBe(0);
      const [event] = await app.dataSource.query(`SELECT id, status FROM webhook_event WHERE whatsapp_account_id = $1 ORDER BY received_at DESC LIMIT 1`, [tenant.account.id]);
      expect(event.status).toBe('failed');
      // The same route with A's own number works.
      const own = `wamid.own-${Date.now()}`;
      const ownBody = metaMessagesPayload({ phoneNumberId: tenant.account.phoneNumberId, messages: [{ id: own }] });
      await http(app).post(`/webhooks/meta/${tenant.account.id}`).set('Content-Type', 'application/json').set('X-Hub-Signature-256', metaSignature(ownBody, appSecret)).send(ownBody).expect(200);
      await drainQueues(app);
      expect(await messages().countBy({ providerMessageId: own })).toBe(1);
      // B never sees A's events in the operator list.
      const seenByB = await http(app).get('/api/v1/webhooks/events').set('Authorization', `Bearer ${other.token}`).expect(200);
      expect(seenByB.body.data.map((e: { id: string }) => e.id)).not.toContain(event.id);
    });
  });
});
