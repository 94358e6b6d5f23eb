import type {
  InteractiveButtonsMessage,
  InteractiveCtaUrlMessage,
  InteractiveHeader,
  InteractiveListMessage,
  MediaRef,
  OutboundMessage,
  TemplateMessage,
} from './outbound-message';

export interface Violation {
  field: string;
  message: string;
}

type Report = (field: string, message: string) => void;

const E164 = /^\+[1-9]\d{6,14}$/;
const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'];

/** Meta's documented limits (reference §b), checked before any HTTP call. Empty list = valid. */
export function validateOutboundMessage(to: string, msg: OutboundMessage): Violation[] {
  const violations: Violation[] = [];
  const report: Report = (field, message) => violations.push({ field, message });
  if (typeof to !== 'string' || !E164.test(to)) report('to', 'must be E.164 with a leading + (e.g. +56912345678)');
  if (!msg || typeof msg !== 'object') {
    report('type', 'message is required');
    return violations;
  }
  if (msg.replyToProviderMessageId !== undefined) text(report, 'replyToProviderMessageId', msg.replyToProviderMessageId, 1, 256);
  if (msg.bizOpaqueCallbackData !== undefined) text(report, 'bizOpaqueCallbackData', msg.bizOpaqueCallbackData, 1, 512);
  validateByType(report, msg);
  return violations;
}

function validateByType(report: Report, msg: OutboundMessage): void {
  switch (msg.type) {
    case 'text':
      return text(report, 'body', msg.body, 1, 4096);
    case 'image':
    case 'video':
    case 'document':
      mediaRef(report, '', msg);
      if (msg.caption !== undefined) text(report, 'caption', msg.caption, 1, 1024);
      if (msg.type === 'document' && msg.filename !== undefined) text(report, 'filename', msg.filename, 1, 240);
      return;
    case 'audio':
    case 'sticker':
      if ('caption' in msg) report('caption', `${msg.type} messages cannot have a caption`);
      return mediaRef(report, '', msg);
    case 'location':
      if (!isNumberIn(msg.latitude, -90, 90)) report('latitude', 'must be a number between -90 and 90');
      if (!isNumberIn(msg.longitude, -180, 180)) report('longitude', 'must be a number between -180 and 180');
      return;
    case 'contacts':
      if (!Array.isArray(msg.contacts) || msg.contacts.length === 0) return report('contacts', 'at least one contact is required');
      msg.contacts.forEach((c, i) => text(report, `contacts[${i}].name.formattedName`, c?.name?.formattedName, 1, 1024));
      return;
    case 'reaction':
      text(report, 'messageId', msg.messageId, 1, 256);
      if (typeof msg.emoji !== 'string' || [...msg.emoji].length > 8) report('emoji', "must be one emoji, or '' to remove");
      return;
    case 'interactive_buttons':
      return buttons(report, msg);
    case 'interactive_list':
      return list(report, msg);
    case 'interactive_cta_url':
      return ctaUrl(report, msg);
    case 'template':
      return template(report, msg);
    default:
      report('type', `unsupported message type ${JSON.stringify((msg as { type?: unknown }).type)}`);
  }
}

function buttons(report: Report, msg: InteractiveButtonsMessage): void {
  interactiveCommon(report, msg, 1024);
  if (!Array.isArray(msg.buttons) || msg.buttons.length < 1 || msg.buttons.length > 3) {
    return report('buttons', 'must have between 1 and 3 buttons');
  }
  msg.buttons.forEach((b, i) => {
    text(report, `buttons[${i}].id`, b?.id, 1, 256);
    text(report, `buttons[${i}].title`, b?.title, 1, 20);
  });
  if (hasDuplicates(msg.buttons.map((b) => b?.title?.trim()))) report('buttons', 'button titles must be unique');
  if (hasDuplicates(msg.buttons.map((b) => b?.id))) report('buttons', 'button ids must be unique');
}

function list(report: Report, msg: InteractiveListMessage): void {
  interactiveCommon(report, msg, 4096);
  text(report, 'buttonText', msg.buttonText, 1, 20);
  if (!Array.isArray(msg.sections) || msg.sections.length < 1 || msg.sections.length > 10) {
    return report('sections', 'must have between 1 and 10 sections');
  }
  const rows = msg.sections.flatMap((s) => (Array.isArray(s?.rows) ? s.rows : []));
  if (rows.length < 1 || rows.length > 10) report('sections', 'must have between 1 and 10 rows in total');
  msg.sections.forEach((s, i) => {
    if (s?.title !== undefined || msg.sections.length > 1) text(report, `sections[${i}].title`, s?.title, 1, 24);
    if (!Array.isArray(s?.rows) || s.rows.length === 0) report(`sections[${i}].rows`, 'at least one row is required');
    s?.rows?.forEach((r, j) => {
      text(report, `sections[${i}].rows[${j}].id`, r?.id, 1, 200);
      text(report, `sections[${i}].rows[${j}].title`, r?.title, 1, 24);
      if (r?.description !== undefined) text(report, `sections[${i}].rows[${j}].description`, r.description, 0, 72);
    });
  });
  if (hasDuplicates(rows.map((r) => r?.id))) report('sections', 'row ids must be unique');
}

function ctaUrl(report: Report, msg: InteractiveCtaUrlMessage): void {
  interactiveCommon(report, msg, 1024);
  text(report, 'displayText', msg.displayText, 1, 20);
  if (!isHttpsUrl(msg.url)) report('url', 'must be an https URL');
}

function interactiveCommon(report: Report, msg: { header?: InteractiveHeader; body: string; footer?: string }, bodyMax: number): void {
  text(report, 'body', msg.body, 1, bodyMax);
  if (msg.footer !== undefined) text(report, 'footer', msg.footer, 1, 60);
  if (!msg.header) return;
  if (msg.header.type === 'text') return text(report, 'header.text', msg.header.text, 1, 60);
  if (['image', 'video', 'document'].includes(msg.header.type)) return mediaRef(report, 'header.', msg.header);
  report('header.type', 'must be text, image, video or document');
}

function template(report: Report, msg: TemplateMessage): void {
  if (typeof msg.name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(msg.name)) report('name', 'must be 1-512 chars of [a-z0-9_]');
  if (typeof msg.languageCode !== 'string' || !/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/.test(msg.languageCode)) {
    report('languageCode', 'must be a language code such as en_US or es');
  }
  (msg.components ?? []).forEach((c, i) => {
    const field = `components[${i}]`;
    if (!Array.isArray(c?.parameters)) return report(`${field}.parameters`, 'must be an array');
    if (c.type === 'button') {
      if (!Number.isInteger(c.index) || c.index < 0 || c.index > 9) report(`${field}.index`, 'must be an integer 0-9');
      return;
    }
    const names = c.parameters.map((p) => ('parameterName' in p ? p.parameterName : undefined));
    const named = names.filter((n) => n !== undefined);
    if (named.length > 0 && named.length !== names.length) report(`${field}.parameters`, 'cannot mix named and positional parameters');
    if (named.some((n) => !/^[a-z0-9_]+$/.test(n!))) report(`${field}.parameters`, 'parameter names must be [a-z0-9_]');
    c.parameters.forEach((p, j) => {
      if (p.type === 'text') text(report, `${field}.parameters[${j}].text`, p.text, 1, c.type === 'header' ? 60 : 32768);
      if (MEDIA_TYPES.includes(p.type)) mediaRef(report, `${field}.parameters[${j}].`, p as MediaRef);
    });
  });
}

function mediaRef(report: Report, prefix: string, ref: MediaRef): void {
  const hasLink = ref.link !== undefined && ref.link !== '';
  const hasId = ref.mediaId !== undefined && ref.mediaId !== '';
  if (hasLink === hasId) return report(`${prefix}media`, 'exactly one of link or mediaId is required');
  if (hasLink && !isHttpsUrl(ref.link)) report(`${prefix}link`, 'must be an https URL');
}

function text(report: Report, field: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'string') return report(field, 'is required');
  // Meta counts characters, not UTF-16 code units.
  const length = [...value].length;
  if (length < min || (min > 0 && value.trim() === '')) return report(field, 'must not be empty');
  if (length > max) report(field, `must be at most ${max} characters`);
}

function isHttpsUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

function isNumberIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

function hasDuplicates(values: unknown[]): boolean {
  return new Set(values).size !== values.length;
}
