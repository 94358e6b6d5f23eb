import { DEFAULT_TEMPLATE_SETS, listTemplateSets } from './default-template-sets';
import { findHeader, isMediaHeaderFormat, type TemplateDefinition } from './template-definition';
import { exampleButtonParams, exampleVariables } from './template-examples';
import type { TemplateRenderOptions } from './template-variables';
import { renderTemplate } from './template.renderer';
import { validateTemplateDefinition } from './template.validator';

const allTemplates = Object.entries(DEFAULT_TEMPLATE_SETS).flatMap(([set, templates]) =>
  templates.map((template) => [`${set}/${template.name}`, template] as const),
);

function exampleOptions(def: TemplateDefinition): TemplateRenderOptions {
  const format = findHeader(def)?.format;
  return {
    buttonParams: exampleButtonParams(def),
    ...(format === 'LOCATION' && { headerLocation: { latitude: -33.4489, longitude: -70.6693, name: 'Tienda Centro' } }),
    ...(format && isMediaHeaderFormat(format) && { headerMedia: { link: 'https://cdn.example.com/sample' } }),
  };
}

describe('DEFAULT_TEMPLATE_SETS', () => {
  it('has the four verticals', () => {
    expect(Object.keys(DEFAULT_TEMPLATE_SETS)).toEqual(['tax_accounting', 'recruiting', 'insurance', 'retail']);
  });

  it.each(allTemplates)('%s passes validation', (_name, template) => {
    expect(validateTemplateDefinition(template)).toEqual([]);
  });

  it.each(allTemplates)('%s renders with its own examples and leaves no placeholder', (_name, template) => {
    const result = renderTemplate(template, exampleVariables(template), exampleOptions(template));
    expect(result.text).not.toMatch(/\{\{|\}\}/);
    expect(result.rendered.buttons.every((b) => !b.url?.includes('{{'))).toBe(true);
    expect(result.metaTemplate.name).toBe(template.name);
  });

  it('is written in Spanish for Chile or Latin America', () => {
    expect(new Set(allTemplates.map(([, t]) => t.language))).toEqual(new Set(['es', 'es_CL']));
  });

  it('has unique template names', () => {
    const names = allTemplates.map(([, t]) => t.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('mixes formats, categories, headers and button types', () => {
    const templates = allTemplates.map(([, t]) => t);
    expect(new Set(templates.map((t) => t.parameterFormat))).toEqual(new Set(['POSITIONAL', 'NAMED']));
    expect(new Set(templates.map((t) => t.category))).toEqual(new Set(['UTILITY', 'MARKETING']));
    expect(new Set(templates.map((t) => findHeader(t)?.format).filter(Boolean))).toEqual(new Set(['TEXT', 'LOCATION']));
    const buttonTypes = new Set(templates.flatMap((t) => t.components.flatMap((c) => (c.type === 'BUTTONS' ? c.buttons : []))).map((b) => b.type));
    expect(buttonTypes).toEqual(new Set(['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE']));
  });

  it('sends the tracking code as the URL suffix of the shipped-order button', () => {
    const shipped = DEFAULT_TEMPLATE_SETS.retail.find((t) => t.name === 'pedido_despachado_seguimiento') as TemplateDefinition;
    const result = renderTemplate(shipped, exampleVariables(shipped), exampleOptions(shipped));
    expect(result.metaTemplate.components.at(-1)).toStrictEqual({
      type: 'button',
      sub_type: 'url',
      index: '0',
      parameters: [{ type: 'text', text: 'BX7781234560' }],
    });
    expect(result.text).toBe(
      '¡Tu pedido va en camino!\nHola Fernanda, tu pedido #10517 fue despachado con Blue Express y debería llegar el ' +
        'miércoles 19 de noviembre. Puedes seguir tu envío en todo momento con el botón de abajo.',
    );
  });
});

describe('listTemplateSets', () => {
  it('returns every set with a label and copies that callers can edit', () => {
    const sets = listTemplateSets();
    expect(sets.map((s) => [s.key, s.label])).toEqual([
      ['tax_accounting', 'Contabilidad y tributación'],
      ['recruiting', 'Reclutamiento y selección'],
      ['insurance', 'Corretaje de seguros'],
      ['retail', 'Comercio y retail'],
    ]);
    sets[0].templates[0].name = 'changed';
    expect(DEFAULT_TEMPLATE_SETS.tax_accounting[0].name).toBe('f29_recordatorio_vencimiento');
  });
});
