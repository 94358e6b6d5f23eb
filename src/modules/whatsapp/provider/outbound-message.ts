/**
 * Internal, provider-neutral model of every outbound message type the Cloud API accepts.
 * camelCase here; `meta-request-builder.ts` turns it into Meta's snake_case body.
 */

/** Exactly one of `link` (https) or `mediaId` (uploaded media); checked by the validator, not the type. */
export interface MediaRef {
  link?: string;
  mediaId?: string;
}

interface OutboundBase {
  /** Quoted reply: becomes `context.message_id`. */
  replyToProviderMessageId?: string;
  /** Echoed back by Meta in status webhooks. */
  bizOpaqueCallbackData?: string;
}

export interface TextMessage extends OutboundBase {
  type: 'text';
  body: string;
  previewUrl?: boolean;
}

export interface ImageMessage extends OutboundBase, MediaRef {
  type: 'image';
  caption?: string;
}

export interface VideoMessage extends OutboundBase, MediaRef {
  type: 'video';
  caption?: string;
}

export interface AudioMessage extends OutboundBase, MediaRef {
  type: 'audio';
  /** Voice note (needs OGG/OPUS). */
  voice?: boolean;
}

export interface DocumentMessage extends OutboundBase, MediaRef {
  type: 'document';
  caption?: string;
  filename?: string;
}

export interface StickerMessage extends OutboundBase, MediaRef {
  type: 'sticker';
}

export interface LocationMessage extends OutboundBase {
  type: 'location';
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
}

export interface ContactCard {
  name: { formattedName: string; firstName?: string; lastName?: string; middleName?: string; prefix?: string; suffix?: string };
  phones?: Array<{ phone?: string; type?: string; waId?: string }>;
  emails?: Array<{ email: string; type?: string }>;
  org?: { company?: string; department?: string; title?: string };
  addresses?: Array<{ street?: string; city?: string; state?: string; zip?: string; country?: string; countryCode?: string; type?: string }>;
  urls?: Array<{ url: string; type?: string }>;
  birthday?: string;
}

export interface ContactsMessage extends OutboundBase {
  type: 'contacts';
  contacts: ContactCard[];
}

export interface ReactionMessage extends OutboundBase {
  type: 'reaction';
  messageId: string;
  /** `''` removes an earlier reaction. */
  emoji: string;
}

export type InteractiveHeader =
  | { type: 'text'; text: string }
  | ({ type: 'image' | 'video' } & MediaRef)
  | ({ type: 'document'; filename?: string } & MediaRef);

export interface ReplyButton {
  id: string;
  title: string;
}

export interface InteractiveButtonsMessage extends OutboundBase {
  type: 'interactive_buttons';
  header?: InteractiveHeader;
  body: string;
  footer?: string;
  buttons: ReplyButton[];
}

export interface ListRow {
  id: string;
  title: string;
  description?: string;
}

export interface ListSection {
  title?: string;
  rows: ListRow[];
}

export interface InteractiveListMessage extends OutboundBase {
  type: 'interactive_list';
  /** Lists only accept a text header. */
  header?: { type: 'text'; text: string };
  body: string;
  footer?: string;
  buttonText: string;
  sections: ListSection[];
}

export interface InteractiveCtaUrlMessage extends OutboundBase {
  type: 'interactive_cta_url';
  header?: InteractiveHeader;
  body: string;
  footer?: string;
  displayText: string;
  url: string;
}

/** `parameterName` is set for named-parameter templates (`parameter_format: NAMED`). */
export type TemplateParameter =
  | { type: 'text'; text: string; parameterName?: string }
  | { type: 'currency'; fallbackValue: string; code: string; amount1000: number; parameterName?: string }
  | { type: 'date_time'; fallbackValue: string; parameterName?: string }
  | ({ type: 'image' | 'video' } & MediaRef)
  | ({ type: 'document'; filename?: string } & MediaRef)
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string };

export type TemplateButtonParameter =
  | { type: 'payload'; payload: string }
  | { type: 'text'; text: string }
  | { type: 'coupon_code'; couponCode: string };

export type TemplateComponent =
  | { type: 'header'; parameters: TemplateParameter[] }
  | { type: 'body'; parameters: TemplateParameter[] }
  | { type: 'button'; subType: 'quick_reply' | 'url' | 'copy_code'; index: number; parameters: TemplateButtonParameter[] };

export interface TemplateMessage extends OutboundBase {
  type: 'template';
  name: string;
  languageCode: string;
  components?: TemplateComponent[];
}

export type OutboundMessage =
  | TextMessage
  | ImageMessage
  | VideoMessage
  | AudioMessage
  | DocumentMessage
  | StickerMessage
  | LocationMessage
  | ContactsMessage
  | ReactionMessage
  | InteractiveButtonsMessage
  | InteractiveListMessage
  | InteractiveCtaUrlMessage
  | TemplateMessage;

export type OutboundMessageType = OutboundMessage['type'];

export type MediaMessage = ImageMessage | VideoMessage | AudioMessage | DocumentMessage | StickerMessage;
