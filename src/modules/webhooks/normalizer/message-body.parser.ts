import {
  MESSAGE_TYPES,
  type JsonRecord,
  type MediaRef,
  type MessageBody,
  type MessageContext,
  type MessageType,
  type ProviderItemError,
  type Referral,
} from '../../../domain/normalized-event.types';
import {
  asArray,
  asRecord,
  compact,
  readArray,
  readBoolean,
  readNonEmptyString,
  readNumber,
  readRecord,
  readString,
  requireString,
} from './payload-readers';

const KNOWN_TYPES: ReadonlySet<string> = new Set(MESSAGE_TYPES);
const MEDIA_TYPES: ReadonlySet<string> = new Set(['image', 'video', 'audio', 'document', 'sticker']);

function joinText(parts: Array<string | undefined>, separator = '\n'): string | undefined {
  const kept = parts.map((p) => p?.trim()).filter((p): p is string => !!p);
  return kept.length > 0 ? kept.join(separator) : undefined;
}

function typeContent(message: JsonRecord, rawType: string): JsonRecord {
  const value = message[rawType];
  if (Array.isArray(value)) return { [rawType]: value };
  return asRecord(value) ?? {};
}

function parseMedia(content: JsonRecord): MediaRef {
  return compact({
    id: readString(content, 'id'),
    mimeType: readString(content, 'mime_type'),
    sha256: readString(content, 'sha256'),
    caption: readString(content, 'caption'),
    filename: readString(content, 'filename'),
    url: readString(content, 'url') ?? readString(content, 'link'),
    voice: readBoolean(content, 'voice'),
    animated: readBoolean(content, 'animated'),
  });
}

function interactiveText(content: JsonRecord): string | undefined {
  const button = readRecord(content, 'button_reply');
  if (button) return readNonEmptyString(button, 'title') ?? readNonEmptyString(button, 'id');
  const row = readRecord(content, 'list_reply');
  if (row) return joinText([readString(row, 'title'), readString(row, 'description')]);
  const flow = readRecord(content, 'nfm_reply');
  if (flow) return readNonEmptyString(flow, 'body');
  // Outbound interactive (Kapso/echo): the body the customer saw.
  return readNonEmptyString(readRecord(content, 'body'), 'text');
}

function contactsText(content: JsonRecord): string | undefined {
  const cards = readArray(content, 'contacts') ?? [];
  return joinText(cards.map((card) => readString(readRecord(asRecord(card), 'name'), 'formatted_name')), ', ');
}

function orderText(content: JsonRecord): string | undefined {
  const items = readArray(content, 'product_items') ?? [];
  const units = items.reduce<number>((sum, item) => sum + (readNumber(asRecord(item), 'quantity') ?? 1), 0);
  const summary = items.length > 0 ? `Order: ${items.length} product(s), ${units} unit(s)` : undefined;
  return joinText([readString(content, 'text'), summary]);
}

function templateText(content: JsonRecord): string | undefined {
  return readNonEmptyString(content, 'name') ? `[template ${readString(content, 'name')}]` : undefined;
}

function extractText(type: MessageType, content: JsonRecord): string | undefined {
  switch (type) {
    case 'text':
      return readNonEmptyString(content, 'body');
    case 'image':
    case 'video':
    case 'document':
      return readNonEmptyString(content, 'caption');
    case 'button':
      return readNonEmptyString(content, 'text') ?? readNonEmptyString(content, 'payload');
    case 'interactive':
      return interactiveText(content);
    case 'location':
      return joinText([readString(content, 'name'), readString(content, 'address')]);
    case 'contacts':
      return contactsText(content);
    case 'order':
      return orderText(content);
    case 'system':
      return readNonEmptyString(content, 'body');
    case 'template':
      return templateText(content);
    default:
      return undefined;
  }
}

/** The edited message is a nested message object: its text or caption is the new text. */
function editedText(content: JsonRecord): string | undefined {
  const nested = readRecord(content, 'message');
  const nestedType = readString(nested, 'type');
  if (!nested || !nestedType) return undefined;
  const nestedContent = typeContent(nested, nestedType);
  return readNonEmptyString(nestedContent, 'body') ?? readNonEmptyString(nestedContent, 'caption');
}

function addTypeSpecifics(body: MessageBody, content: JsonRecord): void {
  if (MEDIA_TYPES.has(body.type)) body.media = parseMedia(content);
  if (body.type === 'reaction') {
    // A missing emoji means the reaction was removed, same as ''.
    body.reaction = { targetProviderMessageId: requireString(content, 'message_id'), emoji: readString(content, 'emoji') ?? '' };
  }
  if (body.type === 'edit') {
    const newText = editedText(content);
    body.edit = compact({ targetProviderMessageId: requireString(content, 'original_message_id'), newText });
    body.text = newText;
  }
  if (body.type === 'revoke') body.revoke = { targetProviderMessageId: requireString(content, 'original_message_id') };
  if (body.type === 'system') {
    body.system = compact({
      systemType: readString(content, 'type'),
      body: readString(content, 'body'),
      newWaId: readString(content, 'wa_id'),
    });
  }
}

export function parseMessageBody(message: JsonRecord): MessageBody {
  const rawType = readNonEmptyString(message, 'type') ?? 'unknown';
  const type: MessageType = KNOWN_TYPES.has(rawType) ? (rawType as MessageType) : 'unknown';
  const content = typeContent(message, rawType);
  const body: MessageBody = compact({ type, rawType, content, text: extractText(type, content) });
  addTypeSpecifics(body, content);
  return compact(body);
}

export function parseMessageContext(message: JsonRecord): MessageContext {
  const context = readRecord(message, 'context');
  if (!context) return {};
  const product = readRecord(context, 'referred_product');
  return compact({
    contextProviderMessageId: readNonEmptyString(context, 'id') ?? readNonEmptyString(context, 'message_id'),
    contextFrom: readString(context, 'from'),
    forwarded: readBoolean(context, 'forwarded'),
    frequentlyForwarded: readBoolean(context, 'frequently_forwarded'),
    referredProduct: product
      ? compact({ catalogId: readString(product, 'catalog_id'), productRetailerId: readString(product, 'product_retailer_id') })
      : undefined,
  });
}

export function parseReferral(message: JsonRecord): Referral | undefined {
  const raw = readRecord(message, 'referral');
  if (!raw) return undefined;
  return compact({
    sourceType: readString(raw, 'source_type'),
    sourceId: readString(raw, 'source_id'),
    sourceUrl: readString(raw, 'source_url'),
    headline: readString(raw, 'headline'),
    body: readString(raw, 'body'),
    ctwaClid: readString(raw, 'ctwa_clid'),
    raw,
  });
}

/** `error_data.details` (current shape) or `details` (older docs shape). */
export function parseProviderErrors(value: unknown): ProviderItemError[] | undefined {
  const list = asArray(value);
  if (!list || list.length === 0) return undefined;
  return list.map((item) => parseProviderError(asRecord(item) ?? {}));
}

export function parseProviderError(error: JsonRecord): ProviderItemError {
  return compact({
    code: readNumber(error, 'code'),
    title: readString(error, 'title'),
    message: readString(error, 'message'),
    details: readString(readRecord(error, 'error_data'), 'details') ?? readString(error, 'details'),
    href: readString(error, 'href'),
  });
}
