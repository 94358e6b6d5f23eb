import { INSURANCE_TEMPLATES } from './default-sets/insurance.template-set';
import { RECRUITING_TEMPLATES } from './default-sets/recruiting.template-set';
import { RETAIL_TEMPLATES } from './default-sets/retail.template-set';
import { TAX_ACCOUNTING_TEMPLATES } from './default-sets/tax-accounting.template-set';
import type { TemplateDefinition } from './template-definition';

/** Spanish starter templates per business vertical, each valid under `validateTemplateDefinition`. */
export const DEFAULT_TEMPLATE_SETS: Record<string, TemplateDefinition[]> = {
  tax_accounting: TAX_ACCOUNTING_TEMPLATES,
  recruiting: RECRUITING_TEMPLATES,
  insurance: INSURANCE_TEMPLATES,
  retail: RETAIL_TEMPLATES,
};

const LABELS: Record<string, string> = {
  tax_accounting: 'Contabilidad y tributación',
  recruiting: 'Reclutamiento y selección',
  insurance: 'Corretaje de seguros',
  retail: 'Comercio y retail',
};

export interface TemplateSet {
  key: string;
  label: string;
  templates: TemplateDefinition[];
}

/** Every set with its Spanish label; templates are copies, so callers may edit them freely. */
export function listTemplateSets(): TemplateSet[] {
  return Object.entries(DEFAULT_TEMPLATE_SETS).map(([key, templates]) => ({
    key,
    label: LABELS[key] ?? key,
    templates: structuredClone(templates),
  }));
}
