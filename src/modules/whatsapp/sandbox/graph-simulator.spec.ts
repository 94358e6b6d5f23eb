import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphSimulator } from './graph-simulator';
import { buildInboundWebhook, metaJsonStringify, signMetaPayload } from './simulator-webhooks';

const AUTH = { authorization: 'Bearer test-token' };
const send = (sim: GraphSimulator, body: unknown, headers: Record<string, string> = AUTH) =>
  sim.handle({ method: 'POST', path: '/v24.0/111/messages', headers: { 'content-type': 'application/json', ...headers }, body });

interface Received {
  raw: Buffer;
  signature: string;
}

async function startReceiver(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ raw: Buffer.concat(chunks), signature: String(req.headers['x-hub-signature-256']) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/meta`;
  return { url, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe(GraphSimulator.name, () => {
  describe('handle', () => {
    it('keeps at most historyLimit entries of each history, dropping the oldest (a sandbox runs as long as the app)', async () => {
      const sim = new GraphSimulator({ historyLimit: 10 });
      for (let i = 0; i < 25; i++) await send(sim, { messaging_product: 'whatsapp', to: '+56912345678', type: 'text', text: { body: `m${i}` } });
      expect(sim.outbox.length).toBeLessThanOrEqual(10);
      expect(sim.requestLog.length).toBeLessThanOrEqual(10);
      expect(sim.outbox.at(-1)?.body).toMatchObject({ text: { body: 'm24' } });
      expect(sim.outbox[0].body).toMatchObject({ text: { body: `m${25 - sim.outbox.length}` } });
    });

    it('answers a Meta-shaped 401 with code 190 when the bearer token is missing', async () => {
      const sim = new GraphSimulator();
      const response = await send(sim, { messaging_product: 'whatsapp', to: '+56912345678', type: 'text', text: { body: 'x' } }, {});
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: { code: 190, type: 'OAuthException', fbtrace_id: expect.any(String) } });
      expect(sim.outbox).toHaveLength(0);
    });

    it.each([
      ['an unknown type', { messaging_product: 'whatsapp', to: '56912345678', type: 'carousel', carousel: {} }, 100],
      ['a missing text body', { messaging_product: 'whatsapp', to: '56912345678', type: 'text', text: {} }, 100],
      ['text over 4096 chars', { messaging_product: 'whatsapp', to: '56912345678', type: 'text', text: { body: 'a'.repeat(4097) } }, 100],
      ['a non-digit to', { messaging_product: 'whatsapp', to: 'juan', type: 'text', text: { body: 'x' } }, 100],
      [
        'four buttons',
        { messaging_product: 'whatsapp', to: '56912345678', type: 'interactive', interactive: { type: 'button', body: { text: 'b' }, action: { buttons: [1, 2, 3, 4].map((i) => ({ type: 'reply', reply: { id: `${i}`, title: `${i}` } })) } } },
        131009,
      ],
      [
        'duplicate button titles',
        { messaging_product: 'whatsapp', to: '56912345678', type: 'interactive', interactive: { type: 'button', body: { text: 'b' }, action: { buttons: [1, 2].map((i) => ({ type: 'reply', reply: { id: `${i}`, title: 'Same' } })) } } },
        131009,
      ],
    ])('rejects %s with a Meta 400', async (_label, body, code) => {
      const sim = new GraphSimulator();
      const response = await send(sim, body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { code, message: expect.stringMatching(/^\(#\d+\)/), error_data: { details: expect.any(String) } } });
      expect(sim.outbox).toHaveLength(0);
    });

    it('applies a fault only to the matching recipient and only the given number of times', async () => {
      const sim = new GraphSimulator();
      sim.injectFault({ kind: 'rateLimit130429', match: { to: '+56900000001' }, times: 2 });
      const body = (to: string) => ({ messaging_product: 'whatsapp', to, type: 'text', text: { body: 'x' } });
      expect((await send(sim, body('+56900000002'))).status).toBe(200);
      expect((await send(sim, body('+56900000001'))).status).toBe(400);
      expect((await send(sim, body('+56900000001'))).status).toBe(400);
      expect((await send(sim, body('+56900000001'))).status).toBe(200);
      expect(sim.outbox.map((e) => e.body.to)).toEqual(['+56900000002', '+56900000001']);
    });
  });

  describe('statusWebhook', () => {
    it('posts sent, delivered and read webhooks signed over the exact bytes', async () => {
      const receiver = await startReceiver();
      const sim = new GraphSimulator({ statusWebhook: { url: receiver.url, appSecret: 'app-secret', delaysMs: { sent: 5, delivered: 10, read: 15 } } });
      try {
        const response = await send(sim, { messaging_product: 'whatsapp', to: '+56912345678', type: 'text', text: { body: 'x' }, biz_opaque_callback_data: 'cb/1' });
        await waitFor(() => receiver.received.length === 3);
        const wamid = (response.body as { messages: Array<{ id: string }> }).messages[0].id;
        for (const { raw, signature } of receiver.received) {
          const expected = Buffer.from(`sha256=${createHmac('sha256', 'app-secret').update(raw).digest('hex')}`);
          expect(timingSafeEqual(Buffer.from(signature), expected)).toBe(true);
        }
        const statuses = receiver.received.map((r) => JSON.parse(r.raw.toString()).entry[0].changes[0].value.statuses[0]);
        expect(statuses.map((s) => s.status).sort()).toEqual(['delivered', 'read', 'sent']);
        expect(statuses.every((s) => s.id === wamid && s.recipient_id === '56912345678' && s.biz_opaque_callback_data === 'cb/1')).toBe(true);
        expect(receiver.received[0].raw.toString()).toContain('cb\\/1');
      } finally {
        sim.dispose();
        await receiver.close();
      }
    });

    it('posts a failed status with error 131026 for a configured fail number', async () => {
      const receiver = await startReceiver();
      const sim = new GraphSimulator({ statusWebhook: { url: receiver.url, appSecret: 's', delaysMs: { sent: 1, delivered: 2 }, failNumbers: ['+56999999999'] } });
      try {
        await send(sim, { messaging_product: 'whatsapp', to: '+56999999999', type: 'text', text: { body: 'x' } });
        await waitFor(() => receiver.received.length === 2);
        const statuses = receiver.received.map((r) => JSON.parse(r.raw.toString()).entry[0].changes[0].value.statuses[0]);
        const failed = statuses.find((s) => s.status === 'failed');
        expect(failed.errors[0]).toMatchObject({ code: 131026 });
        expect(statuses.some((s) => s.status === 'delivered')).toBe(false);
      } finally {
        sim.dispose();
        await receiver.close();
      }
    });
  });
});

describe('simulator webhooks', () => {
  describe('signMetaPayload', () => {
    it('matches the HMAC-SHA256 of the raw bytes, not of a re-serialised body', () => {
      const raw = metaJsonStringify({ url: 'https://x.example/a', name: 'José' });
      expect(raw).toBe('{"url":"https:\\/\\/x.example\\/a","name":"Jos\\u00e9"}');
      expect(signMetaPayload(raw, 'k')).toBe(`sha256=${createHmac('sha256', 'k').update(raw).digest('hex')}`);
      expect(signMetaPayload(JSON.stringify(JSON.parse(raw)), 'k')).not.toBe(signMetaPayload(raw, 'k'));
    });
  });

  describe('buildInboundWebhook', () => {
    it('builds a Meta messages payload for a button reply', () => {
      const payload = buildInboundWebhook({
        phoneNumberId: '111',
        displayPhoneNumber: '+15550001234',
        from: '+56912345678',
        name: 'Ana',
        interactive: { type: 'button_reply', id: 'yes', title: 'Sí' },
        contextMessageId: 'wamid.OUT',
        id: 'wamid.IN',
        timestamp: 1700000000,
      });
      expect(payload).toEqual({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '111',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '15550001234', phone_number_id: '111' },
                  contacts: [{ profile: { name: 'Ana' }, wa_id: '56912345678' }],
                  messages: [
                    {
                      from: '56912345678',
                      id: 'wamid.IN',
                      timestamp: '1700000000',
                      context: { from: '15550001234', id: 'wamid.OUT' },
                      type: 'interactive',
                      interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Sí' } },
                    },
                  ],
                },
              },
            ],
          },
        ],
      });
    });
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 2_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
