import { createHmac, randomBytes } from 'node:crypto';

/** `sha256=<hex>` over the exact bytes, as Meta sends in `X-Hub-Signature-256`. */
export function signMetaPayload(rawBody: string | Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/**
 * Serialises like Meta: `/` as `\/` and non-ASCII as `\uXXXX`, so receivers that hash
 * `JSON.stringify(parsed)` instead of the raw bytes fail here as they would in production.
 */
export function metaJsonStringify(payload: unknown): string {
  return JSON.stringify(payload)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export interface BusinessNumber {
  phoneNumberId: string;
  displayPhoneNumber: string;
  wabaId: string;
}

export type InboundReply = { type: 'button_reply' | 'list_reply'; id: string; title: string; description?: string };

export interface InboundWebhookInput {
  phoneNumberId: string;
  displayPhoneNumber: string;
  wabaId?: string;
  /** Sender wa_id (digits; a leading + is dropped). */
  from: string;
  name?: string;
  text?: string;
  interactive?: InboundReply;
  /** Quoted/replied-to business message (button and list replies always carry it). */
  contextMessageId?: string;
  id?: string;
  timestamp?: number;
}

/** A Meta-shaped `messages` webhook carrying one inbound text or interactive reply. */
export function buildInboundWebhook(input: InboundWebhookInput): Record<string, unknown> {
  const from = input.from.replace(/^\+/, '');
  const message: Record<string, unknown> = {
    from,
    id: input.id ?? newWamid(from),
    timestamp: String(input.timestamp ?? Math.floor(Date.now() / 1000)),
  };
  if (input.contextMessageId) message.context = { from: input.displayPhoneNumber.replace(/^\+/, ''), id: input.contextMessageId };
  if (input.interactive) {
    const { type, ...reply } = input.interactive;
    message.type = 'interactive';
    message.interactive = { type, [type]: reply };
  } else {
    message.type = 'text';
    message.text = { body: input.text ?? '' };
  }
  const value = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: input.displayPhoneNumber.replace(/^\+/, ''), phone_number_id: input.phoneNumberId },
    contacts: [{ profile: { name: input.name ?? 'Sandbox User' }, wa_id: from }],
    messages: [message],
  };
  return envelope(input.wabaId ?? input.phoneNumberId, value);
}

export type SimulatedStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface StatusWebhookInput {
  business: BusinessNumber;
  messageId: string;
  recipientId: string;
  status: SimulatedStatus;
  timestamp?: number;
  bizOpaqueCallbackData?: string;
  error?: { code: number; title: string; details: string };
}

/** A Meta-shaped `statuses` webhook (v24 shape: pricing on sent, no conversation object). */
export function buildStatusWebhook(input: StatusWebhookInput): Record<string, unknown> {
  const status: Record<string, unknown> = {
    id: input.messageId,
    status: input.status,
    timestamp: String(input.timestamp ?? Math.floor(Date.now() / 1000)),
    recipient_id: input.recipientId,
  };
  if (input.bizOpaqueCallbackData) status.biz_opaque_callback_data = input.bizOpaqueCallbackData;
  if (input.status === 'sent') status.pricing = { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' };
  if (input.error) {
    status.errors = [
      {
        code: input.error.code,
        title: input.error.title,
        message: input.error.title,
        error_data: { details: input.error.details },
        href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
      },
    ];
  }
  const value = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: input.business.displayPhoneNumber.replace(/^\+/, ''), phone_number_id: input.business.phoneNumberId },
    statuses: [status],
  };
  return envelope(input.business.wabaId, value);
}

/**
 * Meta batches updates under volume (up to 1,000 in one POST): the status webhooks of one business number, due
 * together, as one payload whose `statuses[]` holds them all in order.
 */
export function batchStatusWebhook(business: BusinessNumber, payloads: Array<Record<string, unknown>>): Record<string, unknown> {
  const statuses = payloads.flatMap((p) => ((p.entry as Array<{ changes: Array<{ value: { statuses: unknown[] } }> }>)[0].changes[0].value.statuses));
  const value = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: business.displayPhoneNumber.replace(/^\+/, ''), phone_number_id: business.phoneNumberId },
    statuses,
  };
  return envelope(business.wabaId, value);
}

export interface WebhookDelivery {
  url: string;
  body: string;
  signature: string;
  status?: number;
  error?: string;
  deliveredAt: Date;
}

/** POSTs the exact bytes that were signed. Never throws: a failed delivery is recorded, as Meta would retry. */
export async function postSignedWebhook(url: string, payload: unknown, appSecret: string): Promise<WebhookDelivery> {
  const body = metaJsonStringify(payload);
  const signature = signMetaPayload(body, appSecret);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature, 'user-agent': 'facebookexternalua' },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer().catch(() => undefined);
    return { url, body, signature, status: response.status, deliveredAt: new Date() };
  } catch (error) {
    return { url, body, signature, error: error instanceof Error ? error.message : String(error), deliveredAt: new Date() };
  }
}

/** `wamid.` + base64 of Meta's id layout: 0x1C 0x18 <len> <recipient digits> … random tail. */
export function newWamid(recipientDigits: string): string {
  const digits = Buffer.from(recipientDigits.replace(/\D/g, '').slice(0, 20), 'ascii');
  const tail = Buffer.from(randomBytes(9).toString('hex').toUpperCase(), 'ascii');
  const bytes = Buffer.concat([Buffer.from([0x1c, 0x18, digits.length]), digits, Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, 0x12]), tail, Buffer.from([0x00])]);
  return `wamid.${bytes.toString('base64')}`;
}

function envelope(entryId: string, value: Record<string, unknown>): Record<string, unknown> {
  return { object: 'whatsapp_business_account', entry: [{ id: entryId, changes: [{ value, field: 'messages' }] }] };
}
