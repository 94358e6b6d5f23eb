import type { TemplateButton, TemplateDefinition } from './template-definition';
import { validateTemplateDefinition } from './template.validator';

function withButtons(buttons: TemplateButton[]): TemplateDefinition {
  return {
    name: 'order_update',
    language: 'es',
    category: 'UTILITY',
    parameterFormat: 'POSITIONAL',
    components: [
      { type: 'BODY', text: 'Tu pedido está listo.' },
      { type: 'BUTTONS', buttons },
    ],
  };
}

const qr = (text = 'Sí'): TemplateButton => ({ type: 'QUICK_REPLY', text });
const url = (u = 'https://shop.example.com/o', example?: string[]): TemplateButton => ({
  type: 'URL',
  text: 'Abrir',
  url: u,
  ...(example && { example }),
});

describe('validateTemplateDefinition', () => {
  describe('buttons', () => {
    it('rejects more than 10 buttons', () => {
      const issues = validateTemplateDefinition(withButtons(Array.from({ length: 11 }, (_, i) => qr(`Opción ${i}`))));
      expect(issues).toEqual([{ field: 'components[1].buttons', message: 'at most 10 buttons are allowed, found 11' }]);
    });

    it('rejects an empty buttons list', () => {
      expect(validateTemplateDefinition(withButtons([]))).toEqual([
        { field: 'components[1].buttons', message: 'a BUTTONS component needs between 1 and 10 buttons' },
      ]);
    });

    it('rejects more than 2 URL buttons, 1 PHONE_NUMBER and 1 COPY_CODE', () => {
      const phone: TemplateButton = { type: 'PHONE_NUMBER', text: 'Llamar', phone_number: '+56223456789' };
      const code: TemplateButton = { type: 'COPY_CODE', example: 'ABC' };
      const issues = validateTemplateDefinition(withButtons([url(), url(), url(), phone, phone, code, code]));
      expect(issues).toEqual([
        { field: 'components[1].buttons', message: 'at most 2 URL button(s) are allowed, found 3' },
        { field: 'components[1].buttons', message: 'at most 1 PHONE_NUMBER button(s) are allowed, found 2' },
        { field: 'components[1].buttons', message: 'at most 1 COPY_CODE button(s) are allowed, found 2' },
      ]);
    });

    it('rejects quick replies that are not grouped together', () => {
      expect(validateTemplateDefinition(withButtons([qr(), url(), qr('No')]))).toEqual([
        {
          field: 'components[1].buttons',
          message: 'QUICK_REPLY buttons must be grouped together, all before or all after the other buttons',
        },
      ]);
      expect(validateTemplateDefinition(withButtons([url(), qr(), qr('No')]))).toEqual([]);
    });

    it('rejects button text longer than 25 characters, empty, or with variables', () => {
      const issues = validateTemplateDefinition(withButtons([qr('a'.repeat(26)), qr(''), qr('Hola {{1}}')]));
      expect(issues).toEqual([
        { field: 'components[1].buttons[0].text', message: 'button text is 26 characters; the maximum is 25' },
        { field: 'components[1].buttons[1].text', message: 'button text is required' },
        { field: 'components[1].buttons[2].text', message: 'button text cannot contain variables' },
      ]);
    });

    it('rejects a URL that is not https', () => {
      expect(validateTemplateDefinition(withButtons([url('http://shop.example.com')]))).toEqual([
        { field: 'components[1].buttons[0].url', message: 'URL button url must start with https://' },
      ]);
    });

    it('rejects more than one URL variable or one that is not at the end', () => {
      const two = url('https://shop.example.com/{{1}}/{{2}}', ['https://shop.example.com/a/b']);
      const middle = url('https://shop.example.com/{{1}}/detalle', ['https://shop.example.com/a/detalle']);
      expect(validateTemplateDefinition(withButtons([two]))).toEqual([
        { field: 'components[1].buttons[0].url', message: 'URL button url may contain at most one variable, {{1}}' },
      ]);
      expect(validateTemplateDefinition(withButtons([middle]))).toEqual([
        { field: 'components[1].buttons[0].url', message: 'URL button variable must be {{1}} at the very end of the url' },
      ]);
    });

    it('rejects a phone number with letters and a copy code longer than 15 characters', () => {
      const phone: TemplateButton = { type: 'PHONE_NUMBER', text: 'Llamar', phone_number: 'call-me' };
      const code: TemplateButton = { type: 'COPY_CODE', example: 'A'.repeat(16) };
      expect(validateTemplateDefinition(withButtons([phone, code]))).toEqual([
        {
          field: 'components[1].buttons[0].phone_number',
          message: 'PHONE_NUMBER button needs phone_number with digits only (optional leading +), at most 20 characters',
        },
        { field: 'components[1].buttons[1].example', message: 'COPY_CODE button needs an example code of 1 to 15 characters' },
      ]);
    });

    it('rejects an unknown button type', () => {
      expect(validateTemplateDefinition(withButtons([{ type: 'OTP', text: 'x' } as never]))).toEqual([
        { field: 'components[1].buttons[0].type', message: 'button type must be one of QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE' },
      ]);
    });
  });
});
