import type { TemplateButton, TemplateComponent, TemplateDefinition } from './template-definition';
import { validateTemplateDefinition } from './template.validator';

function positional(overrides: Partial<TemplateDefinition> = {}): TemplateDefinition {
  return {
    name: 'order_update',
    language: 'es_CL',
    category: 'UTILITY',
    parameterFormat: 'POSITIONAL',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Pedido {{1}}', example: { header_text: ['10482'] } },
      { type: 'BODY', text: 'Hola {{1}}, tu pedido {{2}} está listo.', example: { body_text: [['Ana', '10482']] } },
      { type: 'FOOTER', text: 'Gracias por preferirnos' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'URL', text: 'Ver pedido', url: 'https://shop.example.com/o/{{1}}', example: ['https://shop.example.com/o/10482'] },
          { type: 'QUICK_REPLY', text: 'Ayuda' },
        ],
      },
    ],
    ...overrides,
  };
}

function named(body: string, params: string[]): TemplateDefinition {
  return {
    ...positional(),
    parameterFormat: 'NAMED',
    components: [
      { type: 'BODY', text: body, example: { body_text_named_params: params.map((p) => ({ param_name: p, example: 'x' })) } },
    ],
  };
}

function withBody(text: string, samples: string[]): TemplateDefinition {
  return positional({ components: [{ type: 'BODY', text, example: { body_text: [samples] } }] });
}

function withComponent(index: number, component: TemplateComponent): TemplateDefinition {
  const def = positional();
  def.components[index] = component;
  return def;
}

function withButtons(buttons: TemplateButton[]): TemplateDefinition {
  return withComponent(3, { type: 'BUTTONS', buttons });
}

describe('validateTemplateDefinition', () => {
  it('returns no issues when the definition follows every rule', () => {
    expect(validateTemplateDefinition(positional())).toEqual([]);
    expect(validateTemplateDefinition(named('Hola {{first_name}}, pedido {{order_id}} listo.', ['first_name', 'order_id']))).toEqual([]);
  });

  describe('identity', () => {
    it.each([
      ['uppercase letters', 'Order_Update'],
      ['a hyphen', 'order-update'],
      ['no characters', ''],
      ['513 characters', 'a'.repeat(513)],
    ])('rejects a name with %s', (_case, name) => {
      expect(validateTemplateDefinition(positional({ name }))).toEqual([
        { field: 'name', message: 'name must be 1–512 lowercase letters, digits or underscores' },
      ]);
    });

    it.each(['es_cl', 'spanish', 'es-CL', 'ES'])('rejects the language %p', (language) => {
      expect(validateTemplateDefinition(positional({ language }))).toEqual([
        { field: 'language', message: 'language must be a Meta language code such as es, es_CL or en_US' },
      ]);
    });

    it('accepts es, es_CL and en_US', () => {
      for (const language of ['es', 'es_CL', 'en_US']) expect(validateTemplateDefinition(positional({ language }))).toEqual([]);
    });

    it('rejects an unknown category and parameter format', () => {
      const def = positional({ category: 'PROMO' as never, parameterFormat: 'MIXED' as never });
      expect(validateTemplateDefinition(def)).toEqual(
        expect.arrayContaining([
          { field: 'category', message: 'category must be one of MARKETING, UTILITY, AUTHENTICATION' },
          { field: 'parameterFormat', message: 'parameterFormat must be one of POSITIONAL, NAMED' },
        ]),
      );
    });
  });

  describe('components', () => {
    it('reports a missing BODY', () => {
      const def = positional({ components: [{ type: 'FOOTER', text: 'Hola' }] });
      expect(validateTemplateDefinition(def)).toEqual([
        { field: 'components', message: 'a template needs exactly one BODY component, found 0' },
      ]);
    });

    it('reports two BODY and two FOOTER components', () => {
      const body: TemplateComponent = { type: 'BODY', text: 'Hola, gracias.' };
      const footer: TemplateComponent = { type: 'FOOTER', text: 'Pie' };
      const issues = validateTemplateDefinition(positional({ components: [body, body, footer, footer] }));
      expect(issues).toEqual([
        { field: 'components', message: 'a template needs exactly one BODY component, found 2' },
        { field: 'components', message: 'a template may have at most one FOOTER component, found 2' },
      ]);
    });

    it('reports an unknown component type', () => {
      const issues = validateTemplateDefinition(withComponent(2, { type: 'CAROUSEL' } as never));
      expect(issues).toEqual([{ field: 'components[2].type', message: 'component type must be one of HEADER, BODY, FOOTER, BUTTONS' }]);
    });
  });

  describe('body', () => {
    it('rejects a body longer than 1024 characters', () => {
      const issues = validateTemplateDefinition(withBody(`Hola ${'a'.repeat(1020)}`, []));
      expect(issues).toEqual([{ field: 'components[0].text', message: 'body text is 1025 characters; the maximum is 1024' }]);
    });

    it('rejects positional variables with a gap', () => {
      const issues = validateTemplateDefinition(withBody('Hola {{1}}, pedido {{3}} listo.', ['a', 'b']));
      expect(issues).toContainEqual({
        field: 'components[0].text',
        message: 'body variables must be numbered {{1}}..{{2}} in order without gaps; found {{1}}, {{3}}',
      });
    });

    it('rejects positional variables that do not start at 1 or are out of order', () => {
      expect(validateTemplateDefinition(withBody('Hola {{2}}, listo.', ['a']))[0].message).toContain('numbered {{1}}..{{1}}');
      expect(validateTemplateDefinition(withBody('Hola {{2}} y {{1}} ok.', ['a', 'b']))[0].message).toContain('found {{2}}, {{1}}');
    });

    it('rejects a variable at the very start or end of the body', () => {
      const start = validateTemplateDefinition(withBody('{{1}}, tu pedido está listo.', ['Ana']));
      const end = validateTemplateDefinition(withBody('Tu pedido está listo, {{1}}', ['Ana']));
      const message = 'body cannot start or end with a variable; add text before and after it';
      expect(start).toEqual([{ field: 'components[0].text', message }]);
      expect(end).toEqual([{ field: 'components[0].text', message }]);
    });

    it('rejects malformed placeholders and mismatched braces', () => {
      const issues = validateTemplateDefinition(withBody('Hola {{first-name}}, pedido {{1} listo.', []));
      expect(issues).toEqual(
        expect.arrayContaining([
          { field: 'components[0].text', message: 'body has mismatched curly braces; write variables as {{1}} or {{snake_case}}' },
          { field: 'components[0].text', message: 'body variable {{first-name}} is invalid; use {{1}}, {{2}}… or a {{snake_case}} name' },
        ]),
      );
    });

    it('rejects named variables in a POSITIONAL template', () => {
      const issues = validateTemplateDefinition(withBody('Hola {{name}}, listo.', []));
      expect(issues).toEqual([
        { field: 'components[0].text', message: 'body uses named variables ({{name}}) but parameterFormat is POSITIONAL' },
      ]);
    });

    it('rejects positional variables mixed into a NAMED template', () => {
      const issues = validateTemplateDefinition(named('Hola {{name}}, pedido {{1}} listo.', ['name']));
      expect(issues).toEqual([
        {
          field: 'components[0].text',
          message: 'body uses positional variables ({{1}}) but parameterFormat is NAMED; formats cannot be mixed',
        },
      ]);
    });

    it('rejects a repeated named variable', () => {
      const issues = validateTemplateDefinition(named('Hola {{name}}, adiós {{name}} ok.', ['name']));
      expect(issues).toEqual([{ field: 'components[0].text', message: 'body repeats named variables {{name}}; each must be unique' }]);
    });
  });

  describe('examples', () => {
    it('requires one body sample per positional variable', () => {
      const missing = positional({ components: [{ type: 'BODY', text: 'Hola {{1}}, pedido {{2}} ok.' }] });
      expect(validateTemplateDefinition(missing)).toEqual([
        {
          field: 'components[0].example.body_text',
          message: 'body has 2 variable(s) but no example values; add one sample per variable',
        },
      ]);
      expect(validateTemplateDefinition(withBody('Hola {{1}}, pedido {{2}} ok.', ['Ana']))).toEqual([
        { field: 'components[0].example.body_text', message: 'body has 2 variable(s) but 1 example value(s)' },
      ]);
    });

    it('rejects empty sample strings', () => {
      expect(validateTemplateDefinition(withBody('Hola {{1}}, listo.', [' ']))).toEqual([
        { field: 'components[0].example.body_text', message: 'body example values must be non-empty strings' },
      ]);
    });

    it('requires body_text to be a single row', () => {
      const def = positional({ components: [{ type: 'BODY', text: 'Hola {{1}}, ok.', example: { body_text: [['a'], ['b']] } }] });
      expect(validateTemplateDefinition(def)).toEqual([
        { field: 'components[0].example.body_text', message: 'example.body_text must hold exactly one row of samples: [["…", "…"]]' },
      ]);
    });

    it('requires a named example for every named variable and none for unused names', () => {
      const issues = validateTemplateDefinition(named('Hola {{first_name}}, pedido {{order_id}} ok.', ['first_name', 'other']));
      expect(issues).toEqual([
        { field: 'components[0].example.body_text_named_params', message: 'body needs an example for {{order_id}}' },
        { field: 'components[0].example.body_text_named_params', message: 'body has examples for variables it does not use: other' },
      ]);
    });

    it('requires a header sample when the header has a variable', () => {
      const issues = validateTemplateDefinition(withComponent(0, { type: 'HEADER', format: 'TEXT', text: 'Pedido {{1}}' }));
      expect(issues).toEqual([
        { field: 'components[0].example.header_text', message: 'header has 1 variable(s) but no example values; add one sample per variable' },
      ]);
    });

    it('requires a URL sample when the URL has a variable', () => {
      const issues = validateTemplateDefinition(withButtons([{ type: 'URL', text: 'Abrir', url: 'https://shop.example.com/o/{{1}}' }]));
      expect(issues).toEqual([
        { field: 'components[3].buttons[0].example', message: 'URL button with a variable needs example: ["<sample full URL>"]' },
      ]);
    });
  });

  describe('header', () => {
    it('rejects header text longer than 60 characters', () => {
      const issues = validateTemplateDefinition(withComponent(0, { type: 'HEADER', format: 'TEXT', text: 'a'.repeat(61) }));
      expect(issues).toEqual([{ field: 'components[0].text', message: 'header text is 61 characters; the maximum is 60' }]);
    });

    it('rejects more than one header variable', () => {
      const header: TemplateComponent = { type: 'HEADER', format: 'TEXT', text: '{{1}} y {{2}}', example: { header_text: ['a', 'b'] } };
      expect(validateTemplateDefinition(withComponent(0, header))).toEqual([
        { field: 'components[0].text', message: 'header text allows at most one variable, found 2' },
      ]);
    });

    it('rejects an unknown header format', () => {
      const issues = validateTemplateDefinition(withComponent(0, { type: 'HEADER', format: 'AUDIO' as never }));
      expect(issues).toEqual([
        { field: 'components[0].format', message: 'header format must be one of TEXT, IMAGE, VIDEO, DOCUMENT, LOCATION' },
      ]);
    });

    it('requires an upload handle for media headers and no text', () => {
      const issues = validateTemplateDefinition(withComponent(0, { type: 'HEADER', format: 'IMAGE', text: 'Hola' }));
      expect(issues).toEqual([
        { field: 'components[0].text', message: 'header text is only allowed with format TEXT, not IMAGE' },
        { field: 'components[0].example.header_handle', message: 'IMAGE header needs example.header_handle: ["<upload handle>"]' },
      ]);
    });

    it('rejects a LOCATION header in an AUTHENTICATION template', () => {
      const def = withComponent(0, { type: 'HEADER', format: 'LOCATION' });
      def.category = 'AUTHENTICATION';
      expect(validateTemplateDefinition(def)).toEqual([
        { field: 'components[0].format', message: 'LOCATION headers are only allowed in UTILITY and MARKETING templates' },
      ]);
    });
  });

  describe('footer', () => {
    it('rejects a footer longer than 60 characters', () => {
      const issues = validateTemplateDefinition(withComponent(2, { type: 'FOOTER', text: 'a'.repeat(61) }));
      expect(issues).toEqual([{ field: 'components[2].text', message: 'footer text is 61 characters; the maximum is 60' }]);
    });

    it('rejects variables in the footer', () => {
      const issues = validateTemplateDefinition(withComponent(2, { type: 'FOOTER', text: 'Hola {{1}}' }));
      expect(issues).toEqual([{ field: 'components[2].text', message: 'footer cannot contain variables' }]);
    });
  });
});
