import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CampaignRecipientStatus, CampaignStatus } from '../../../database/entities/enums';

export class CampaignDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true, example: 'Recordatorio de renta abril' }) name: string | null;
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ enum: CampaignStatus, enumName: 'CampaignStatus' }) status: CampaignStatus;
  @ApiProperty({ example: 1200 }) totalRecipients: number;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'The message content shared by every recipient' }) content: unknown;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'How the audience was chosen' }) audience: unknown;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) schedule: unknown;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) abTest: unknown;
  @ApiProperty({ type: Number, nullable: true, description: 'Index of the A/B variant chosen' }) winnerVariant: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) pausedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CampaignCountsDto {
  @ApiProperty() total: number;
  @ApiProperty() pending: number;
  @ApiProperty() sending: number;
  @ApiProperty() sent: number;
  @ApiProperty() delivered: number;
  @ApiProperty() read: number;
  @ApiProperty() replied: number;
  @ApiProperty() failed: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { '131026': 3 } }) failedByCode: Record<string, number>;
  @ApiProperty() skipped: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { CONTACT_OPTED_OUT: 2 } }) skippedByReason: Record<string, number>;
  @ApiProperty() expired: number;
  @ApiProperty() cancelled: number;
  @ApiProperty() optedOut: number;
}

class VariantCountsDto {
  @ApiProperty({ description: 'Index into abTest.variants' }) variant: number;
  @ApiProperty({ type: CampaignCountsDto }) counts: CampaignCountsDto;
}

export class CampaignDetailDto extends CampaignDto {
  @ApiProperty({ type: CampaignCountsDto }) counts: CampaignCountsDto;
  @ApiProperty({ type: [VariantCountsDto] }) variants: VariantCountsDto[];
}

export class CampaignStateDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CampaignStatus, enumName: 'CampaignStatus' }) status: CampaignStatus;
}

class CsvRowErrorDto {
  @ApiProperty({ example: 4 }) line: number;
  @ApiProperty({ example: 'INVALID_PHONE' }) error: string;
}

class CsvPreviewRowDto {
  @ApiProperty({ example: 2 }) line: number;
  @ApiProperty({ example: '+56912345678' }) phone: string;
  @ApiPropertyOptional({ oneOf: [{ type: 'array', items: { type: 'string' } }, { type: 'object', additionalProperties: { type: 'string' } }] }) variables?: unknown;
}

export class CsvImportResultDto {
  @ApiProperty() accepted: number;
  @ApiProperty() duplicates: number;
  @ApiProperty() invalid: number;
  @ApiProperty({ type: [CsvRowErrorDto] }) errors: CsvRowErrorDto[];
  @ApiProperty({ type: [CsvPreviewRowDto] }) preview: CsvPreviewRowDto[];
  @ApiProperty({ description: 'Recipients in the audience after the import' }) total: number;
}

export class CampaignRecipientDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '+56912345678' }) phone: string;
  @ApiProperty({ enum: CampaignRecipientStatus, enumName: 'CampaignRecipientStatus' }) status: string;
  @ApiProperty({ type: String, nullable: true, example: '131026' }) reason: string | null;
  @ApiProperty({ type: String, nullable: true }) reasonMessage: string | null;
  @ApiProperty({ type: Number, nullable: true }) variant: number | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) messageId: string | null;
  @ApiProperty({ type: String, nullable: true }) messageStatus: string | null;
}
