import { mapRequestContent } from './outbound-content.mapper';

describe('mapRequestContent', () => {
  describe("Meta's snake_case names, accepted beside the API's camelCase", () => {
    it.each([
      ['text previewUrl', 'text', { body: 'Hola https://x.cl', preview_url: true }, { type: 'text', body: 'Hola https://x.cl', previewUrl: true }],
      ['reaction messageId', 'reaction', { message_id: 'wamid.X', emoji: '👍' }, { type: 'reaction', messageId: 'wamid.X', emoji: '👍' }],
      [
        'cta_url displayText',
        'interactive',
        { type: 'cta_url', body: { text: 'Pague aquí' }, action: { name: 'cta_url', parameters: { display_text: 'Pagar', url: 'https://pagos.example.com' } } },
        { type: 'interactive_cta_url', body: 'Pague aquí', displayText: 'Pagar', url: 'https://pagos.example.com' },
      ],
      [
        'contact card formattedName',
        'contacts',
        [{ name: { formatted_name: 'Ana Pérez', first_name: 'Ana' }, phones: [{ phone: '+56911112222', wa_id: '56911112222' }] }],
        { type: 'contacts', contacts: [{ name: { formattedName: 'Ana Pérez', firstName: 'Ana' }, phones: [{ phone: '+56911112222', waId: '56911112222' }] }] },
      ],
    ] as const)('maps %s', (_label, type, content, expected) => {
      const { message, violations } = mapRequestContent(type, content);
      expect(violations).toEqual([]);
      expect(message).toEqual(expected);
    });
  });

  it('takes cta_url displayText and url directly under action as well', () => {
    const { message } = mapRequestContent('interactive', { type: 'cta_url', body: { text: 'Pague' }, action: { displayText: 'Pagar', url: 'https://pagos.example.com' } });
    expect(message).toMatchObject({ displayText: 'Pagar', url: 'https://pagos.example.com' });
  });
});
