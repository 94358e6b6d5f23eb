import type { Template } from '../api/types';

const PLACEHOLDER = /\{\{\s*([\w]+)\s*\}\}/g;

/** The variable names a template's header and body use, in order of first appearance (`1`, `2` or named). */
export function templateVariables(template: Template): string[] {
  const names: string[] = [];
  for (const component of template.components) {
    if (component.type !== 'BODY' && component.type !== 'HEADER') continue;
    for (const match of (component.text ?? '').matchAll(PLACEHOLDER)) if (!names.includes(match[1])) names.push(match[1]);
  }
  return names;
}

/** The text the customer will see: placeholders filled, an empty one shown as `{{name}}` so gaps stay visible. */
export function renderTemplate(template: Template, values: Record<string, string>): { header?: string; body: string; footer?: string; buttons: string[] } {
  const fill = (text = '') => text.replace(PLACEHOLDER, (whole, name: string) => values[name]?.trim() || whole);
  const part = (type: string) => template.components.find((c) => c.type === type);
  const header = part('HEADER');
  return {
    header: header?.text ? fill(header.text) : undefined,
    body: fill(part('BODY')?.text),
    footer: part('FOOTER')?.text,
    buttons: part('BUTTONS')?.buttons?.map((button) => button.text) ?? [],
  };
}

export function allFilled(names: string[], values: Record<string, string>): boolean {
  return names.every((name) => Boolean(values[name]?.trim()));
}
