import { DomainError } from '../../common/errors/domain-error';
import {
  findBody,
  findButtons,
  findFooter,
  findHeader,
  isMediaHeaderFormat,
  type TemplateButton,
  type TemplateDefinition,
  type TemplateHeaderComponent,
  type TemplateMediaHeaderFormat,
} from './template-definition';
import { fillPlaceholders } from './template-placeholders';
import {
  buttonParamRule,
  listTemplateVariables,
  resolveTemplateInputs,
  type HeaderLocationInput,
  type TemplateRenderOptions,
  type TemplateVariables,
} from './template-variables';
import { TemplatesErrorCode } from './templates.errors';

type MediaType = 'image' | 'video' | 'document';
type MediaRef = { link: string; filename?: string } | { id: string; filename?: string };

export type MetaTemplateParameter =
  | { type: 'text'; parameter_name?: string; text: string }
  | { type: 'image'; image: MediaRef }
  | { type: 'video'; video: MediaRef }
  | { type: 'document'; document: MediaRef }
  | { type: 'location'; location: HeaderLocationInput }
  | { type: 'payload'; payload: string }
  | { type: 'coupon_code'; coupon_code: string };

export type MetaTemplateComponent =
  | { type: 'header' | 'body'; parameters: MetaTemplateParameter[] }
  | { type: 'button'; sub_type: 'url' | 'quick_reply' | 'copy_code'; index: string; parameters: MetaTemplateParameter[] };

/** The `template` object of a Cloud API `type: "template"` message. */
export interface MetaTemplateMessage {
  name: string;
  language: { code: string };
  components: MetaTemplateComponent[];
}

export interface RenderedButton {
  type: TemplateButton['type'];
  text: string;
  url?: string;
  phoneNumber?: string;
  /** QUICK_REPLY payload when given. */
  payload?: string;
  /** COPY_CODE: the code copied to the clipboard. */
  code?: string;
}

export interface RenderedTemplate {
  rendered: {
    header?: string;
    headerMedia?: { format: TemplateMediaHeaderFormat | 'LOCATION'; link?: string; id?: string; location?: HeaderLocationInput };
    body: string;
    footer?: string;
    buttons: RenderedButton[];
  };
  /** Header, body and footer text joined by newlines, for message history and search. */
  text: string;
  metaTemplate: MetaTemplateMessage;
}

/**
 * Fills a template for preview and for sending from the same inputs, so the preview is what
 * Meta receives. Pure and deterministic: parameters follow `{{1}}..{{n}}` (positional) or first
 * appearance (named); components are header, body, then buttons by index.
 * Throws `TEMPLATE_VARIABLES_INVALID` (422) listing every missing, extra and malformed input.
 */
export function renderTemplate(
  def: TemplateDefinition,
  variables: TemplateVariables,
  options: TemplateRenderOptions = {},
): RenderedTemplate {
  const body = findBody(def);
  if (!body) throw new DomainError(TemplatesErrorCode.TemplateDefinitionInvalid, `Template ${def.name} has no BODY component`);
  const values = resolveTemplateInputs(def, variables, options);
  const header = findHeader(def);
  const headerText = header?.format === 'TEXT' && header.text ? fillText(def, 'header', header.text, values) : undefined;
  const bodyText = fillText(def, 'body', body.text, values);
  const footerText = findFooter(def)?.text;
  const buttons = findButtons(def);
  const params = options.buttonParams ?? {};
  return {
    rendered: {
      ...(headerText !== undefined && { header: headerText }),
      ...(header && header.format !== 'TEXT' && { headerMedia: renderedHeaderMedia(header, options) }),
      body: bodyText,
      ...(footerText !== undefined && { footer: footerText }),
      buttons: buttons.map((button, i) => renderButton(button, params[i])),
    },
    text: [headerText, bodyText, footerText].filter((part) => part !== undefined).join('\n'),
    metaTemplate: {
      name: def.name,
      language: { code: def.language },
      components: [
        ...headerComponent(def, header, values, options),
        ...bodyComponent(def, values),
        ...buttons.flatMap((button, i) => buttonComponent(button, i, params[i])),
      ],
    },
  };
}

/** Positional header variables are keyed `header_<n>` because Meta numbers header and body separately. */
function fillText(def: TemplateDefinition, scope: 'header' | 'body', text: string, values: Record<string, string>): string {
  const prefix = def.parameterFormat === 'POSITIONAL' && scope === 'header' ? 'header_' : '';
  return fillPlaceholders(text, (key) => values[`${prefix}${key}`]);
}

function headerComponent(
  def: TemplateDefinition,
  header: TemplateHeaderComponent | undefined,
  values: Record<string, string>,
  options: TemplateRenderOptions,
): MetaTemplateComponent[] {
  if (!header) return [];
  if (header.format === 'LOCATION' && options.headerLocation) {
    return [{ type: 'header', parameters: [{ type: 'location', location: options.headerLocation }] }];
  }
  if (isMediaHeaderFormat(header.format) && options.headerMedia) {
    return [{ type: 'header', parameters: [mediaParameter(header.format, options)] }];
  }
  const keys = listTemplateVariables({ ...def, components: [header] });
  if (keys.length === 0) return [];
  const named = def.parameterFormat === 'NAMED';
  return [{ type: 'header', parameters: keys.map((key) => textParameter(values[key], named ? key : undefined)) }];
}

function bodyComponent(def: TemplateDefinition, values: Record<string, string>): MetaTemplateComponent[] {
  const body = findBody(def);
  const keys = body ? listTemplateVariables({ ...def, components: [body] }) : [];
  if (keys.length === 0) return [];
  const named = def.parameterFormat === 'NAMED';
  return [{ type: 'body', parameters: keys.map((key) => textParameter(values[key], named ? key : undefined)) }];
}

function buttonComponent(button: TemplateButton, index: number, param: string | undefined): MetaTemplateComponent[] {
  if (param === undefined || !buttonParamRule(button)) return [];
  const base = { type: 'button' as const, index: String(index) };
  if (button.type === 'URL') return [{ ...base, sub_type: 'url', parameters: [{ type: 'text', text: param }] }];
  if (button.type === 'COPY_CODE') {
    return [{ ...base, sub_type: 'copy_code', parameters: [{ type: 'coupon_code', coupon_code: param }] }];
  }
  return [{ ...base, sub_type: 'quick_reply', parameters: [{ type: 'payload', payload: param }] }];
}

function renderButton(button: TemplateButton, param: string | undefined): RenderedButton {
  switch (button.type) {
    case 'URL':
      return { type: button.type, text: button.text, url: fillPlaceholders(button.url, () => param ?? '') };
    case 'PHONE_NUMBER':
      return { type: button.type, text: button.text, phoneNumber: button.phone_number };
    case 'COPY_CODE':
      return { type: button.type, text: 'Copy code', ...(param !== undefined && { code: param }) };
    case 'QUICK_REPLY':
      return { type: button.type, text: button.text, ...(param !== undefined && { payload: param }) };
  }
}

function textParameter(text: string, parameterName: string | undefined): MetaTemplateParameter {
  return parameterName === undefined ? { type: 'text', text } : { type: 'text', parameter_name: parameterName, text };
}

function mediaParameter(format: TemplateMediaHeaderFormat, options: TemplateRenderOptions): MetaTemplateParameter {
  const { link, id, filename } = options.headerMedia ?? {};
  const file = format === 'DOCUMENT' && filename !== undefined ? { filename } : {};
  const ref: MediaRef = link !== undefined ? { link, ...file } : { id: id as string, ...file };
  const type = format.toLowerCase() as MediaType;
  if (type === 'image') return { type, image: ref };
  if (type === 'video') return { type, video: ref };
  return { type, document: ref };
}

function renderedHeaderMedia(
  header: TemplateHeaderComponent,
  options: TemplateRenderOptions,
): RenderedTemplate['rendered']['headerMedia'] {
  if (header.format === 'LOCATION') return { format: 'LOCATION', location: options.headerLocation };
  const { link, id } = options.headerMedia ?? {};
  return { format: header.format as TemplateMediaHeaderFormat, ...(link !== undefined && { link }), ...(id !== undefined && { id }) };
}
