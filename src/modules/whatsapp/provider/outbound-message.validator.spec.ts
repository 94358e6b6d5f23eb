import { validateOutboundMessage } from './outbound-message.validator';

const TO = '+56912345678';
const fields = (violations: Array<{ field: string }>) => violations.map((v) => v.field);

describe('outbound-message.validator', () => {
  describe('validateOutboundMessage', () => {
    it('returns no violations when a full list message respects every limit', () => {
      const violations = validateOutboundMessage(TO, {
        type: 'interactive_list',
        header: { type: 'text', text: 'Menú' },
        body: 'Elige',
        footer: 'Pie',
        buttonText: 'Ver',
        sections: [
          { title: 'A', rows: [{ id: 'a1', title: 'Uno', description: 'd'.repeat(72) }] },
          { title: 'B', rows: [{ id: 'b1', title: 'Dos' }] },
        ],
      });
      expect(violations).toEqual([]);
    });

    it('reports every list limit when a list breaks them', () => {
      const violations = validateOutboundMessage(TO, {
        type: 'interactive_list',
        header: { type: 'text', text: 'h'.repeat(61) },
        body: 'b',
        buttonText: 'b'.repeat(21),
        sections: [
          { rows: [{ id: 'x', title: 't'.repeat(25), description: 'd'.repeat(73) }] },
          { title: 's'.repeat(25), rows: [{ id: 'x', title: 'ok' }] },
        ],
      });
      expect(fields(violations)).toEqual(
        expect.arrayContaining(['header.text', 'buttonText', 'sections[0].title', 'sections[1].title', 'sections[0].rows[0].title', 'sections[0].rows[0].description', 'sections']),
      );
    });

    it('reports button limits when titles, ids and footer are too long', () => {
      const violations = validateOutboundMessage(TO, {
        type: 'interactive_buttons',
        body: 'b'.repeat(1025),
        footer: 'f'.repeat(61),
        buttons: [{ id: 'i'.repeat(257), title: 't'.repeat(21) }],
      });
      expect(fields(violations)).toEqual(['body', 'footer', 'buttons[0].id', 'buttons[0].title']);
    });

    it('rejects a cta_url with an http url and an over-long display text', () => {
      const violations = validateOutboundMessage(TO, { type: 'interactive_cta_url', body: 'b', displayText: 'd'.repeat(21), url: 'http://x.example' });
      expect(fields(violations)).toEqual(['displayText', 'url']);
    });

    it('rejects a template that mixes named and positional body parameters', () => {
      const violations = validateOutboundMessage(TO, {
        type: 'template',
        name: 'welcome',
        languageCode: 'en_US',
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'a', parameterName: 'first_name' }, { type: 'text', text: 'b' }] }],
      });
      expect(fields(violations)).toEqual(['components[0].parameters']);
    });

    it('rejects a template name with capitals and a media message with neither link nor id', () => {
      expect(fields(validateOutboundMessage(TO, { type: 'template', name: 'Welcome', languageCode: 'en_US' }))).toEqual(['name']);
      expect(fields(validateOutboundMessage(TO, { type: 'document', filename: 'a.pdf' }))).toEqual(['media']);
    });

    it('rejects an out-of-range location and an empty contacts list', () => {
      expect(fields(validateOutboundMessage(TO, { type: 'location', latitude: 91, longitude: -181 }))).toEqual(['latitude', 'longitude']);
      expect(fields(validateOutboundMessage(TO, { type: 'contacts', contacts: [] }))).toEqual(['contacts']);
    });

    it('accepts an empty emoji when removing a reaction', () => {
      expect(validateOutboundMessage(TO, { type: 'reaction', messageId: 'wamid.X', emoji: '' })).toEqual([]);
    });
  });
});
