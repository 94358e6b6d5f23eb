import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { BulkRecipientDto, MessageContentDto } from '../../communications/outbound/dto/send-message.dto';
import { CampaignRecipientStatus, CampaignStatus } from '../../../database/entities/enums';

export const MAX_EXPLICIT_RECIPIENTS = 100_000;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class AudienceDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_EXPLICIT_RECIPIENTS) @IsUUID('all', { each: true })
  contactIds?: string[];

  /** Contacts carrying any of these labels. */
  @ApiPropertyOptional({ type: [String], example: ['clientes-2026'] })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(100, { each: true })
  labels?: string[];

  @ApiPropertyOptional({ type: 'array', items: { type: 'object', additionalProperties: true }, example: [{ to: '+56912345678', variables: ['Ana'] }], description: 'Explicit recipients: `to`, optional `variables` and content override' })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_EXPLICIT_RECIPIENTS) @ValidateNested({ each: true }) @Type(() => BulkRecipientDto)
  recipients?: BulkRecipientDto[];
}

export class SendingWindowDto {
  /** `HH:MM` in each recipient's timezone; a window may cross midnight (22:00–06:00). */
  @ApiProperty({ example: '09:00' }) @Matches(HH_MM) start: string;
  @ApiProperty({ example: '20:00' }) @Matches(HH_MM) end: string;
}

export class ScheduleDto {
  @ApiPropertyOptional({ format: 'date-time', example: '2026-04-28T13:00:00Z' })
  @IsOptional() @IsDateString()
  startAt?: string;

  @ApiPropertyOptional({ type: SendingWindowDto })
  @IsOptional() @ValidateNested() @Type(() => SendingWindowDto)
  window?: SendingWindowDto;

  /** Recipients not sent by then are `expired`, never sent later. */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional() @IsDateString()
  expiresAt?: string;
}

export class AbVariantDto {
  @ApiProperty({ example: 'A' })
  @IsString() @MaxLength(60)
  name: string;

  @ApiProperty({ minimum: 1, maximum: 100, example: 50 })
  @IsInt() @Min(1) @Max(100)
  percent: number;

  /** Replaces the campaign's content fields for this variant (e.g. another template or text). */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'A message as in POST /api/v1/messages without `to`: `type` and the type\'s object', example: { type: 'template', template: { name: 'recordatorio_renta', language: 'es' } } })
  @IsOptional() @ValidateNested() @Type(() => MessageContentDto)
  content?: MessageContentDto;
}

export class AbTestDto {
  @ApiProperty({ type: [AbVariantDto], minItems: 2, maxItems: 4 })
  @IsArray() @ArrayMinSize(2) @ArrayMaxSize(4) @ValidateNested({ each: true }) @Type(() => AbVariantDto)
  variants: AbVariantDto[];

  /** Share of the audience in the test phase; the rest waits and gets the winner. Absent: everyone is split. */
  @ApiPropertyOptional({ minimum: 0.01, maximum: 0.99, example: 0.2 })
  @IsOptional() @IsNumber() @Min(0.01) @Max(0.99)
  testFraction?: number;

  /** How long after the start the winner is chosen. */
  @ApiPropertyOptional({ minimum: 1000, example: 3600000 })
  @IsOptional() @IsInt() @Min(1000)
  decideAfterMs?: number;

  @ApiPropertyOptional({ enum: ['read', 'replied'] })
  @IsOptional() @IsIn(['read', 'replied'])
  metric?: 'read' | 'replied';
}

export class CreateCampaignDto {
  @ApiProperty({ example: 'Recordatorio de renta abril' })
  @IsString() @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The WhatsApp account; absent: the organisation\'s default' })
  @IsOptional() @IsUUID()
  accountId?: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'A message as in POST /api/v1/messages without `to`: `type` and the type\'s object', example: { type: 'template', template: { name: 'recordatorio_renta', language: 'es' } } })
  @ValidateNested() @Type(() => MessageContentDto)
  content: MessageContentDto;

  @ApiProperty({ type: AudienceDto })
  @ValidateNested() @Type(() => AudienceDto)
  audience: AudienceDto;

  @ApiPropertyOptional({ type: ScheduleDto })
  @IsOptional() @ValidateNested() @Type(() => ScheduleDto)
  schedule?: ScheduleDto;

  @ApiPropertyOptional({ type: AbTestDto })
  @IsOptional() @ValidateNested() @Type(() => AbTestDto)
  abTest?: AbTestDto;
}

export class UpdateCampaignDto {
  @ApiPropertyOptional({ example: 'Recordatorio de renta abril' })
  @IsOptional() @IsString() @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'A message as in POST /api/v1/messages without `to`: `type` and the type\'s object', example: { type: 'template', template: { name: 'recordatorio_renta', language: 'es' } } })
  @IsOptional() @ValidateNested() @Type(() => MessageContentDto)
  content?: MessageContentDto;

  /** Replaces the whole audience (CSV uploads included). */
  @ApiPropertyOptional({ type: AudienceDto })
  @IsOptional() @ValidateNested() @Type(() => AudienceDto)
  audience?: AudienceDto;

  @ApiPropertyOptional({ type: ScheduleDto })
  @IsOptional() @ValidateNested() @Type(() => ScheduleDto)
  schedule?: ScheduleDto;

  @ApiPropertyOptional({ type: AbTestDto })
  @IsOptional() @ValidateNested() @Type(() => AbTestDto)
  abTest?: AbTestDto;
}

export class ListCampaignsQueryDto {
  @IsOptional() @IsIn(Object.values(CampaignStatus))
  status?: CampaignStatus;

  @IsOptional() @IsUUID()
  accountId?: string;

  @IsOptional() @IsString()
  cursor?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;
}

export class ListRecipientsQueryDto {
  @IsOptional() @IsIn(Object.values(CampaignRecipientStatus))
  status?: CampaignRecipientStatus;

  /** An error code (`131026`, `CONTACT_OPTED_OUT`, `expired`…). */
  @IsOptional() @IsString() @MaxLength(64)
  reason?: string;

  @IsOptional() @IsString()
  cursor?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;
}
