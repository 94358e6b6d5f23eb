import { type Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, getSchemaPath, type ReferenceObject, type SchemaObject } from '@nestjs/swagger';
import { MESSAGE_KINDS } from './send-message.dto';

/*
 * OpenAPI shapes of POST /messages and /messages/bulk: one schema per `type`, joined by oneOf with a discriminator.
 * Validation stays in SendMessageDto/BulkSendDto (send-message.dto.ts); these classes only document the contract.
 */

export class TextContentDoc {
  @ApiProperty({ example: 'Hola Ana, su declaración está lista.', maxLength: 4096 }) body: string;
  @ApiPropertyOptional({ description: 'Show a preview of the first URL (Meta: preview_url)' }) previewUrl?: boolean;
}

export class MediaContentDoc {
  @ApiPropertyOptional({ description: 'The id POST /api/v1/media answered (a UUID), or a Meta media id', example: '3f0c5a8e-7d1b-4c2a-9e6f-1a2b3c4d5e6f' }) id?: string;
  @ApiPropertyOptional({ description: 'A public HTTPS URL instead of an id', example: 'https://cdn.example.com/boleta.pdf' }) link?: string;
  @ApiPropertyOptional({ description: 'Images, videos and documents', example: 'Su boleta de mayo' }) caption?: string;
  @ApiPropertyOptional({ description: 'Documents', example: 'boleta-mayo.pdf' }) filename?: string;
}

export class LocationContentDoc {
  @ApiProperty({ example: -33.4372 }) latitude: number;
  @ApiProperty({ example: -70.6506 }) longitude: number;
  @ApiPropertyOptional({ example: 'Oficina Centro' }) name?: string;
  @ApiPropertyOptional({ example: 'Av. Libertador 1234, Santiago' }) address?: string;
}

export class ReactionContentDoc {
  @ApiProperty({ description: 'Our message id (UUID) or the WhatsApp message id reacted to', example: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f' }) messageId: string;
  @ApiProperty({ example: '👍', description: 'Empty string removes the reaction' }) emoji: string;
}

export class InteractiveContentDoc {
  @ApiProperty({ enum: ['button', 'list', 'cta_url', 'flow', 'location_request_message'], example: 'button' }) type: string;
  @ApiProperty({ example: { text: '¿Confirma su hora del martes?' }, type: 'object', additionalProperties: true }) body: Record<string, unknown>;
  @ApiProperty({
    description: 'Buttons (`buttons: [{type: "reply", reply: {id, title}}]`), list `sections`, or `displayText` + `url` for cta_url',
    example: { buttons: [{ type: 'reply', reply: { id: 'si', title: 'Sí' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] },
    type: 'object',
    additionalProperties: true,
  })
  action: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { type: 'text', text: 'Confirmación' } }) header?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { text: 'Contadores Asociados' } }) footer?: Record<string, unknown>;
}

export class ContactCardDoc {
  @ApiProperty({ type: 'object', additionalProperties: true, example: { formattedName: 'Ana Pérez', firstName: 'Ana' }, description: 'camelCase; Meta\'s snake_case (formatted_name) is accepted too' })
  name: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object', additionalProperties: true }, example: [{ phone: '+56912345678', type: 'CELL' }] }) phones?: Array<Record<string, unknown>>;
}

export class TemplateRefDoc {
  @ApiProperty({ example: 'recordatorio_renta' }) name: string;
  @ApiProperty({ example: 'es' }) language: string;
  @ApiPropertyOptional({
    description: 'Positional (array, {{1}}…) or named (object) variables',
    oneOf: [{ type: 'array', items: { type: 'string' } }, { type: 'object', additionalProperties: { type: 'string' } }],
    example: ['Ana', '30 de abril'],
  })
  variables?: string[] | Record<string, string>;
  @ApiPropertyOptional({ description: 'IMAGE/VIDEO/DOCUMENT header', type: MediaContentDoc }) headerMedia?: MediaContentDoc;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { latitude: -33.43, longitude: -70.65 } }) headerLocation?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Button parameters by button index', type: 'object', additionalProperties: { type: 'string' }, example: { '0': 'B-1001' } }) buttonParams?: Record<string, string>;
}

class SendOptionsDoc {
  @ApiPropertyOptional({ enum: MESSAGE_KINDS, example: 'reply' }) kind?: string;
  @ApiPropertyOptional({ maxLength: 200, example: 'crm-4821' }) externalRef?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { crmId: 4821 } }) metadata?: Record<string, unknown>;
  @ApiPropertyOptional({ format: 'date-time', description: 'Send later', example: '2026-12-24T12:00:00Z' }) sendAt?: string;
  @ApiPropertyOptional({ type: TemplateRefDoc, description: 'Sent instead when the 24-hour window is closed' }) fallbackTemplate?: TemplateRefDoc;
}

export class SendMessageBaseDoc extends SendOptionsDoc {
  @ApiPropertyOptional({ description: 'E.164 (or local to the account’s region); or give conversationId', example: '+56912345678' }) to?: string;
  @ApiPropertyOptional({ format: 'uuid' }) conversationId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Default: the organisation’s default account' }) accountId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Our id of the message to quote' }) replyToMessageId?: string;
}

export class BulkRecipientDoc {
  @ApiProperty({ example: '+56912345678' }) to: string;
  @ApiPropertyOptional({ oneOf: [{ type: 'array', items: { type: 'string' } }, { type: 'object', additionalProperties: { type: 'string' } }], example: ['Ana'] }) variables?: string[] | Record<string, string>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: "Per-recipient override of the type's object", example: { body: 'Hola Ana' } }) content?: Record<string, unknown>;
}

export class BulkSendBaseDoc extends SendOptionsDoc {
  @ApiPropertyOptional({ format: 'uuid' }) accountId?: string;
  @ApiPropertyOptional({ example: 'Recordatorio F29 mayo' }) name?: string;
  @ApiProperty({ type: [BulkRecipientDoc], minItems: 1, maxItems: 10000 }) recipients: BulkRecipientDoc[];
}

const CONTENT: Array<[string, Type<unknown>, boolean]> = [
  ['text', TextContentDoc, false],
  ['image', MediaContentDoc, false],
  ['video', MediaContentDoc, false],
  ['audio', MediaContentDoc, false],
  ['document', MediaContentDoc, false],
  ['sticker', MediaContentDoc, false],
  ['location', LocationContentDoc, false],
  ['contacts', ContactCardDoc, true],
  ['reaction', ReactionContentDoc, false],
  ['interactive', InteractiveContentDoc, false],
  ['template', TemplateRefDoc, false],
];

const pascal = (s: string) => s[0].toUpperCase() + s.slice(1);

/** One schema per message type: the base fields, `type` fixed to that type, and the type's object. */
function typedSchemas(base: Type<unknown>, suffix: string): Array<Type<unknown>> {
  return CONTENT.map(([type, content, isArray]) => {
    const typed = class extends (base as Type<object>) {};
    Object.defineProperty(typed, 'name', { value: `${pascal(type)}${suffix}` });
    ApiProperty({ enum: [type], example: type })(typed.prototype, 'type');
    ApiProperty({ type: content, isArray })(typed.prototype, type);
    return typed;
  });
}

export const SEND_MESSAGE_SCHEMAS = typedSchemas(SendMessageBaseDoc, 'MessageRequest');
export const BULK_SEND_SCHEMAS = typedSchemas(BulkSendBaseDoc, 'BulkRequest');

export function oneOfByType(schemas: Array<Type<unknown>>): SchemaObject {
  const refs: ReferenceObject[] = schemas.map((schema) => ({ $ref: getSchemaPath(schema) }));
  const mapping = Object.fromEntries(CONTENT.map(([type], i) => [type, refs[i].$ref]));
  return { oneOf: refs, discriminator: { propertyName: 'type', mapping } };
}
