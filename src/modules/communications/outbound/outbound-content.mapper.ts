import type { MetaTemplateMessage, MetaTemplateParameter } from '../../templates/template.renderer';
import type {
  ContactCard,
  InteractiveHeader,
  OutboundMessage,
  TemplateButtonParameter,
  TemplateComponent,
  TemplateMessage,
  TemplateParameter,
} from '../../whatsapp/provider/outbound-message';
import type { Violation } from '../../whatsapp/provider/outbound-message.validator';

/** Request types (Meta's `type`); interactive subtypes live in `interactive.type`. */
export const OUTBOUND_REQUEST_TYPES = ['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'reaction', 'interactive', 'template'] as const;
export type OutboundRequestType = (typeof OUTBOUND_REQUEST_TYPES)[number];

type Obj = Record<string, unknown>;

export interface MappedContent {
  message: OutboundMessage | null;
  violations: Violation[];
}

/**
 * The camelCase request object of one non-template type (Meta's shape) → the provider's model.
 * Shape problems are returned as violations (prefixed with the type), never thrown.
 */
export function mapRequestContent(type: OutboundRequestType, content: unknown): MappedContent {
  if (type === 'contacts') {
    if (!Array.isArray(content)) return invalid('contacts', 'must be an array of contact cards');
    return { message: { type: 'contacts', contacts: content.map(camelKeys) as ContactCard[] }, violations: [] };
  }
  if (!content || typeof content !== 'object' || Array.isArray(content)) return invalid(type, 'is required and must be an object');
  const c = content as Obj;
  switch (type) {
    case 'text':
      return ok({ type: 'text', body: c.body as string, ...opt('previewUrl', c.previewUrl ?? c.preview_url) });
    case 'image':
    case 'video':
      return ok({ type, ...mediaRef(c), ...opt('caption', c.caption) });
    case 'document':
      return ok({ type, ...mediaRef(c), ...opt('caption', c.caption), ...opt('filename', c.filename) });
    case 'audio':
      return ok({ type, ...mediaRef(c), ...opt('voice', c.voice) });
    case 'sticker':
      return ok({ type, ...mediaRef(c), ...('caption' in c ? { caption: c.caption } : {}) } as OutboundMessage);
    case 'location':
      return ok({ type, latitude: c.latitude as number, longitude: c.longitude as number, ...opt('name', c.name), ...opt('address', c.address) });
    case 'reaction':
      return ok({ type, messageId: (c.messageId ?? c.message_id) as string, emoji: c.emoji as string });
    case 'interactive':
      return mapInteractive(c);
    default:
      return invalid('type', `unsupported type ${String(type)}`);
  }
}

function mapInteractive(c: Obj): MappedContent {
  const action = (c.action ?? {}) as Obj;
  const common = { body: textOf(c.body) as string, ...opt('footer', textOf(c.footer)), ...(c.header ? { header: mapHeader(c.header as Obj) } : {}) };
  switch (c.type) {
    case 'button': {
      const buttons = Array.isArray(action.buttons) ? (action.buttons as Obj[]) : [];
      const mapped = buttons.map((b) => {
        const reply = ((b?.reply as Obj) ?? b ?? {}) as Obj;
        return { id: reply.id as string, title: reply.title as string };
      });
      return ok({ type: 'interactive_buttons', ...common, buttons: mapped });
    }
    case 'list': {
      const sections = Array.isArray(action.sections) ? (action.sections as Obj[]) : [];
      return ok(<OutboundMessage>{
        type: 'interactive_list',
        ...common,
        ...(c.header ? { header: { type: 'text' as const, text: (c.header as Obj).text as string } } : {}),
        buttonText: (action.buttonText ?? action.button) as string,
        sections: sections.map((s) => ({ ...opt('title', s?.title), rows: (Array.isArray(s?.rows) ? s.rows : []) as Array<{ id: string; title: string; description?: string }> })),
      });
    }
    case 'cta_url': {
      const params = (action.parameters ?? action) as Obj;
      return ok({ type: 'interactive_cta_url', ...common, displayText: (params.displayText ?? params.display_text) as string, url: params.url as string });
    }
    default:
      return invalid('interactive.type', 'must be button, list or cta_url');
  }
}

function mapHeader(h: Obj): InteractiveHeader {
  if (h.type === 'text') return { type: 'text', text: h.text as string };
  const kind = h.type as 'image' | 'video' | 'document';
  const inner = ((h[kind] as Obj) ?? h) as Obj;
  return { type: kind, ...mediaRef(inner), ...(kind === 'document' ? opt('filename', inner.filename) : {}) } as InteractiveHeader;
}

/** Renderer output (Meta snake_case) → the provider's camelCase template model. */
export function metaTemplateToOutbound(template: MetaTemplateMessage): TemplateMessage {
  return {
    type: 'template',
    name: template.name,
    languageCode: template.language.code,
    components: template.components.map((component): TemplateComponent => {
      if (component.type === 'button') {
        return { type: 'button', subType: component.sub_type, index: Number(component.index), parameters: component.parameters.map(buttonParameter) };
      }
      return { type: component.type, parameters: component.parameters.map(templateParameter) };
    }),
  };
}

function templateParameter(p: MetaTemplateParameter): TemplateParameter {
  switch (p.type) {
    case 'text':
      return { type: 'text', text: p.text, ...opt('parameterName', p.parameter_name) };
    case 'image':
      return { type: 'image', ...metaMedia(p.image) };
    case 'video':
      return { type: 'video', ...metaMedia(p.video) };
    case 'document':
      return { type: 'document', ...metaMedia(p.document), ...opt('filename', p.document.filename) };
    case 'location':
      return { type: 'location', latitude: Number(p.location.latitude), longitude: Number(p.location.longitude), ...opt('name', p.location.name), ...opt('address', p.location.address) };
    default:
      return { type: 'text', text: String((p as { payload?: string }).payload ?? '') };
  }
}

function buttonParameter(p: MetaTemplateParameter): TemplateButtonParameter {
  if (p.type === 'payload') return { type: 'payload', payload: p.payload };
  if (p.type === 'coupon_code') return { type: 'coupon_code', couponCode: p.coupon_code };
  return { type: 'text', text: (p as { text: string }).text };
}

function metaMedia(ref: { link?: string; id?: string }): { link?: string; mediaId?: string } {
  return ref.link !== undefined ? { link: ref.link } : { mediaId: ref.id };
}

/** Text kept on the row for history and search (never logged). */
export function contentText(type: OutboundRequestType, content: unknown): string | null {
  const c = (content ?? {}) as Obj;
  switch (type) {
    case 'text':
      return strOrNull(c.body);
    case 'image':
    case 'video':
    case 'document':
      return strOrNull(c.caption) ?? strOrNull(c.filename);
    case 'location':
      return [c.name, c.address].filter((v) => typeof v === 'string').join(' — ') || null;
    case 'contacts':
      return Array.isArray(content) ? content.map((card) => (card as ContactCard)?.name?.formattedName).filter(Boolean).join(', ') : null;
    case 'reaction':
      return strOrNull(c.emoji);
    case 'interactive':
      return strOrNull(textOf(c.body));
    default:
      return null;
  }
}

function mediaRef(c: Obj): { link?: string; mediaId?: string } {
  return { ...opt('link', c.link), ...opt('mediaId', c.mediaId ?? c.id) };
}

function textOf(value: unknown): unknown {
  return value && typeof value === 'object' ? (value as Obj).text : value;
}

function opt<K extends string>(key: K, value: unknown): Partial<Record<K, never>> {
  return value === undefined || value === null ? {} : ({ [key]: value } as Partial<Record<K, never>>);
}

function strOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function ok(message: OutboundMessage): MappedContent {
  return { message, violations: [] };
}

function invalid(field: string, message: string): MappedContent {
  return { message: null, violations: [{ field, message }] };
}

/** Meta's snake_case names (formatted_name, wa_id…) are accepted too; the API's own are camelCase. */
function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase()), camelKeys(inner)]));
}
