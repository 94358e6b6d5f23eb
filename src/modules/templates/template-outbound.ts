import { buildMetaMessageBody } from '../whatsapp/provider/meta-request-builder';
import type { TemplateButtonParameter, TemplateComponent, TemplateMessage, TemplateParameter } from '../whatsapp/provider/outbound-message';
import type { MetaTemplateMessage, MetaTemplateParameter } from './template.renderer';

/**
 * The renderer's Meta-shaped `template` object as the provider layer's `OutboundMessage`, so the
 * send pipeline sends exactly what a preview showed: `buildMetaMessageBody(to, msg).template`
 * equals `renderTemplate(...).metaTemplate` (the templates e2e test checks it byte for byte).
 */
export function toOutboundTemplateMessage(template: MetaTemplateMessage): TemplateMessage {
  return {
    type: 'template',
    name: template.name,
    languageCode: template.language.code,
    ...(template.components.length > 0 && {
      components: template.components.map((component): TemplateComponent => {
        if (component.type === 'button') {
          return { type: 'button', subType: component.sub_type, index: Number(component.index), parameters: component.parameters.map(buttonParameter) };
        }
        return { type: component.type, parameters: component.parameters.map(parameter) };
      }),
    }),
  };
}

/**
 * The `template` object exactly as the provider layer serialises it (same keys, same key order),
 * for previews: the renderer's object is deep-equal but orders button keys differently.
 */
export function templateAsSent(template: MetaTemplateMessage): MetaTemplateMessage {
  return buildMetaMessageBody('', toOutboundTemplateMessage(template)).template as MetaTemplateMessage;
}

function parameter(p: MetaTemplateParameter): TemplateParameter {
  switch (p.type) {
    case 'text':
      return p.parameter_name === undefined ? { type: 'text', text: p.text } : { type: 'text', text: p.text, parameterName: p.parameter_name };
    case 'image':
    case 'video': {
      const ref = p.type === 'image' ? p.image : p.video;
      return 'id' in ref ? { type: p.type, mediaId: ref.id } : { type: p.type, link: ref.link };
    }
    case 'document': {
      const ref = p.document;
      const file = ref.filename !== undefined ? { filename: ref.filename } : {};
      return 'id' in ref ? { type: 'document', mediaId: ref.id, ...file } : { type: 'document', link: ref.link, ...file };
    }
    case 'location':
      return {
        type: 'location',
        latitude: Number(p.location.latitude),
        longitude: Number(p.location.longitude),
        ...(p.location.name !== undefined && { name: p.location.name }),
        ...(p.location.address !== undefined && { address: p.location.address }),
      };
    default:
      throw new Error(`parameter type ${p.type} is not allowed in a header or body`);
  }
}

function buttonParameter(p: MetaTemplateParameter): TemplateButtonParameter {
  if (p.type === 'payload') return { type: 'payload', payload: p.payload };
  if (p.type === 'coupon_code') return { type: 'coupon_code', couponCode: p.coupon_code };
  if (p.type === 'text') return { type: 'text', text: p.text };
  throw new Error(`parameter type ${p.type} is not allowed in a button`);
}
