import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, Length, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../../../../common/http/page-query.dto';

export class ListContactsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Name, profile name, or a phone number in any format', example: '+56 9 1234 5678' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ deprecated: true, description: 'Old name of `q`; accepted until the next release' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;
}

export class CreateContactDto {
  @ApiProperty({ description: 'Any format; normalised to E.164 with the region when it has no country code', example: '+56 9 1234 5678' })
  @IsString()
  @MinLength(3)
  @MaxLength(32)
  phone: string;

  @ApiPropertyOptional({ example: 'María José Pérez' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ description: "ISO country for numbers without a country code (default: the default account's)", example: 'CL' })
  @IsOptional()
  @IsString()
  @Length(2, 2)
  region?: string;

  @ApiPropertyOptional({ type: [String], example: ['cliente'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  labels?: string[];

  @ApiPropertyOptional({ example: { rut: '12.345.678-9' } })
  @IsOptional()
  @IsObject()
  customAttributes?: Record<string, unknown>;
}

export class UpdateContactDto {
  @ApiPropertyOptional({ nullable: true, example: 'María José Pérez' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(200)
  name?: string | null;

  @ApiPropertyOptional({ type: [String], description: 'Replaces the labels', example: ['cliente', 'vip'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  labels?: string[];

  @ApiPropertyOptional({ description: 'Merged into the current attributes; a key set to null is removed', example: { plan: 'pro', rut: null } })
  @IsOptional()
  @IsObject()
  customAttributes?: Record<string, unknown>;
}

export class CreateNoteDto {
  @ApiProperty({ example: 'Llamó para pedir factura; enviar el lunes.' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  body: string;
}

export class ContactDto {
  @ApiProperty({ format: 'uuid', example: '3d1f0c7e-9a2b-4c5d-8e6f-0a1b2c3d4e5f' }) id: string;
  @ApiProperty({ nullable: true, example: 'María José Pérez' }) name: string | null;
  @ApiProperty({ nullable: true, example: 'Majo' }) profileName: string | null;
  @ApiProperty({ nullable: true, example: '+56912345678' }) phoneE164: string | null;
  @ApiProperty({ nullable: true, example: '56912345678' }) waId: string | null;
  @ApiProperty({ nullable: true, example: null }) username: string | null;
  @ApiProperty({ type: [String], example: ['cliente'] }) labels: string[];
  @ApiProperty({ example: { plan: 'pro' } }) customAttributes: Record<string, unknown>;
  @ApiProperty({ nullable: true, example: null }) optedOutAt: string | null;
  @ApiProperty({ nullable: true, example: null }) optOutSource: string | null;
  @ApiProperty({ nullable: true, example: '2026-03-01T14:05:09.000Z' }) lastInboundAt: string | null;
  @ApiProperty({ nullable: true, example: null }) lastOutboundAt: string | null;
  @ApiProperty({ example: '2026-02-27T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2026-02-27T10:00:00.000Z' }) updatedAt: string;
}

export class ContactPageDto {
  @ApiProperty({ type: [ContactDto] }) data: ContactDto[];
  @ApiProperty({ nullable: true, example: 'eyJrIjoi…' }) nextCursor: string | null;
}

export class NoteAuthorDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, example: 'Ana Soporte' }) name: string | null;
}

export class ContactNoteDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ example: 'Llamó para pedir factura; enviar el lunes.' }) body: string;
  @ApiProperty({ type: NoteAuthorDto, nullable: true, description: 'null when written with an API key' }) author: NoteAuthorDto | null;
  @ApiProperty({ example: '2026-03-01T14:05:09.123Z' }) createdAt: string;
}

export class ContactNotePageDto {
  @ApiProperty({ type: [ContactNoteDto] }) data: ContactNoteDto[];
  @ApiProperty({ nullable: true, example: null }) nextCursor: string | null;
}

export class ErasureCountsDto {
  @ApiProperty({ example: 42 }) messages: number;
  @ApiProperty({ example: 1 }) conversations: number;
  @ApiProperty({ example: 2 }) notes: number;
  @ApiProperty({ example: 3 }) media: number;
  @ApiProperty({ example: 1 }) campaignRecipients: number;
  /** Rows removed from each registered copy (webhookEvents, …). */
  [copy: string]: number;
}

export class ErasureResultDto {
  @ApiProperty({ type: ErasureCountsDto }) removed: ErasureCountsDto;
}

export class ContactSummaryDto {
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { read: 12, failed: 1, received: 20 }, description: 'Messages by status' }) counts: Record<string, number>;
  @ApiProperty() inbound: number;
  @ApiProperty() outbound: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastInboundAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastOutboundAt: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 0.42, description: 'Outbound messages answered ÷ outbound messages' }) replyRate: number | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) interest: unknown;
  @ApiProperty() optedOut: boolean;
}
