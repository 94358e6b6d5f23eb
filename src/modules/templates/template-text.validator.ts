import type { NamedParamExample, TemplateParameterFormat } from './template-definition';
import { distinctKeys, parsePlaceholders, type Placeholder } from './template-placeholders';
import type { TemplateValidationIssue } from './template-validation-issue';

/**
 * Variable syntax in a HEADER or BODY text: valid tokens, no mismatched braces, one format,
 * positional `{{1}}..{{n}}` in order without gaps, named variables unique.
 * Returns the valid placeholders of the template's format.
 */
export function validateTextVariables(
  text: string,
  format: TemplateParameterFormat,
  field: string,
  label: string,
  issues: TemplateValidationIssue[],
): Placeholder[] {
  const { placeholders, hasStrayBraces } = parsePlaceholders(text);
  if (hasStrayBraces) {
    issues.push({ field, message: `${label} has mismatched curly braces; write variables as {{1}} or {{snake_case}}` });
  }
  for (const p of placeholders.filter((x) => x.kind === 'invalid')) {
    issues.push({ field, message: `${label} variable ${p.raw} is invalid; use {{1}}, {{2}}… or a {{snake_case}} name` });
  }
  const positional = placeholders.filter((p) => p.kind === 'positional');
  const named = placeholders.filter((p) => p.kind === 'named');
  if (format === 'POSITIONAL' && named.length > 0) {
    issues.push({ field, message: `${label} uses named variables (${tokens(named)}) but parameterFormat is POSITIONAL` });
  }
  if (format === 'NAMED' && positional.length > 0) {
    issues.push({
      field,
      message: `${label} uses positional variables (${tokens(positional)}) but parameterFormat is NAMED; formats cannot be mixed`,
    });
  }
  if (format === 'POSITIONAL') checkSequence(positional, field, label, issues);
  if (format === 'NAMED') checkUnique(named, field, label, issues);
  return format === 'POSITIONAL' ? positional : named;
}

/** Positional samples: exactly one non-empty string per variable. */
export function validatePositionalSamples(
  samples: unknown,
  count: number,
  field: string,
  label: string,
  issues: TemplateValidationIssue[],
): void {
  if (count === 0) return;
  if (!Array.isArray(samples)) {
    issues.push({ field, message: `${label} has ${count} variable(s) but no example values; add one sample per variable` });
  } else if (samples.length !== count) {
    issues.push({ field, message: `${label} has ${count} variable(s) but ${samples.length} example value(s)` });
  } else if (!samples.every(isSample)) {
    issues.push({ field, message: `${label} example values must be non-empty strings` });
  }
}

/** Named samples: `{param_name, example}` for exactly the names used. */
export function validateNamedSamples(
  samples: unknown,
  names: string[],
  field: string,
  label: string,
  issues: TemplateValidationIssue[],
): void {
  if (names.length === 0 && samples === undefined) return;
  const list = Array.isArray(samples) ? (samples as NamedParamExample[]) : [];
  const given = list.map((s) => s?.param_name);
  const missing = names.filter((n) => !given.includes(n));
  const unknown = given.filter((n) => !names.includes(n));
  if (missing.length > 0) {
    issues.push({ field, message: `${label} needs an example for ${missing.map((n) => `{{${n}}}`).join(', ')}` });
  }
  if (unknown.length > 0) {
    issues.push({ field, message: `${label} has examples for variables it does not use: ${unknown.join(', ')}` });
  }
  if (!list.every((s) => isSample(s?.example))) {
    issues.push({ field, message: `${label} example values must be non-empty strings` });
  }
}

function checkSequence(positional: Placeholder[], field: string, label: string, issues: TemplateValidationIssue[]): void {
  const keys = distinctKeys(positional);
  const expected = keys.map((_, i) => String(i + 1));
  if (keys.join(',') !== expected.join(',')) {
    issues.push({
      field,
      message: `${label} variables must be numbered {{1}}..{{${keys.length}}} in order without gaps; found ${tokens(positional)}`,
    });
  }
}

function checkUnique(named: Placeholder[], field: string, label: string, issues: TemplateValidationIssue[]): void {
  const keys = named.map((p) => p.key);
  const repeated = [...new Set(keys.filter((k, i) => keys.indexOf(k) !== i))];
  if (repeated.length > 0) {
    const names = repeated.map((k) => `{{${k}}}`).join(', ');
    issues.push({ field, message: `${label} repeats named variables ${names}; each must be unique` });
  }
}

function tokens(placeholders: Placeholder[]): string {
  return placeholders.map((p) => p.raw).join(', ');
}

function isSample(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}
