import { validateButtons } from './template-buttons.validator';
import {
  TEMPLATE_CATEGORIES,
  TEMPLATE_HEADER_FORMATS,
  TEMPLATE_PARAMETER_FORMATS,
  isMediaHeaderFormat,
  type TemplateBodyComponent,
  type TemplateComponent,
  type TemplateDefinition,
  type TemplateFooterComponent,
  type TemplateHeaderComponent,
} from './template-definition';
import { distinctKeys } from './template-placeholders';
import { validateNamedSamples, validatePositionalSamples, validateTextVariables } from './template-text.validator';
import type { TemplateValidationIssue } from './template-validation-issue';

const NAME = /^[a-z0-9_]{1,512}$/;
const LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/;
const MAX_BODY = 1024;
const MAX_HEADER_TEXT = 60;
const MAX_FOOTER = 60;
const SINGLE_COMPONENTS = ['HEADER', 'FOOTER', 'BUTTONS'];
const COMPONENT_TYPES = ['HEADER', 'BODY', 'FOOTER', 'BUTTONS'];

/**
 * The rules Meta applies to `POST /{waba-id}/message_templates`, checked before submitting so
 * a user sees every problem at once. Empty array = valid. AUTHENTICATION-only rules
 * (OTP buttons, fixed body) are not checked.
 */
export function validateTemplateDefinition(def: TemplateDefinition): TemplateValidationIssue[] {
  const issues: TemplateValidationIssue[] = [];
  validateIdentity(def, issues);
  if (!Array.isArray(def.components)) {
    issues.push({ field: 'components', message: 'components must be an array with one BODY' });
    return issues;
  }
  validateComponentCounts(def.components, issues);
  def.components.forEach((component, i) => validateComponent(def, component, `components[${i}]`, issues));
  return issues;
}

function validateIdentity(def: TemplateDefinition, issues: TemplateValidationIssue[]): void {
  if (typeof def.name !== 'string' || !NAME.test(def.name)) {
    issues.push({ field: 'name', message: 'name must be 1–512 lowercase letters, digits or underscores' });
  }
  if (typeof def.language !== 'string' || !LANGUAGE.test(def.language)) {
    issues.push({ field: 'language', message: 'language must be a Meta language code such as es, es_CL or en_US' });
  }
  if (!TEMPLATE_CATEGORIES.includes(def.category)) {
    issues.push({ field: 'category', message: `category must be one of ${TEMPLATE_CATEGORIES.join(', ')}` });
  }
  if (!TEMPLATE_PARAMETER_FORMATS.includes(def.parameterFormat)) {
    issues.push({ field: 'parameterFormat', message: `parameterFormat must be one of ${TEMPLATE_PARAMETER_FORMATS.join(', ')}` });
  }
}

function validateComponentCounts(components: TemplateComponent[], issues: TemplateValidationIssue[]): void {
  const count = (type: string) => components.filter((c) => c?.type === type).length;
  if (count('BODY') !== 1) {
    issues.push({ field: 'components', message: `a template needs exactly one BODY component, found ${count('BODY')}` });
  }
  for (const type of SINGLE_COMPONENTS) {
    if (count(type) > 1) {
      issues.push({ field: 'components', message: `a template may have at most one ${type} component, found ${count(type)}` });
    }
  }
}

function validateComponent(
  def: TemplateDefinition,
  component: TemplateComponent,
  field: string,
  issues: TemplateValidationIssue[],
): void {
  if (!component || !COMPONENT_TYPES.includes(component.type)) {
    issues.push({ field: `${field}.type`, message: `component type must be one of ${COMPONENT_TYPES.join(', ')}` });
    return;
  }
  if (component.type === 'HEADER') validateHeader(def, component, field, issues);
  if (component.type === 'BODY') validateBody(def, component, field, issues);
  if (component.type === 'FOOTER') validateFooter(component, field, issues);
  if (component.type === 'BUTTONS') validateButtons(component.buttons, field, issues);
}

function validateBody(
  def: TemplateDefinition,
  body: TemplateBodyComponent,
  field: string,
  issues: TemplateValidationIssue[],
): void {
  if (!validateLength(body.text, MAX_BODY, `${field}.text`, 'body text', issues)) return;
  const placeholders = validateTextVariables(body.text, def.parameterFormat, `${field}.text`, 'body', issues);
  const trimmed = body.text.trim();
  if (/^\{\{[^{}]*\}\}/.test(trimmed) || /\{\{[^{}]*\}\}$/.test(trimmed)) {
    issues.push({ field: `${field}.text`, message: 'body cannot start or end with a variable; add text before and after it' });
  }
  const keys = distinctKeys(placeholders);
  if (def.parameterFormat === 'NAMED') {
    validateNamedSamples(body.example?.body_text_named_params, keys, `${field}.example.body_text_named_params`, 'body', issues);
    return;
  }
  const rows = body.example?.body_text;
  if (keys.length > 0 && Array.isArray(rows) && rows.length !== 1) {
    issues.push({
      field: `${field}.example.body_text`,
      message: 'example.body_text must hold exactly one row of samples: [["…", "…"]]',
    });
    return;
  }
  validatePositionalSamples(rows?.[0], keys.length, `${field}.example.body_text`, 'body', issues);
}

function validateHeader(
  def: TemplateDefinition,
  header: TemplateHeaderComponent,
  field: string,
  issues: TemplateValidationIssue[],
): void {
  if (!TEMPLATE_HEADER_FORMATS.includes(header.format)) {
    issues.push({ field: `${field}.format`, message: `header format must be one of ${TEMPLATE_HEADER_FORMATS.join(', ')}` });
    return;
  }
  if (header.format === 'TEXT') {
    validateTextHeader(def, header, field, issues);
    return;
  }
  if (header.text !== undefined) {
    issues.push({ field: `${field}.text`, message: `header text is only allowed with format TEXT, not ${header.format}` });
  }
  if (isMediaHeaderFormat(header.format)) {
    const handles = header.example?.header_handle;
    if (!Array.isArray(handles) || handles.length !== 1 || typeof handles[0] !== 'string' || handles[0] === '') {
      issues.push({
        field: `${field}.example.header_handle`,
        message: `${header.format} header needs example.header_handle: ["<upload handle>"]`,
      });
    }
  } else if (def.category === 'AUTHENTICATION') {
    issues.push({ field: `${field}.format`, message: 'LOCATION headers are only allowed in UTILITY and MARKETING templates' });
  }
}

function validateTextHeader(
  def: TemplateDefinition,
  header: TemplateHeaderComponent,
  field: string,
  issues: TemplateValidationIssue[],
): void {
  if (!validateLength(header.text, MAX_HEADER_TEXT, `${field}.text`, 'header text', issues)) return;
  const text = header.text as string;
  const placeholders = validateTextVariables(text, def.parameterFormat, `${field}.text`, 'header', issues);
  const keys = distinctKeys(placeholders);
  if (placeholders.length > 1) {
    issues.push({ field: `${field}.text`, message: `header text allows at most one variable, found ${placeholders.length}` });
    return;
  }
  if (def.parameterFormat === 'NAMED') {
    const samplesField = `${field}.example.header_text_named_params`;
    validateNamedSamples(header.example?.header_text_named_params, keys, samplesField, 'header', issues);
  } else {
    validatePositionalSamples(header.example?.header_text, keys.length, `${field}.example.header_text`, 'header', issues);
  }
}

function validateFooter(footer: TemplateFooterComponent, field: string, issues: TemplateValidationIssue[]): void {
  if (!validateLength(footer.text, MAX_FOOTER, `${field}.text`, 'footer text', issues)) return;
  if (footer.text.includes('{{') || footer.text.includes('}}')) {
    issues.push({ field: `${field}.text`, message: 'footer cannot contain variables' });
  }
}

/** Non-empty string within `max`; false when the text is unusable for further checks. */
function validateLength(
  text: unknown,
  max: number,
  field: string,
  label: string,
  issues: TemplateValidationIssue[],
): text is string {
  if (typeof text !== 'string' || text.trim() === '') {
    issues.push({ field, message: `${label} is required` });
    return false;
  }
  if (text.length > max) {
    issues.push({ field, message: `${label} is ${text.length} characters; the maximum is ${max}` });
  }
  return true;
}
