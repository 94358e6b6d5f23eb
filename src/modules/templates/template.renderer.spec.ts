import { DomainError } from '../../common/errors/domain-error';
import type { TemplateDefinition } from './template-definition';
import { renderTemplate } from './template.renderer';
import type { TemplateRenderOptions, TemplateVariables } from './template-variables';

const positional: TemplateDefinition = {
  name: 'order_shipped',
  language: 'es',
  category: 'UTILITY',
  parameterFormat: 'POSITIONAL',
  components: [
    { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1hZ2U='] } },
    {
      type: 'BODY',
      text: 'Hola {{1}}, tu pedido #{{2}} fue despachado y llega el {{3}}.',
      example: { body_text: [['Ana', '10482', 'jueves 20']] },
    },
    { type: 'FOOTER', text: 'Tienda Ejemplo' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'URL', text: 'Seguir envío', url: 'https://shop.example.com/track/{{1}}', example: ['https://shop.example.com/track/BX1'] },
        { type: 'QUICK_REPLY', text: 'Necesito ayuda' },
        { type: 'PHONE_NUMBER', text: 'Llamar', phone_number: '+56223456789' },
      ],
    },
  ],
};

const named: TemplateDefinition = {
  name: 'policy_renewal',
  language: 'es_CL',
  category: 'UTILITY',
  parameterFormat: 'NAMED',
  components: [
    { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1hZ2U='] } },
    {
      type: 'BODY',
      text: 'Hola {{first_name}}, tu póliza {{policy_number}} vence el {{due_date}}. Gracias, {{first_name}}.',
      example: {
        body_text_named_params: [
          { param_name: 'first_name', example: 'Rodrigo' },
          { param_name: 'policy_number', example: '4410' },
          { param_name: 'due_date', example: '1 de diciembre' },
        ],
      },
    },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'URL', text: 'Renovar', url: 'https://seguros.example.com/renovar/{{1}}', example: ['https://seguros.example.com/renovar/4410'] },
      ],
    },
  ],
};

const textHeader: TemplateDefinition = {
  ...positional,
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Pedido {{1}}', example: { header_text: ['10482'] } },
    { type: 'BODY', text: 'Hola {{1}}, ya va en camino.', example: { body_text: [['Ana']] } },
  ],
};

function violations(def: TemplateDefinition, variables: TemplateVariables, options: TemplateRenderOptions = {}): unknown {
  try {
    renderTemplate(def, variables, options);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    const domainError = error as DomainError;
    expect(domainError.code).toBe('TEMPLATE_VARIABLES_INVALID');
    expect(domainError.status).toBe(422);
    return domainError.details;
  }
  throw new Error('expected renderTemplate to throw');
}

describe('renderTemplate', () => {
  describe('positional templates', () => {
    const options = { headerMedia: { link: 'https://cdn.example.com/p.jpg' }, buttonParams: { 0: 'BX77/81', 1: 'HELP_10482' } };

    it('builds the exact Meta template object when the header is an image and a URL button has a suffix', () => {
      const result = renderTemplate(positional, ['Ana', '10482', 'jueves 20'], options);
      expect(result.metaTemplate).toStrictEqual({
        name: 'order_shipped',
        language: { code: 'es' },
        components: [
          { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/p.jpg' } }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ana' },
              { type: 'text', text: '10482' },
              { type: 'text', text: 'jueves 20' },
            ],
          },
          { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'BX77/81' }] },
          { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'HELP_10482' }] },
        ],
      });
    });

    it('renders the text the user sees when the variables are filled', () => {
      const result = renderTemplate(positional, ['Ana', '10482', 'jueves 20'], options);
      expect(result.rendered).toStrictEqual({
        headerMedia: { format: 'IMAGE', link: 'https://cdn.example.com/p.jpg' },
        body: 'Hola Ana, tu pedido #10482 fue despachado y llega el jueves 20.',
        footer: 'Tienda Ejemplo',
        buttons: [
          { type: 'URL', text: 'Seguir envío', url: 'https://shop.example.com/track/BX77/81' },
          { type: 'QUICK_REPLY', text: 'Necesito ayuda', payload: 'HELP_10482' },
          { type: 'PHONE_NUMBER', text: 'Llamar', phoneNumber: '+56223456789' },
        ],
      });
      expect(result.text).toBe('Hola Ana, tu pedido #10482 fue despachado y llega el jueves 20.\nTienda Ejemplo');
    });

    it('accepts a record keyed 1..n when given instead of an array', () => {
      const fromArray = renderTemplate(positional, ['Ana', '10482', 'jueves 20'], options);
      const fromRecord = renderTemplate(positional, { 3: 'jueves 20', 1: 'Ana', 2: '10482' }, options);
      expect(fromRecord).toStrictEqual(fromArray);
    });

    it('omits the quick-reply component when no payload is given', () => {
      const result = renderTemplate(positional, ['Ana', '10482', 'jueves 20'], { ...options, buttonParams: { 0: 'BX1' } });
      expect(result.metaTemplate.components.map((c) => c.type)).toEqual(['header', 'body', 'button']);
    });

    it('takes the header text variable as header_1 when the header has one', () => {
      const result = renderTemplate(textHeader, { header_1: '10482', 1: 'Ana' });
      expect(result.metaTemplate.components).toStrictEqual([
        { type: 'header', parameters: [{ type: 'text', text: '10482' }] },
        { type: 'body', parameters: [{ type: 'text', text: 'Ana' }] },
      ]);
      expect(result.text).toBe('Pedido 10482\nHola Ana, ya va en camino.');
    });

    it('is deterministic when rendered twice from the same inputs', () => {
      const first = renderTemplate(positional, ['Ana', '10482', 'jueves 20'], options);
      const second = renderTemplate(positional, ['Ana', '10482', 'jueves 20'], options);
      expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    });
  });

  describe('named templates', () => {
    it('adds parameter_name to each body parameter and sends a repeated name once', () => {
      const variables = { due_date: '1 de diciembre', first_name: 'Rodrigo', policy_number: '4410-228761' };
      const result = renderTemplate(named, variables, { headerMedia: { id: '1234567890' }, buttonParams: { 0: '4410-228761' } });
      expect(result.metaTemplate).toStrictEqual({
        name: 'policy_renewal',
        language: { code: 'es_CL' },
        components: [
          { type: 'header', parameters: [{ type: 'image', image: { id: '1234567890' } }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', parameter_name: 'first_name', text: 'Rodrigo' },
              { type: 'text', parameter_name: 'policy_number', text: '4410-228761' },
              { type: 'text', parameter_name: 'due_date', text: '1 de diciembre' },
            ],
          },
          { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '4410-228761' }] },
        ],
      });
      expect(result.text).toBe('Hola Rodrigo, tu póliza 4410-228761 vence el 1 de diciembre. Gracias, Rodrigo.');
      expect(result.rendered.buttons).toStrictEqual([
        { type: 'URL', text: 'Renovar', url: 'https://seguros.example.com/renovar/4410-228761' },
      ]);
    });

    it('names the header parameter when a named header has a variable', () => {
      const def: TemplateDefinition = {
        ...named,
        components: [
          { type: 'HEADER', format: 'TEXT', text: 'Póliza {{policy_number}}' },
          { type: 'BODY', text: 'Hola {{first_name}}, revisa tu póliza.' },
        ],
      };
      const result = renderTemplate(def, { policy_number: '4410', first_name: 'Rodrigo' });
      expect(result.metaTemplate.components[0]).toStrictEqual({
        type: 'header',
        parameters: [{ type: 'text', parameter_name: 'policy_number', text: '4410' }],
      });
      expect(result.rendered.header).toBe('Póliza 4410');
    });
  });

  describe('other headers and buttons', () => {
    it('sends a location header and a coupon code', () => {
      const def: TemplateDefinition = {
        ...positional,
        components: [
          { type: 'HEADER', format: 'LOCATION' },
          { type: 'BODY', text: 'Hola {{1}}, tu pedido te espera.', example: { body_text: [['Ana']] } },
          { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: 'CLIENTE15' }] },
        ],
      };
      const location = { latitude: -33.4372, longitude: -70.6506, name: 'Tienda Centro', address: 'Huérfanos 1234, Santiago' };
      const result = renderTemplate(def, ['Ana'], { headerLocation: location, buttonParams: { 0: 'ANA15' } });
      expect(result.metaTemplate.components).toStrictEqual([
        { type: 'header', parameters: [{ type: 'location', location }] },
        { type: 'body', parameters: [{ type: 'text', text: 'Ana' }] },
        { type: 'button', sub_type: 'copy_code', index: '0', parameters: [{ type: 'coupon_code', coupon_code: 'ANA15' }] },
      ]);
    });

    it('adds the filename to a document header', () => {
      const def: TemplateDefinition = {
        ...textHeader,
        components: [{ type: 'HEADER', format: 'DOCUMENT', example: { header_handle: ['4::x'] } }, textHeader.components[1]],
      };
      const result = renderTemplate(def, ['Ana'], { headerMedia: { link: 'https://cdn.example.com/f29.pdf', filename: 'F29.pdf' } });
      expect(result.metaTemplate.components[0]).toStrictEqual({
        type: 'header',
        parameters: [{ type: 'document', document: { link: 'https://cdn.example.com/f29.pdf', filename: 'F29.pdf' } }],
      });
    });
  });

  describe('invalid variables', () => {
    it('lists every missing, extra and malformed variable in one error', () => {
      const details = violations(positional, { 1: '', 2: 'a\nb', 4: 'x', foo: 'y' } as Record<string, string>, {
        buttonParams: { 2: 'no-param-for-phone' },
      });
      expect(details).toStrictEqual({
        missing: ['3', 'button_0', 'header_media'],
        extra: ['4', 'foo', 'button_2'],
        malformed: [
          { name: '1', reason: 'must not be empty' },
          { name: '2', reason: 'must not contain newlines or tabs' },
        ],
      });
    });

    it('reports values Meta rejects: non-strings, tabs, 5 spaces in a row, more than 1024 characters', () => {
      const values = [42, 'a\tb', 'a     b', 'x'.repeat(1025)] as unknown as string[];
      const def: TemplateDefinition = {
        ...positional,
        components: [{ type: 'BODY', text: 'Hola {{1}} {{2}} {{3}} {{4}} ok.', example: { body_text: [['a', 'b', 'c', 'd']] } }],
      };
      expect(violations(def, values)).toStrictEqual({
        missing: [],
        extra: [],
        malformed: [
          { name: '1', reason: 'must be a string' },
          { name: '2', reason: 'must not contain newlines or tabs' },
          { name: '3', reason: 'must not contain more than 4 consecutive spaces' },
          { name: '4', reason: 'must be at most 1024 characters' },
        ],
      });
    });

    it('reports extra array entries by their position', () => {
      const details = violations(positional, ['Ana', '10482', 'jueves', 'sobra'], {
        headerMedia: { link: 'https://cdn.example.com/p.jpg' },
        buttonParams: { 0: 'BX1' },
      });
      expect(details).toStrictEqual({ missing: [], extra: ['4'], malformed: [] });
    });

    it('reports header media given with both link and id, and media for a template without one', () => {
      const both = violations(positional, ['Ana', '1', 'hoy'], {
        headerMedia: { link: 'https://cdn.example.com/p.jpg', id: '123' },
        buttonParams: { 0: 'BX1' },
      });
      expect(both).toStrictEqual({ missing: [], extra: [], malformed: [{ name: 'header_media', reason: 'give exactly one of link or id' }] });
      const unexpected = violations(textHeader, { header_1: '1', 1: 'Ana' }, { headerMedia: { id: '1' } });
      expect(unexpected).toStrictEqual({ missing: [], extra: ['header_media'], malformed: [] });
    });

    it('reports named variables as missing when a named template gets an array', () => {
      const details = violations(named, ['Rodrigo'], { headerMedia: { id: '1' }, buttonParams: { 0: '4410' } });
      expect(details).toStrictEqual({ missing: ['first_name', 'policy_number', 'due_date'], extra: ['1'], malformed: [] });
    });

    it('names the problems in the error message', () => {
      expect(() => renderTemplate(named, { first_name: 'Rodrigo' }, { headerMedia: { id: '1' }, buttonParams: { 0: 'x' } })).toThrow(
        'Variables for template policy_renewal are invalid; missing: policy_number, due_date',
      );
    });
  });
});
