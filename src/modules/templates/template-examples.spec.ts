import type { TemplateDefinition } from './template-definition';
import { exampleButtonParams, exampleVariables } from './template-examples';
import { listTemplateVariables } from './template-variables';

const positional: TemplateDefinition = {
  name: 'order_update',
  language: 'es',
  category: 'UTILITY',
  parameterFormat: 'POSITIONAL',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Pedido {{1}}', example: { header_text: ['10482'] } },
    { type: 'BODY', text: 'Hola {{1}}, llega el {{2}}.', example: { body_text: [['Ana', 'jueves']] } },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Ayuda' },
        { type: 'URL', text: 'Ver', url: 'https://shop.example.com/o/{{1}}', example: ['https://shop.example.com/o/10482'] },
        { type: 'URL', text: 'Pagar', url: 'https://pay.example.com/?id={{1}}', example: ['ABC'] },
        { type: 'COPY_CODE', example: 'ANA15' },
      ],
    },
  ],
};

const named: TemplateDefinition = {
  ...positional,
  parameterFormat: 'NAMED',
  components: [
    {
      type: 'HEADER',
      format: 'TEXT',
      text: 'Hola {{first_name}}',
      example: { header_text_named_params: [{ param_name: 'first_name', example: 'Ana' }] },
    },
    {
      type: 'BODY',
      text: 'Gracias {{first_name}}, pedido {{order_id}} listo.',
      example: {
        body_text_named_params: [
          { param_name: 'first_name', example: 'Ana' },
          { param_name: 'order_id', example: '10482' },
        ],
      },
    },
  ],
};

describe('listTemplateVariables', () => {
  it('lists header_1 then body positions when the template is POSITIONAL', () => {
    expect(listTemplateVariables(positional)).toEqual(['header_1', '1', '2']);
  });

  it('lists each name once when header and body share it in a NAMED template', () => {
    expect(listTemplateVariables(named)).toEqual(['first_name', 'order_id']);
  });
});

describe('exampleVariables', () => {
  it('keys positional samples like the renderer expects', () => {
    expect(exampleVariables(positional)).toEqual({ header_1: '10482', 1: 'Ana', 2: 'jueves' });
  });

  it('keys named samples by parameter name', () => {
    expect(exampleVariables(named)).toEqual({ first_name: 'Ana', order_id: '10482' });
  });
});

describe('exampleButtonParams', () => {
  it('strips the static URL prefix from full-URL samples and keeps bare suffix samples', () => {
    expect(exampleButtonParams(positional)).toEqual({ 1: '10482', 2: 'ABC', 3: 'ANA15' });
  });
});
