import { normalizeKapsoPayload } from './kapso-payload.normalizer';
import type { NormalizedItem } from '../../../domain/normalized-event.types';

function receivedEvent(id: string, body: string): Record<string, unknown> {
  return {
    message: { id, timestamp: '1730092800', type: 'text', text: { body }, kapso: { direction: 'inbound', status: 'received' } },
    conversation: { id: 'conv_1', phone_number: '+15551234567', phone_number_id: 'PNID' },
    phone_number_id: 'PNID',
  };
}

function kinds(items: NormalizedItem[]): string[] {
  return items.map((i) => (i.ok ? i.event.kind : `error:${i.path}`));
}

describe('normalizeKapsoPayload', () => {
  it('normalises every event of a buffered batch when the body is {type, batch, data}', () => {
    const body = { type: 'whatsapp.message.received', batch: true, data: [receivedEvent('w1', 'a'), receivedEvent('w2', 'b')] };
    const items = normalizeKapsoPayload(body, 'whatsapp.message.received');
    expect(items.map((i) => (i.ok && i.event.kind === 'inbound_message' ? i.event.text : null))).toEqual(['a', 'b']);
  });

  it('uses the batch type when the header is missing', () => {
    const body = { type: 'whatsapp.message.received', batch: true, data: [receivedEvent('w1', 'a')] };
    expect(kinds(normalizeKapsoPayload(body, undefined))).toEqual(['inbound_message']);
  });

  it('keeps the good events and fails the malformed one when a batch item lacks its message id', () => {
    const broken = receivedEvent('x', 'x');
    delete (broken.message as Record<string, unknown>).id;
    const body = { type: 'whatsapp.message.received', batch: true, data: [receivedEvent('w1', 'a'), broken, receivedEvent('w3', 'c')] };
    const items = normalizeKapsoPayload(body, 'whatsapp.message.received');
    expect(kinds(items)).toEqual(['inbound_message', 'error:data[1].message', 'inbound_message']);
  });

  it('treats a Meta-format forward as a Meta payload tagged kapso', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [{ id: 'W', changes: [{ field: 'messages', value: { metadata: { phone_number_id: 'P' }, messages: [{ from: '1', id: 'm', timestamp: '1', type: 'text', text: { body: 'hi' } }] } }] }],
    };
    const [item] = normalizeKapsoPayload(body, undefined);
    expect(item).toMatchObject({ ok: true, event: { kind: 'inbound_message', provider: 'kapso', text: 'hi' } });
  });

  it('infers the event from the message direction when X-Webhook-Event is missing', () => {
    expect(kinds(normalizeKapsoPayload(receivedEvent('w1', 'a'), undefined))).toEqual(['inbound_message']);
  });

  it('accepts the header in any case and with whitespace', () => {
    expect(kinds(normalizeKapsoPayload(receivedEvent('w1', 'a'), ' WhatsApp.Message.Received '))).toEqual(['inbound_message']);
  });

  it('synthesises the announced status when the status history does not contain it', () => {
    const body = {
      message: { id: 'w9', timestamp: '1730092900', to: '15551234567', type: 'text', text: { body: 'hey' }, kapso: { direction: 'outbound', status: 'read' } },
      phone_number_id: 'PNID',
    };
    const items = normalizeKapsoPayload(body, 'whatsapp.message.read');
    expect(kinds(items)).toEqual(['outbound_echo', 'status']);
    expect(items[1]).toMatchObject({ ok: true, event: { status: 'read', providerMessageId: 'w9', recipient: { waId: '15551234567' } } });
  });

  it('ignores an unknown Kapso event with its name', () => {
    const [item] = normalizeKapsoPayload({ phone_number_id: 'P' }, 'whatsapp.something.new');
    expect(item).toMatchObject({ ok: true, event: { kind: 'ignored', reason: expect.stringContaining('whatsapp.something.new') } });
  });

  it.each([
    ['null', null],
    ['an array', [1, 2]],
    ['a received event without message', { phone_number_id: 'P' }],
    ['a conversation event without conversation', { phone_number_id: 'P' }],
  ])('returns failed items instead of throwing when the payload is %s', (_name, body) => {
    const name = _name.startsWith('a conversation') ? 'whatsapp.conversation.created' : 'whatsapp.message.received';
    const items = normalizeKapsoPayload(body, name);
    expect(items.some((i) => !i.ok)).toBe(true);
  });
});
