import { conversationKey } from './conversation-key';
import type { InboundMessageEvent, StatusEvent, TemplateStatusEvent } from '../../../domain/normalized-event.types';

const inbound = (from: InboundMessageEvent['from']): InboundMessageEvent => ({
  kind: 'inbound_message',
  provider: 'meta',
  phoneNumberId: 'PN',
  providerMessageId: 'm',
  timestamp: new Date(0),
  from,
  type: 'text',
  rawType: 'text',
  content: {},
});

describe('conversationKey', () => {
  it('uses the wa_id when the sender has one, even with a BSUID', () => {
    expect(conversationKey(inbound({ waId: '15551234567', bsuid: 'US.1' }))).toBe('PN:wa:15551234567');
  });

  it('uses the BSUID when the sender has no wa_id', () => {
    expect(conversationKey(inbound({ bsuid: 'US.1' }))).toBe('PN:bsuid:US.1');
  });

  it('matches the wa_id key when Kapso only gives an E.164 phone', () => {
    expect(conversationKey(inbound({ phone: '+1 555-123-4567' }))).toBe('PN:wa:15551234567');
  });

  it('keys a status by its recipient so it orders with the conversation', () => {
    const status: StatusEvent = {
      kind: 'status',
      provider: 'meta',
      phoneNumberId: 'PN',
      providerMessageId: 'm',
      status: 'read',
      timestamp: new Date(0),
      recipient: { waId: '15551234567' },
    };
    expect(conversationKey(status)).toBe(conversationKey(inbound({ waId: '15551234567' })));
  });

  it('returns undefined when the event belongs to no conversation', () => {
    const template: TemplateStatusEvent = { kind: 'template_status', provider: 'meta', event: 'APPROVED' };
    expect(conversationKey(template)).toBeUndefined();
    expect(conversationKey(inbound({}))).toBeUndefined();
  });
});
