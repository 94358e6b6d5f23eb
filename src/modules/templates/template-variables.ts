import { DomainError } from '../../common/errors/domain-error';
import {
  findBody,
  findButtons,
  findHeader,
  isMediaHeaderFormat,
  type TemplateButton,
  type TemplateDefinition,
} from './template-definition';
import { distinctKeys, parsePlaceholders } from './template-placeholders';
import { TemplatesErrorCode } from './templates.errors';

/**
 * Variable keys a caller supplies when sending a template:
 * - POSITIONAL: body `{{1}}..{{n}}` → `'1'..'n'` (or an array, index 0 → `{{1}}`);
 *   the header's own `{{1}}` → `'header_1'` (Meta numbers header and body separately).
 * - NAMED: the parameter name; a name used in header and body takes one value.
 * Button parameters are not variables: they go in `buttonParams` (see template.renderer).
 */
export type TemplateVariables = string[] | Record<string, string>;

export interface HeaderMediaInput {
  link?: string;
  id?: string;
  /** DOCUMENT headers only: the file name shown to the user. */
  filename?: string;
}

export interface HeaderLocationInput {
  latitude: number | string;
  longitude: number | string;
  name?: string;
  address?: string;
}

export interface TemplateRenderOptions {
  /** Required for IMAGE/VIDEO/DOCUMENT headers: exactly one of `link` or `id`. */
  headerMedia?: HeaderMediaInput;
  /** Required for LOCATION headers. */
  headerLocation?: HeaderLocationInput;
  /**
   * Keyed by the button's position in the BUTTONS component (Meta's `index`): the URL suffix
   * for a URL button ending in `{{1}}` (required), the payload for a QUICK_REPLY (optional),
   * the code for COPY_CODE (required). Reported as `button_<index>` in errors.
   */
  buttonParams?: Record<number, string>;
}

export interface TemplateVariablesViolations {
  missing: string[];
  extra: string[];
  malformed: Array<{ name: string; reason: string }>;
}

export const MAX_PARAMETER_LENGTH = 1024;

/** The variable keys `renderTemplate` expects, header first, in order of appearance. */
export function listTemplateVariables(def: TemplateDefinition): string[] {
  const header = findHeader(def);
  const headerKeys = header?.format === 'TEXT' && header.text ? keysOf(header.text, def) : [];
  const bodyKeys = keysOf(findBody(def)?.text ?? '', def);
  if (def.parameterFormat === 'NAMED') return [...new Set([...headerKeys, ...bodyKeys])];
  return [...headerKeys.map((k) => `header_${k}`), ...bodyKeys];
}

/** Which buttons take a parameter: `'required'`, `'optional'` (quick-reply payload) or none. */
export function buttonParamRule(button: TemplateButton): 'required' | 'optional' | undefined {
  if (button.type === 'URL') return button.url.includes('{{') ? 'required' : undefined;
  if (button.type === 'COPY_CODE') return 'required';
  if (button.type === 'QUICK_REPLY') return 'optional';
  return undefined;
}

/**
 * Checks every input against the definition and throws one `TEMPLATE_VARIABLES_INVALID`
 * listing all missing, extra and malformed entries; returns the variables as a record.
 */
export function resolveTemplateInputs(
  def: TemplateDefinition,
  variables: TemplateVariables,
  options: TemplateRenderOptions,
): Record<string, string> {
  const v: TemplateVariablesViolations = { missing: [], extra: [], malformed: [] };
  const values = toRecord(variables, v);
  const expected = listTemplateVariables(def);
  for (const key of expected) checkValue(key, values[key], v);
  v.extra.push(...Object.keys(values).filter((key) => !expected.includes(key)));
  checkButtonParams(findButtons(def), options.buttonParams ?? {}, v);
  checkHeaderInputs(def, options, v);
  if (v.missing.length > 0 || v.extra.length > 0 || v.malformed.length > 0) {
    throw new DomainError(TemplatesErrorCode.TemplateVariablesInvalid, describe(def.name, v), { ...v });
  }
  return values as Record<string, string>;
}

/** Meta rejects parameters that are empty, too long, or hold newlines, tabs or 5+ spaces in a row. */
export function parameterProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.trim() === '') return 'must not be empty';
  if (value.length > MAX_PARAMETER_LENGTH) return `must be at most ${MAX_PARAMETER_LENGTH} characters`;
  if (/[\n\r\t]/.test(value)) return 'must not contain newlines or tabs';
  if (/ {5,}/.test(value)) return 'must not contain more than 4 consecutive spaces';
  return undefined;
}

function keysOf(text: string, def: TemplateDefinition): string[] {
  const kind = def.parameterFormat === 'NAMED' ? 'named' : 'positional';
  return distinctKeys(parsePlaceholders(text).placeholders.filter((p) => p.kind === kind));
}

function toRecord(variables: TemplateVariables, v: TemplateVariablesViolations): Record<string, unknown> {
  if (Array.isArray(variables)) return Object.fromEntries(variables.map((value, i) => [String(i + 1), value]));
  if (variables !== null && typeof variables === 'object') return { ...variables };
  v.malformed.push({ name: 'variables', reason: 'must be an array or an object' });
  return {};
}

function checkValue(name: string, value: unknown, v: TemplateVariablesViolations): void {
  if (value === undefined) {
    v.missing.push(name);
    return;
  }
  const reason = parameterProblem(value);
  if (reason) v.malformed.push({ name, reason });
}

function checkButtonParams(buttons: TemplateButton[], params: Record<number, string>, v: TemplateVariablesViolations): void {
  buttons.forEach((button, i) => {
    if (buttonParamRule(button) === 'required' && params[i] === undefined) v.missing.push(`button_${i}`);
  });
  for (const [key, value] of Object.entries(params)) {
    const button = /^(0|[1-9][0-9]*)$/.test(key) ? buttons[Number(key)] : undefined;
    if (!button || !buttonParamRule(button)) v.extra.push(`button_${key}`);
    else checkValue(`button_${key}`, value, v);
  }
}

function checkHeaderInputs(def: TemplateDefinition, options: TemplateRenderOptions, v: TemplateVariablesViolations): void {
  const format = findHeader(def)?.format;
  const media = options.headerMedia;
  if (format && isMediaHeaderFormat(format)) {
    if (media === undefined) v.missing.push('header_media');
    else if (!hasExactlyOne(media)) v.malformed.push({ name: 'header_media', reason: 'give exactly one of link or id' });
  } else if (media !== undefined) {
    v.extra.push('header_media');
  }
  const location = options.headerLocation;
  if (format === 'LOCATION') {
    if (location === undefined) v.missing.push('header_location');
    else if (!isCoordinate(location.latitude, 90) || !isCoordinate(location.longitude, 180)) {
      v.malformed.push({ name: 'header_location', reason: 'latitude and longitude must be decimal degrees' });
    }
  } else if (location !== undefined) {
    v.extra.push('header_location');
  }
}

function hasExactlyOne(media: HeaderMediaInput): boolean {
  const link = typeof media.link === 'string' && /^https?:\/\/\S+$/.test(media.link);
  const id = typeof media.id === 'string' && media.id.trim() !== '';
  return link !== id && (media.link === undefined || media.id === undefined);
}

function isCoordinate(value: unknown, limit: number): boolean {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && Math.abs(n) <= limit;
}

function describe(name: string, v: TemplateVariablesViolations): string {
  const parts = [
    v.missing.length > 0 ? `missing: ${v.missing.join(', ')}` : '',
    v.extra.length > 0 ? `unexpected: ${v.extra.join(', ')}` : '',
    v.malformed.length > 0 ? `malformed: ${v.malformed.map((m) => `${m.name} (${m.reason})`).join(', ')}` : '',
  ];
  return `Variables for template ${name} are invalid; ${parts.filter(Boolean).join('; ')}`;
}
