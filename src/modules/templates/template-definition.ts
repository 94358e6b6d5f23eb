/**
 * A WhatsApp message template as Meta defines it for `POST /{waba-id}/message_templates`.
 * Components keep Meta's wire shape (uppercase types, snake_case `example` keys) so a
 * definition can be submitted as is; only `parameterFormat` is camelCase here
 * (`toMetaCreatePayload` maps it to `parameter_format`).
 */
export type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
export type TemplateParameterFormat = 'POSITIONAL' | 'NAMED';
export type TemplateHeaderFormat = 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION';
export type TemplateMediaHeaderFormat = 'IMAGE' | 'VIDEO' | 'DOCUMENT';

export const TEMPLATE_CATEGORIES: readonly TemplateCategory[] = ['MARKETING', 'UTILITY', 'AUTHENTICATION'];
export const TEMPLATE_PARAMETER_FORMATS: readonly TemplateParameterFormat[] = ['POSITIONAL', 'NAMED'];
export const TEMPLATE_HEADER_FORMATS: readonly TemplateHeaderFormat[] = ['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'];
export const TEMPLATE_MEDIA_HEADER_FORMATS: readonly TemplateMediaHeaderFormat[] = ['IMAGE', 'VIDEO', 'DOCUMENT'];

export interface NamedParamExample {
  param_name: string;
  example: string;
}

export interface TemplateHeaderComponent {
  type: 'HEADER';
  format: TemplateHeaderFormat;
  /** Only for `TEXT`; at most one variable, 60 characters. */
  text?: string;
  example?: {
    header_text?: string[];
    header_text_named_params?: NamedParamExample[];
    /** Resumable Upload API asset handle (`4::aW...`), required for IMAGE/VIDEO/DOCUMENT. */
    header_handle?: string[];
  };
}

export interface TemplateBodyComponent {
  type: 'BODY';
  text: string;
  example?: {
    /** One row of samples, in `{{1}}..{{n}}` order: `[["Pablo", "860198"]]`. */
    body_text?: string[][];
    body_text_named_params?: NamedParamExample[];
  };
}

export interface TemplateFooterComponent {
  type: 'FOOTER';
  text: string;
}

export interface QuickReplyButton {
  type: 'QUICK_REPLY';
  text: string;
}

export interface UrlButton {
  type: 'URL';
  text: string;
  /** `https://…`, optionally ending in the one variable `{{1}}`. */
  url: string;
  /** Required when `url` has a variable: a full sample URL (or just the sample suffix). */
  example?: string[];
}

export interface PhoneNumberButton {
  type: 'PHONE_NUMBER';
  text: string;
  phone_number: string;
}

export interface CopyCodeButton {
  type: 'COPY_CODE';
  /** Sample code, at most 15 characters; the real one is sent as a `coupon_code` parameter. */
  example: string;
}

export type TemplateButton = QuickReplyButton | UrlButton | PhoneNumberButton | CopyCodeButton;
export type TemplateButtonType = TemplateButton['type'];

export interface TemplateButtonsComponent {
  type: 'BUTTONS';
  buttons: TemplateButton[];
}

export type TemplateComponent =
  | TemplateHeaderComponent
  | TemplateBodyComponent
  | TemplateFooterComponent
  | TemplateButtonsComponent;

export interface TemplateDefinition {
  name: string;
  /** Meta template language code: `es`, `es_CL`, `en_US`. */
  language: string;
  category: TemplateCategory;
  parameterFormat: TemplateParameterFormat;
  components: TemplateComponent[];
}

/** Body of `POST /{waba-id}/message_templates`. */
export interface MetaTemplateCreatePayload {
  name: string;
  language: string;
  category: TemplateCategory;
  parameter_format: TemplateParameterFormat;
  components: TemplateComponent[];
}

export function toMetaCreatePayload(def: TemplateDefinition): MetaTemplateCreatePayload {
  return {
    name: def.name,
    language: def.language,
    category: def.category,
    parameter_format: def.parameterFormat,
    components: def.components,
  };
}

export function findHeader(def: TemplateDefinition): TemplateHeaderComponent | undefined {
  return def.components.find((c): c is TemplateHeaderComponent => c.type === 'HEADER');
}

export function findBody(def: TemplateDefinition): TemplateBodyComponent | undefined {
  return def.components.find((c): c is TemplateBodyComponent => c.type === 'BODY');
}

export function findFooter(def: TemplateDefinition): TemplateFooterComponent | undefined {
  return def.components.find((c): c is TemplateFooterComponent => c.type === 'FOOTER');
}

export function findButtons(def: TemplateDefinition): TemplateButton[] {
  return def.components.find((c): c is TemplateButtonsComponent => c.type === 'BUTTONS')?.buttons ?? [];
}

export function isMediaHeaderFormat(format: TemplateHeaderFormat): format is TemplateMediaHeaderFormat {
  return (TEMPLATE_MEDIA_HEADER_FORMATS as readonly string[]).includes(format);
}
