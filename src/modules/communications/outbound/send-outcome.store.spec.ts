import { WhatsappProviderError } from '../../whatsapp/provider/provider-errors';
import { failureFields, retryDelayMs } from './send-outcome.store';
import { requestHash } from './request-hash';
import { mapRequestContent, metaTemplateToOutbound } from './outbound-content.mapper';

describe('send-outcome.store', () => {
  describe('retryDelayMs', () => {
    it('doubles from the provider hint per attempt, with at most 25 % jitter', () => {
      expect(retryDelayMs({ retryAfterMs: 2000 }, 1, () => 0)).toBe(2000);
      expect(retryDelayMs({ retryAfterMs: 2000 }, 3, () => 0)).toBe(8000);
      expect(retryDelayMs({ retryAfterMs: undefined }, 2, () => 1)).toBe(2500);
      expect(retryDelayMs({ retryAfterMs: 10 ** 9 }, 1, () => 0)).toBe(300_000);
    });
  });

  describe('failureFields', () => {
    it("keeps Meta's numeric code and details when there is one", () => {
      const error = new WhatsappProviderError({ kind: 'undeliverable', retryable: false, message: 'x', providerCode: 131026, providerMessage: '(#131026) Message Undeliverable.', providerDetails: 'Message Undeliverable.' });
      expect(failureFields(error)).toEqual({ errorCode: '131026', errorTitle: '(#131026) Message Undeliverable.', errorMessage: 'Message Undeliverable.' });
    });
  });
});

describe('requestHash', () => {
  it('ignores key order and undefined values when the body is the same', () => {
    expect(requestHash({ a: 1, b: { c: [1, 2], d: undefined } })).toBe(requestHash({ b: { c: [1, 2] }, a: 1 }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
  });
});

describe('outbound-content.mapper', () => {
  it('maps Meta-shaped camelCase interactive buttons to the provider model', () => {
    const { message, violations } = mapRequestContent('interactive', { type: 'button', body: { text: 'Hi' }, action: { buttons: [{ type: 'reply', reply: { id: 'y', title: 'Yes' } }] } });
    expect(violations).toEqual([]);
    expect(message).toEqual({ type: 'interactive_buttons', body: 'Hi', buttons: [{ id: 'y', title: 'Yes' }] });
  });

  it('reports a missing type object as a violation', () => {
    expect(mapRequestContent('image', undefined).violations).toEqual([{ field: 'image', message: 'is required and must be an object' }]);
  });

  it("turns the renderer's Meta template into the provider's camelCase template", () => {
    const message = metaTemplateToOutbound({
      name: 't',
      language: { code: 'es' },
      components: [
        { type: 'body', parameters: [{ type: 'text', parameter_name: 'name', text: 'Ana' }] },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'abc' }] },
      ],
    });
    expect(message).toEqual({
      type: 'template',
      name: 't',
      languageCode: 'es',
      components: [
        { type: 'body', parameters: [{ type: 'text', text: 'Ana', parameterName: 'name' }] },
        { type: 'button', subType: 'url', index: 0, parameters: [{ type: 'text', text: 'abc' }] },
      ],
    });
  });
});
