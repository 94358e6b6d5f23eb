import { createHmac } from 'node:crypto';
import { http } from './http';
import type { TestApp } from './test-app';

export function metaSignature(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Posts exact bytes to /webhooks/meta with a correct signature. */
export function postMeta(app: TestApp, body: Buffer | string, secret = app.config.META_APP_SECRET) {
  return http(app).post('/webhooks/meta').set('Content-Type', 'application/json').set('X-Hub-Signature-256', metaSignature(body, secret)).send(Buffer.isBuffer(body) ? body.toString('utf8') : body);
}

export function postKapso(app: TestApp, body: Buffer | string, eventName: string | undefined, idempotencyKey?: string) {
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(body);
  let request = http(app)
    .post('/webhooks/kapso')
    .set('Content-Type', 'application/json')
    .set('X-Webhook-Signature', createHmac('sha256', app.config.KAPSO_WEBHOOK_SECRET).update(raw).digest('hex'));
  if (eventName) request = request.set('X-Webhook-Event', eventName);
  if (idempotencyKey) request = request.set('X-Idempotency-Key', idempotencyKey);
  return request.send(raw.toString('utf8'));
}

let counter = 0;

/** A Meta `messages` webhook with N text messages and M statuses for one phone number. */
export function metaMessagesPayload(options: {
  phoneNumberId: string;
  messages?: Array<{ id?: string; from?: string; text?: string; timestamp?: number; contextId?: string; profileName?: string }>;
  statuses?: Array<{ id: string; status: string; timestamp?: number; recipient?: string; errors?: Array<{ code: number; title: string }> }>;
}): string {
  const now = Math.floor(Date.now() / 1000);
  const value: Record<string, unknown> = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '56223456789', phone_number_id: options.phoneNumberId },
  };
  if (options.messages) {
    value.contacts = options.messages.map((m) => ({ profile: { name: m.profileName ?? 'Cliente' }, wa_id: m.from ?? '56911112222' }));
    value.messages = options.messages.map((m) => ({
      from: m.from ?? '56911112222',
      id: m.id ?? `wamid.test-${Date.now()}-${(counter += 1)}`,
      timestamp: String(m.timestamp ?? now),
      type: 'text',
      text: { body: m.text ?? 'Hola' },
      ...(m.contextId ? { context: { from: '56223456789', id: m.contextId } } : {}),
    }));
  }
  if (options.statuses) {
    value.statuses = options.statuses.map((s) => ({
      id: s.id,
      status: s.status,
      timestamp: String(s.timestamp ?? now),
      recipient_id: s.recipient ?? '56911112222',
      ...(s.errors ? { errors: s.errors } : {}),
    }));
  }
  return JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'WABA', changes: [{ field: 'messages', value }] }] });
}
