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
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_EXPLICIT_RECIPIENTS) @IsUUID('all', { each: true })
  contactIds?: string[];

  /** Contacts carrying any of these labels. */
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(100, { each: true })
  labels?: string[];

  @IsOptional() @IsArray() @ArrayMaxSize(MAX_EXPLICIT_RECIPIENTS) @ValidateNested({ each: true }) @Type(() => BulkRecipientDto)
  recipients?: BulkRecipientDto[];
}

export class SendingWindowDto {
  /** `HH:MM` in each recipient's timezone; a window may cross midnight (22:00–06:00). */
  @Matches(HH_MM) start: string;
  @Matches(HH_MM) end: string;
}

export class ScheduleDto {
  @IsOptional() @IsDateString()
  startAt?: string;

  @IsOptional() @ValidateNested() @Type(() => SendingWindowDto)
  window?: SendingWindowDto;

  /** Recipients not sent by then are `expired`, never sent later. */
  @IsOptional() @IsDateString()
  expiresAt?: string;
}

export class AbVariantDto {
  @IsString() @MaxLength(60)
  name: string;

  @IsInt() @Min(1) @Max(100)
  percent: number;

  /** Replaces the campaign's content fields for this variant (e.g. another template or text). */
  @IsOptional() @ValidateNested() @Type(() => MessageContentDto)
  content?: MessageContentDto;
}

export class AbTestDto {
  @IsArray() @ArrayMinSize(2) @ArrayMaxSize(4) @ValidateNested({ each: true }) @Type(() => AbVariantDto)
  variants: AbVariantDto[];

  /** Share of the audience in the test phase; the rest waits and gets the winner. Absent: everyone is split. */
  @IsOptional() @IsNumber() @Min(0.01) @Max(0.99)
  testFraction?: number;

  /** How long after the start the winner is chosen. */
  @IsOptional() @IsInt() @Min(1000)
  decideAfterMs?: number;

  @IsOptional() @IsIn(['read', 'replied'])
  metric?: 'read' | 'replied';
}

export class CreateCampaignDto {
  @IsString() @MaxLength(200)
  name: string;

  @IsOptional() @IsUUID()
  accountId?: string;

  @ValidateNested() @Type(() => MessageContentDto)
  content: MessageContentDto;

  @ValidateNested() @Type(() => AudienceDto)
  audience: AudienceDto;

  @IsOptional() @ValidateNested() @Type(() => ScheduleDto)
  schedule?: ScheduleDto;

  @IsOptional() @ValidateNested() @Type(() => AbTestDto)
  abTest?: AbTestDto;
}

export class UpdateCampaignDto {
  @IsOptional() @IsString() @MaxLength(200)
  name?: string;

  @IsOptional() @ValidateNested() @Type(() => MessageContentDto)
  content?: MessageContentDto;

  /** Replaces the whole audience (CSV uploads included). */
  @IsOptional() @ValidateNested() @Type(() => AudienceDto)
  audience?: AudienceDto;

  @IsOptional() @ValidateNested() @Type(() => ScheduleDto)
  schedule?: ScheduleDto;

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
