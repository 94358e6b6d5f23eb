import type {
  ContactCard,
  InteractiveHeader,
  MediaRef,
  OutboundMessage,
  TemplateButtonParameter,
  TemplateComponent,
  TemplateParameter,
} from './outbound-message';

export type MetaJson = Record<string, unknown>;

/** The exact `POST /{phone-number-id}/messages` body for one outbound message. `to` keeps its `+`. */
export function buildMetaMessageBody(to: string, msg: OutboundMessage): MetaJson {
  const body: MetaJson = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: metaType(msg),
  };
  body[metaType(msg)] = buildTypeObject(msg);
  if (msg.replyToProviderMessageId) body.context = { message_id: msg.replyToProviderMessageId };
  if (msg.bizOpaqueCallbackData) body.biz_opaque_callback_data = msg.bizOpaqueCallbackData;
  return body;
}

/** Mark an inbound message read, optionally showing the typing indicator. */
export function buildMarkAsReadBody(providerMessageId: string, typingIndicator = false): MetaJson {
  const body: MetaJson = { messaging_product: 'whatsapp', status: 'read', message_id: providerMessageId };
  if (typingIndicator) body.typing_indicator = { type: 'text' };
  return body;
}

function metaType(msg: OutboundMessage): string {
  return msg.type.startsWith('interactive_') ? 'interactive' : msg.type;
}

function buildTypeObject(msg: OutboundMessage): unknown {
  switch (msg.type) {
    case 'text':
      return compact({ body: msg.body, preview_url: msg.previewUrl });
    case 'image':
    case 'video':
      return compact({ ...media(msg), caption: msg.caption });
    case 'document':
      return compact({ ...media(msg), caption: msg.caption, filename: msg.filename });
    case 'audio':
      return compact({ ...media(msg), voice: msg.voice });
    case 'sticker':
      return media(msg);
    case 'location':
      return compact({ latitude: msg.latitude, longitude: msg.longitude, name: msg.name, address: msg.address });
    case 'contacts':
      return msg.contacts.map(contactCard);
    case 'reaction':
      return { message_id: msg.messageId, emoji: msg.emoji };
    case 'interactive_buttons':
      return interactive('button', msg, {
        buttons: msg.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })),
      });
    case 'interactive_list':
      return interactive('list', msg, {
        button: msg.buttonText,
        sections: msg.sections.map((s) =>
          compact({ title: s.title, rows: s.rows.map((r) => compact({ id: r.id, title: r.title, description: r.description })) }),
        ),
      });
    case 'interactive_cta_url':
      return interactive('cta_url', msg, { name: 'cta_url', parameters: { display_text: msg.displayText, url: msg.url } });
    case 'template':
      return compact({
        name: msg.name,
        language: { code: msg.languageCode },
        components: msg.components?.map(templateComponent),
      });
  }
}

function interactive(
  type: string,
  msg: { header?: InteractiveHeader; body: string; footer?: string },
  action: MetaJson,
): MetaJson {
  return compact({
    type,
    header: msg.header ? interactiveHeader(msg.header) : undefined,
    body: { text: msg.body },
    footer: msg.footer !== undefined ? { text: msg.footer } : undefined,
    action,
  });
}

function interactiveHeader(header: InteractiveHeader): MetaJson {
  if (header.type === 'text') return { type: 'text', text: header.text };
  const object = header.type === 'document' ? compact({ ...media(header), filename: header.filename }) : media(header);
  return { type: header.type, [header.type]: object };
}

function media(ref: MediaRef): MetaJson {
  return ref.mediaId ? { id: ref.mediaId } : { link: ref.link };
}

function contactCard(card: ContactCard): MetaJson {
  return compact({
    name: compact({
      formatted_name: card.name.formattedName,
      first_name: card.name.firstName,
      last_name: card.name.lastName,
      middle_name: card.name.middleName,
      prefix: card.name.prefix,
      suffix: card.name.suffix,
    }),
    phones: card.phones?.map((p) => compact({ phone: p.phone, type: p.type, wa_id: p.waId })),
    emails: card.emails?.map((e) => compact({ email: e.email, type: e.type })),
    org: card.org ? compact({ ...card.org }) : undefined,
    addresses: card.addresses?.map((a) =>
      compact({ street: a.street, city: a.city, state: a.state, zip: a.zip, country: a.country, country_code: a.countryCode, type: a.type }),
    ),
    urls: card.urls?.map((u) => compact({ url: u.url, type: u.type })),
    birthday: card.birthday,
  });
}

function templateComponent(component: TemplateComponent): MetaJson {
  if (component.type === 'button') {
    return {
      type: 'button',
      sub_type: component.subType,
      index: String(component.index),
      parameters: component.parameters.map(buttonParameter),
    };
  }
  return { type: component.type, parameters: component.parameters.map(templateParameter) };
}

function templateParameter(p: TemplateParameter): MetaJson {
  const named = 'parameterName' in p && p.parameterName ? { parameter_name: p.parameterName } : {};
  switch (p.type) {
    case 'text':
      return { type: 'text', ...named, text: p.text };
    case 'currency':
      return { type: 'currency', ...named, currency: { fallback_value: p.fallbackValue, code: p.code, amount_1000: p.amount1000 } };
    case 'date_time':
      return { type: 'date_time', ...named, date_time: { fallback_value: p.fallbackValue } };
    case 'image':
    case 'video':
      return { type: p.type, [p.type]: media(p) };
    case 'document':
      return { type: 'document', document: compact({ ...media(p), filename: p.filename }) };
    case 'location':
      return {
        type: 'location',
        location: compact({ latitude: p.latitude, longitude: p.longitude, name: p.name, address: p.address }),
      };
  }
}

function buttonParameter(p: TemplateButtonParameter): MetaJson {
  switch (p.type) {
    case 'payload':
      return { type: 'payload', payload: p.payload };
    case 'text':
      return { type: 'text', text: p.text };
    case 'coupon_code':
      return { type: 'coupon_code', coupon_code: p.couponCode };
  }
}

/** Drops `undefined` keys so the body carries only what the caller set. */
function compact<T extends Record<string, unknown>>(object: T): MetaJson {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
