import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { ConversationStatus } from '../../../../database/entities/enums';
import { PageQueryDto, QueryBoolean } from '../../../../common/http/page-query.dto';

export class ListConversationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', example: '6f1c3c1e-2a4b-4f0e-9c39-1b7f5d8a2e10' })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @ApiPropertyOptional({ enum: ConversationStatus, example: ConversationStatus.Open })
  @IsOptional()
  @IsEnum(ConversationStatus)
  status?: ConversationStatus;

  @ApiPropertyOptional({ description: 'Only conversations with unread messages', example: true })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  unread?: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: 'Assigned user id', example: '0b7c2d1e-5f3a-4c6b-8e9d-7a1b2c3d4e5f' })
  @IsOptional()
  @IsUUID()
  assigneeId?: string;

  @ApiPropertyOptional({ description: 'Only conversations assigned to nobody (true) or to someone (false)', example: true })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  unassigned?: boolean;

  @ApiPropertyOptional({ description: 'Conversation label', example: 'vip' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  label?: string;

  @ApiPropertyOptional({ example: false })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  botPaused?: boolean;

  @ApiPropertyOptional({ description: 'Only conversations in this bot flow', example: 'insurance-sales' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  flowId?: string;

  @ApiPropertyOptional({ description: 'Only conversations whose bot flow is in this state', example: 'NEEDS_ANALYSIS' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  flowState?: string;

  @ApiPropertyOptional({ description: 'Inside (true) or outside (false) the 24-hour customer service window', example: true })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  windowOpen?: boolean;

  @ApiPropertyOptional({ description: 'Text in the contact name, phone or last message preview', example: 'María' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;
}

/** The organisation's unread totals, whatever page or filter the inbox shows. */
export class UnreadSummaryDto {
  @ApiProperty({ description: 'Conversations with at least one unread message', example: 3 }) conversations: number;
  @ApiProperty({ description: 'Unread messages across all conversations', example: 7 }) messages: number;
}

export class AssignConversationDto {
  @ApiProperty({ format: 'uuid', nullable: true, description: 'A user of the organisation, or null to unassign', example: '0b7c2d1e-5f3a-4c6b-8e9d-7a1b2c3d4e5f' })
  @ValidateIf((_, value) => value !== null)
  @IsUUID()
  userId: string | null;
}

export class BotResetDto {
  @ApiPropertyOptional({ description: 'Also give the conversation back to the bot (as bot/resume)', example: true })
  @IsOptional()
  @IsBoolean()
  resumeBot?: boolean;
}

export class ConversationLabelsDto {
  @ApiPropertyOptional({ type: [String], example: ['vip', 'pagos'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(64, { each: true })
  @Transform(({ value }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value))
  add?: string[];

  @ApiPropertyOptional({ type: [String], example: ['nuevo'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  remove?: string[];
}

export class ContactBriefDto {
  @ApiProperty({ format: 'uuid', example: '3d1f0c7e-9a2b-4c5d-8e6f-0a1b2c3d4e5f' }) id: string;
  @ApiProperty({ nullable: true, example: 'María José Pérez' }) name: string | null;
  @ApiProperty({ nullable: true, example: 'Majo' }) profileName: string | null;
  @ApiProperty({ nullable: true, example: '+56912345678' }) phoneE164: string | null;
  @ApiProperty({ type: [String], example: ['cliente'] }) labels: string[];
}

export class AssigneeDto {
  @ApiProperty({ format: 'uuid', example: '0b7c2d1e-5f3a-4c6b-8e9d-7a1b2c3d4e5f' }) id: string;
  @ApiProperty({ nullable: true, example: 'Ana Soporte' }) name: string | null;
  @ApiProperty({ example: 'ana@empresa.cl' }) email: string;
}

export class FlowStateDto {
  @ApiProperty({ example: 'insurance-sales' }) flowId: string;
  @ApiProperty({ description: 'The flow state the conversation is in', example: 'NEEDS_ANALYSIS' }) state: string;
  @ApiProperty({ description: 'Slots collected so far (with `<slot>_label` display values)', example: { insurance_type: 'auto', insurance_type_label: 'Auto' } })
  slots: Record<string, unknown>;
  @ApiProperty({ nullable: true, example: '2026-03-01T14:05:09.123Z' }) startedAt: string | null;
  @ApiProperty({ nullable: true, example: '2026-03-01T14:06:09.123Z' }) updatedAt: string | null;
}

export class ConversationDto {
  @ApiProperty({ format: 'uuid', example: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' }) id: string;
  @ApiProperty({ format: 'uuid', example: '6f1c3c1e-2a4b-4f0e-9c39-1b7f5d8a2e10' }) accountId: string;
  @ApiProperty({ enum: ConversationStatus, example: ConversationStatus.Open }) status: ConversationStatus;
  @ApiProperty({ example: 2 }) unreadCount: number;
  @ApiProperty({ nullable: true, example: '2026-03-01T14:05:09.123Z' }) lastMessageAt: string | null;
  @ApiProperty({ nullable: true, example: 'Hola, ¿cuándo llega mi pedido?' }) lastMessagePreview: string | null;
  @ApiProperty({ nullable: true, example: '2026-03-02T14:05:09.000Z' }) windowExpiresAt: string | null;
  @ApiProperty({ example: true }) windowOpen: boolean;
  @ApiProperty({ example: false }) botPaused: boolean;
  @ApiProperty({ nullable: true, example: null }) botPausedAt: string | null;
  @ApiProperty({ nullable: true, example: null }) handoffRequestedAt: string | null;
  @ApiProperty({ type: [String], example: ['vip'] }) labels: string[];
  @ApiProperty({ type: FlowStateDto, nullable: true, description: 'The active bot flow, its state and collected slots' }) flow: FlowStateDto | null;
  @ApiProperty({ type: AssigneeDto, nullable: true }) assignee: AssigneeDto | null;
  @ApiProperty({ type: ContactBriefDto }) contact: ContactBriefDto;
  @ApiProperty({ nullable: true, example: null }) closedAt: string | null;
  @ApiProperty({ example: '2026-02-27T10:00:00.000Z' }) createdAt: string;
}

export class ConversationPageDto {
  @ApiProperty({ type: [ConversationDto] }) data: ConversationDto[];
  @ApiProperty({ nullable: true, example: 'eyJrIjoi…' }) nextCursor: string | null;
}

export class ReadReceiptResultDto extends ConversationDto {
  @ApiProperty({ description: 'Whether the provider accepted the read receipt for the latest inbound message', example: true })
  receiptSent: boolean;
}

export class BotResetResultDto {
  @ApiProperty({ format: 'uuid' }) conversationId: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What is left of the bot state' }) botState: Record<string, unknown>;
  @ApiProperty() botPaused: boolean;
}

export class ContactBotResetResultDto {
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ type: [BotResetResultDto], description: 'One entry per conversation of the contact' }) conversations: BotResetResultDto[];
}
