import { findBody, findButtons, findHeader, type TemplateDefinition } from './template-definition';
import { buttonParamRule } from './template-variables';

/**
 * The definition's own sample values, keyed as `renderTemplate` expects them: a preview with
 * samples (before real data exists) renders exactly what Meta reviewers see.
 */
export function exampleVariables(def: TemplateDefinition): Record<string, string> {
  const header = findHeader(def);
  const body = findBody(def);
  if (def.parameterFormat === 'NAMED') {
    const named = [...(header?.example?.header_text_named_params ?? []), ...(body?.example?.body_text_named_params ?? [])];
    return Object.fromEntries(named.map((p) => [p.param_name, p.example]));
  }
  const headerSamples = (header?.example?.header_text ?? []).map((s, i) => [`header_${i + 1}`, s]);
  const bodySamples = (body?.example?.body_text?.[0] ?? []).map((s, i) => [String(i + 1), s]);
  return Object.fromEntries([...headerSamples, ...bodySamples]);
}

/** URL-suffix and coupon-code samples by button index (quick replies need none). */
export function exampleButtonParams(def: TemplateDefinition): Record<number, string> {
  const params: Record<number, string> = {};
  findButtons(def).forEach((button, i) => {
    if (buttonParamRule(button) !== 'required') return;
    if (button.type === 'COPY_CODE') params[i] = button.example;
    if (button.type === 'URL' && button.example?.[0] !== undefined) params[i] = urlSuffix(button.url, button.example[0]);
  });
  return params;
}

/** Meta shows URL samples as the full URL; the send parameter is only the part after the prefix. */
function urlSuffix(url: string, example: string): string {
  const prefix = url.slice(0, url.indexOf('{{'));
  return example.startsWith(prefix) ? example.slice(prefix.length) : example;
}
