/** A Meta-shaped rejection: `(#code) message` plus `error_data.details`. */
export interface GraphRejection {
  status: number;
  code: number;
  message: string;
  details: string;
}

type Json = Record<string, unknown>;

const SUPPORTED_TYPES = ['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'reaction', 'interactive', 'template'];
const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'];

/** Checks a `/messages` send body roughly the way the Cloud API does; null when accepted. */
export function validateGraphSendBody(body: unknown): GraphRejection | null {
  if (!isObject(body)) return invalid(100, 'Invalid parameter', 'Request body must be a JSON object');
  if (body.messaging_product !== 'whatsapp') return invalid(100, 'Invalid parameter', "The parameter messaging_product is required and must be 'whatsapp'");
  if (typeof body.to !== 'string' || !/^\+?\d{6,15}$/.test(body.to)) {
    return invalid(100, 'Invalid parameter', "Param to must be a phone number (digits, optional leading '+')");
  }
  const type = body.type ?? 'text';
  if (typeof type !== 'string' || !SUPPORTED_TYPES.includes(type)) {
    return invalid(100, 'Invalid parameter', `Param type must be one of {${SUPPORTED_TYPES.join(', ').toUpperCase()}} - got "${String(type)}".`);
  }
  const object = body[type];
  if (object === undefined) return invalid(100, 'The parameter is required.', `The parameter ${type} is required.`);
  if (isObject(body.context) && typeof body.context.message_id !== 'string') return invalid(100, 'Invalid parameter', 'context.message_id is required');
  return validateTypeObject(type, object);
}

function validateTypeObject(type: string, object: unknown): GraphRejection | null {
  if (type === 'contacts') return Array.isArray(object) && object.length > 0 ? null : invalid(100, 'Invalid parameter', 'contacts must be a non-empty array');
  if (!isObject(object)) return invalid(100, 'Invalid parameter', `Param ${type} must be an object`);
  if (type === 'text') return validateText(object);
  if (MEDIA_TYPES.includes(type)) return validateMedia(type, object);
  if (type === 'location') return typeof object.latitude === 'number' && typeof object.longitude === 'number' ? null : missing(`${type}['latitude']`);
  if (type === 'reaction') return typeof object.message_id === 'string' && typeof object.emoji === 'string' ? null : missing("reaction['message_id']");
  if (type === 'interactive') return validateInteractive(object);
  return validateTemplate(object);
}

function validateText(text: Json): GraphRejection | null {
  if (typeof text.body !== 'string' || text.body.length === 0) return missing("text['body']");
  if ([...text.body].length > 4096) return invalid(100, 'Invalid parameter', "Param text['body'] must be at most 4096 characters long.");
  return null;
}

function validateMedia(type: string, media: Json): GraphRejection | null {
  const hasId = typeof media.id === 'string';
  const hasLink = typeof media.link === 'string';
  if (hasId === hasLink) return invalid(100, 'Invalid parameter', `Param ${type} must have exactly one of id or link`);
  if ((type === 'audio' || type === 'sticker') && media.caption !== undefined) return invalid(100, 'Invalid parameter', `Param ${type}['caption'] is not supported`);
  if (typeof media.caption === 'string' && [...media.caption].length > 1024) return invalid(100, 'Invalid parameter', `Param ${type}['caption'] must be at most 1024 characters long.`);
  return null;
}

function validateInteractive(interactive: Json): GraphRejection | null {
  const type = interactive.type;
  if (!['button', 'list', 'cta_url'].includes(String(type))) return invalid(100, 'Invalid parameter', `Param interactive['type'] must be one of {BUTTON, LIST, CTA_URL, ...}`);
  if (!isObject(interactive.body) || typeof interactive.body.text !== 'string') return missing("interactive['body']['text']");
  if (!isObject(interactive.action)) return missing("interactive['action']");
  const action = interactive.action;
  if (type === 'button') {
    const buttons = Array.isArray(action.buttons) ? (action.buttons as Json[]) : [];
    if (buttons.length < 1 || buttons.length > 3) return invalid(131009, 'Parameter value is not valid', 'Buttons count should be between 1 and 3');
    const titles = buttons.map((b) => (isObject(b.reply) ? b.reply.title : undefined));
    if (titles.some((t) => typeof t !== 'string' || [...t].length > 20)) return invalid(131009, 'Parameter value is not valid', 'Button title length invalid. Max length: 20');
    if (new Set(titles).size !== titles.length) return invalid(131009, 'Parameter value is not valid', 'Button title must be unique');
    return null;
  }
  if (type === 'list') {
    const sections = Array.isArray(action.sections) ? (action.sections as Json[]) : [];
    const rows = sections.flatMap((s) => (Array.isArray(s.rows) ? s.rows : []));
    if (sections.length < 1 || sections.length > 10 || rows.length < 1 || rows.length > 10) {
      return invalid(131009, 'Parameter value is not valid', 'Total row count exceed max allowed count: 10');
    }
    return typeof action.button === 'string' ? null : missing("interactive['action']['button']");
  }
  const parameters = isObject(action.parameters) ? action.parameters : {};
  if (action.name !== 'cta_url' || typeof parameters.url !== 'string' || typeof parameters.display_text !== 'string') return missing("interactive['action']['parameters']");
  return null;
}

function validateTemplate(template: Json): GraphRejection | null {
  if (typeof template.name !== 'string' || !template.name) return missing("template['name']");
  if (!isObject(template.language) || typeof template.language.code !== 'string') return missing("template['language']['code']");
  if (template.components !== undefined && !Array.isArray(template.components)) return invalid(100, 'Invalid parameter', "Param template['components'] must be an array");
  return null;
}

function missing(param: string): GraphRejection {
  return invalid(100, 'The parameter is required.', `The parameter ${param} is required.`);
}

function invalid(code: number, message: string, details: string): GraphRejection {
  return { status: 400, code, message, details };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
