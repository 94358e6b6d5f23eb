import { normalizeMetaPayload } from './meta-payload.normalizer';
import type { NormalizedItem } from '../../../domain/normalized-event.types';

function textMessage(id: string, body: string): Record<string, unknown> {
  return { from: '15551234567', id, timestamp: '1735689800', type: 'text', text: { body } };
}

function payload(value: Record<string, unknown>, field = 'messages'): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: 'WABA', changes: [{ field, value: { messaging_product: 'whatsapp', metadata: { phone_number_id: 'PNID' }, ...value } }] }],
  };
}

function okIds(items: NormalizedItem[]): string[] {
  return items.flatMap((i) => (i.ok && 'providerMessageId' in i.event ? [i.event.providerMessageId] : []));
}

describe('normalizeMetaPayload', () => {
  describe('per-item independence', () => {
    it('keeps the good messages and fails only the malformed one when one message lacks its id', () => {
      const malformed = { from: '15551234567', timestamp: '1735689800', type: 'text', text: { body: 'no id' } };
      const items = normalizeMetaPayload(payload({ messages: [textMessage('wamid.a', 'a'), malformed, textMessage('wamid.c', 'c')] }));
      expect(items).toHaveLength(3);
      expect(okIds(items)).toEqual(['wamid.a', 'wamid.c']);
      expect(items[1]).toEqual({ ok: false, error: 'missing id', path: 'entry[0].changes[0].messages[1]' });
    });

    it('fails only the bad status when a status has an unparseable timestamp', () => {
      const statuses = [
        { id: 'wamid.a', status: 'delivered', timestamp: 'yesterday-ish', recipient_id: '1' },
        { id: 'wamid.b', status: 'read', timestamp: '1735689900', recipient_id: '1' },
      ];
      const items = normalizeMetaPayload(payload({ statuses }));
      expect(items[0]).toMatchObject({ ok: false, path: 'entry[0].changes[0].statuses[0]' });
      expect(items[1]).toMatchObject({ ok: true, event: { kind: 'status', status: 'read' } });
    });

    it('fails an item that is not an object without touching its neighbours', () => {
      const items = normalizeMetaPayload(payload({ messages: [null, 'x', textMessage('wamid.ok', 'ok')] }));
      expect(items.map((i) => i.ok)).toEqual([false, false, true]);
    });

    it('fails a message with no sender at all when neither from, from_user_id nor a contact is given', () => {
      const items = normalizeMetaPayload(payload({ messages: [{ id: 'wamid.x', timestamp: '1', type: 'text', text: { body: 'hi' } }] }));
      expect(items[0]).toMatchObject({ ok: false, error: expect.stringContaining('no sender') });
    });

    it('fails a reaction when the reacted-to message id is missing', () => {
      const items = normalizeMetaPayload(payload({ messages: [{ ...textMessage('wamid.r', ''), type: 'reaction', reaction: { emoji: '👍' } }] }));
      expect(items[0]).toMatchObject({ ok: false, error: 'missing message_id' });
    });

    it('fails the message when metadata.phone_number_id is missing', () => {
      const body = { entry: [{ id: 'W', changes: [{ field: 'messages', value: { messages: [textMessage('wamid.a', 'a')] } }] }] };
      expect(normalizeMetaPayload(body)[0]).toMatchObject({ ok: false, error: 'missing metadata.phone_number_id' });
    });
  });

  describe('walking', () => {
    it('walks every entry and change when a POST batches several', () => {
      const change = (id: string) => ({ field: 'messages', value: { metadata: { phone_number_id: 'P' }, messages: [textMessage(id, id)] } });
      const body = { entry: [{ id: 'W1', changes: [change('m1'), change('m2')] }, { id: 'W2', changes: [change('m3')] }] };
      expect(okIds(normalizeMetaPayload(body))).toEqual(['m1', 'm2', 'm3']);
    });

    it('ignores a status Meta no longer documents when it reports deleted', () => {
      const items = normalizeMetaPayload(payload({ statuses: [{ id: 'wamid.a', status: 'deleted', timestamp: '1', recipient_id: '1' }] }));
      expect(items[0]).toMatchObject({ ok: true, event: { kind: 'ignored', reason: expect.stringContaining('deleted') } });
    });

    it('maps an unknown message type to unknown and keeps the raw type', () => {
      const items = normalizeMetaPayload(payload({ messages: [{ ...textMessage('wamid.n', ''), type: 'request_welcome', request_welcome: {} }] }));
      expect(items[0]).toMatchObject({ ok: true, event: { kind: 'inbound_message', type: 'unknown', rawType: 'request_welcome' } });
    });

    it('ignores an unknown field with its name when Meta adds a webhook field', () => {
      const items = normalizeMetaPayload(payload({ anything: true }, 'brand_new_field'));
      expect(items).toEqual([{ ok: true, event: expect.objectContaining({ kind: 'ignored', field: 'brand_new_field' }) }]);
    });

    it('attaches the matching contact profile when a change carries two senders', () => {
      const contacts = [
        { profile: { name: 'Ann' }, wa_id: '111' },
        { profile: { name: 'Bob' }, wa_id: '222' },
      ];
      const messages = [
        { ...textMessage('m1', 'a'), from: '222' },
        { ...textMessage('m2', 'b'), from: '111' },
      ];
      const items = normalizeMetaPayload(payload({ contacts, messages }));
      expect(items.map((i) => (i.ok && i.event.kind === 'inbound_message' ? i.event.from.profileName : null))).toEqual(['Bob', 'Ann']);
    });
  });

  describe('robustness', () => {
    it.each([
      ['null', null],
      ['a string', 'hello'],
      ['an array', []],
      ['an object without entry', { object: 'whatsapp_business_account' }],
      ['entry that is not a list', { entry: { id: 1 } }],
      ['an entry without changes', { entry: [{ id: 'W' }] }],
      ['a change without value', { entry: [{ id: 'W', changes: [{ field: 'messages' }] }] }],
      ['deeply wrong types', { entry: [{ id: 'W', changes: [{ field: 'messages', value: { metadata: 5, messages: 'x', statuses: [5] } }] }] }],
    ])('returns failed items instead of throwing when the payload is %s', (_name, body) => {
      const items = normalizeMetaPayload(body);
      expect(items.length).toBeGreaterThan(0);
      expect(items.some((i) => !i.ok)).toBe(true);
    });

    it('never throws when the payload has fields of unexpected types everywhere', () => {
      const weird = payload({ contacts: 'nope', messages: [{ ...textMessage('wamid.w', 'w'), context: 7, referral: [], errors: 'bad', text: 5 }] });
      const items = normalizeMetaPayload(weird);
      expect(items[0]).toMatchObject({ ok: true, event: { kind: 'inbound_message', providerMessageId: 'wamid.w' } });
    });
  });
});
