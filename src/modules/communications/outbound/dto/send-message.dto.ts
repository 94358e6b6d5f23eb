import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Matches,
  ValidateNested,
} from 'class-validator';
import { MessageStatus } from '../../../../database/entities/enums';
import { OUTBOUND_REQUEST_TYPES, type OutboundRequestType } from '../outbound-content.mapper';

export const MESSAGE_KINDS = ['initial', 'follow_up', 'reminder', 'reply', 'transactional', 'agent'] as const;

/** A template reference: `variables` positional (array) or named (object). */
export class TemplateRefDto {
  @IsString() @MaxLength(512)
  name: string;

  @IsString() @MaxLength(16)
  language: string;

  @IsOptional()
  variables?: string[] | Record<string, string>;

  /** IMAGE/VIDEO/DOCUMENT header: `{link}` or `{id}` (+ `filename`). */
  @IsOptional() @IsObject()
  headerMedia?: { link?: string; id?: string; filename?: string };

  @IsOptional() @IsObject()
  headerLocation?: { latitude: number; longitude: number; name?: string; address?: string };

  /** Button parameters by button index (URL suffix, quick-reply payload, coupon code). */
  @IsOptional() @IsObject()
  buttonParams?: Record<number, string>;
}

/** The type objects shared by single and bulk sends (Meta's shape, camelCase). Deep checks: the provider validator. */
export class MessageContentDto {
  @IsIn(OUTBOUND_REQUEST_TYPES as unknown as string[])
  type: OutboundRequestType;

  @IsOptional() @IsObject() text?: Record<string, unknown>;
  @IsOptional() @IsObject() image?: Record<string, unknown>;
  @IsOptional() @IsObject() video?: Record<string, unknown>;
  @IsOptional() @IsObject() audio?: Record<string, unknown>;
  @IsOptional() @IsObject() document?: Record<string, unknown>;
  @IsOptional() @IsObject() sticker?: Record<string, unknown>;
  @IsOptional() @IsObject() location?: Record<string, unknown>;
  @IsOptional() @IsArray() contacts?: Array<Record<string, unknown>>;
  @IsOptional() @IsObject() reaction?: Record<string, unknown>;
  @IsOptional() @IsObject() interactive?: Record<string, unknown>;

  @IsOptional() @ValidateNested() @Type(() => TemplateRefDto)
  template?: TemplateRefDto;

  /** Sent instead of a non-template message when the 24-hour window is closed. */
  @IsOptional() @ValidateNested() @Type(() => TemplateRefDto)
  fallbackTemplate?: TemplateRefDto;

  @IsOptional() @IsIn(MESSAGE_KINDS as unknown as string[])
  kind?: string;

  @IsOptional() @IsString() @MaxLength(200)
  externalRef?: string;

  @IsOptional() @IsObject()
  metadata?: Record<string, unknown>;

  @IsOptional() @IsDateString()
  sendAt?: string;
}

export class SendMessageDto extends MessageContentDto {
  @IsOptional() @IsString() @MaxLength(40)
  to?: string;

  @IsOptional() @IsUUID()
  conversationId?: string;

  @IsOptional() @IsUUID()
  accountId?: string;

  /** Our message id (uuid) of the message to quote. */
  @IsOptional() @IsUUID()
  replyToMessageId?: string;
}

export class BulkRecipientDto {
  @IsString() @MaxLength(40)
  to: string;

  /** Per-recipient template variables. */
  @IsOptional()
  variables?: string[] | Record<string, string>;

  /** Per-recipient override of the type's object (e.g. `{body}` for text). */
  @IsOptional() @IsObject()
  content?: Record<string, unknown>;
}

export class BulkSendDto extends MessageContentDto {
  @IsOptional() @IsUUID()
  accountId?: string;

  @IsOptional() @IsString() @MaxLength(200)
  name?: string;

  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10000) @ValidateNested({ each: true }) @Type(() => BulkRecipientDto)
  recipients: BulkRecipientDto[];
}

const STATUS_NAME = `(${Object.values(MessageStatus).join('|')})`;

export class ListMessagesQueryDto {
  /** One status or a comma list (`queued,sending`): each must be a message status. */
  @ApiPropertyOptional({ description: 'Comma list of statuses', example: 'failed,queued' })
  @IsOptional() @IsString() @Matches(new RegExp(`^${STATUS_NAME}(,${STATUS_NAME})*$`), { message: `status must be a comma list of ${Object.values(MessageStatus).join(', ')}` }) status?: string;
  @ApiPropertyOptional({ enum: ['inbound', 'outbound'] }) @IsOptional() @IsIn(['inbound', 'outbound']) direction?: string;
  @ApiPropertyOptional({ example: 'template' }) @IsOptional() @IsString() type?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() contactId?: string;
  @ApiPropertyOptional({ example: 'crm-4821' }) @IsOptional() @IsString() externalRef?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after' }) @IsOptional() @IsDateString() from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Created before' }) @IsOptional() @IsDateString() to?: string;
  @ApiPropertyOptional({ description: 'Opaque `nextCursor` of the previous page' }) @IsOptional() @IsString() cursor?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 }) @IsOptional() @Type(() => Number) limit?: number;
}
