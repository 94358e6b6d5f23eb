import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsTimeZone, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import type { BusinessHours } from '../../../../database/entities/whatsapp-account.entity';
import { IsBusinessHours } from './business-hours.validator';
import { WhatsappProviderKind } from '../../../../database/entities/enums';

export class CreateWhatsappAccountDto {
  @ApiProperty({ example: 'Contadores Ltda. — ventas' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: WhatsappProviderKind, example: WhatsappProviderKind.Meta })
  @IsEnum(WhatsappProviderKind)
  provider: WhatsappProviderKind;

  @ApiProperty({ example: '106540352242922', description: "Meta's phone number id" })
  @Matches(/^[0-9A-Za-z_-]{1,64}$/)
  phoneNumberId: string;

  @ApiPropertyOptional({ example: '102290129340398' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z_-]{1,64}$/)
  wabaId?: string;

  @ApiPropertyOptional({ example: '+56 2 2345 6789' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  displayPhoneNumber?: string;

  @ApiPropertyOptional({ description: 'System-user token (Meta) or project API key (Kapso); required for both. Ignored for sandbox accounts: the sandbox issues its own. Write-only: never returned.', example: 'EAAG…' })
  @ValidateIf((dto: CreateWhatsappAccountDto) => dto.provider !== WhatsappProviderKind.Sandbox)
  @IsString()
  @MinLength(8)
  @MaxLength(1024)
  accessToken?: string;

  @ApiPropertyOptional({ description: 'App secret for /webhooks/meta/:accountId (ignored for sandbox accounts). Write-only.' })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(256)
  appSecret?: string;

  @ApiPropertyOptional({ example: 'CL', description: 'Region for numbers typed without a country code' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/)
  defaultRegion?: string;

  @ApiPropertyOptional({ example: 80, description: 'Messages per second this number may send' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  rateLimitPerSecond?: number;

  @ApiPropertyOptional({ example: 2000, nullable: true, description: "Meta's messaging tier: unique recipients per rolling 24 h campaigns may reach (null: unlimited); Meta's business_capability_update webhook keeps it current" })
  @IsOptional()
  @IsInt()
  @Min(1)
  messagingLimit?: number | null;

  @ApiPropertyOptional({ example: 'America/Santiago', description: 'IANA time zone the business hours are read in' })
  @IsOptional()
  @IsTimeZone()
  timezone?: string;

  @ApiPropertyOptional({
    description: 'Weekly opening hours (local times in `timezone`) and closed dates; read by the business-hours agent. `null` clears them.',
    example: { weekly: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], sat: [['10:00', '13:00']] }, holidays: ['2026-09-18'] },
    type: 'object',
    additionalProperties: true,
    nullable: true,
  })
  @IsOptional()
  @IsBusinessHours()
  businessHours?: BusinessHours | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  autoRepliesEnabled?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;
}

export class UpdateWhatsappAccountDto extends PartialType(CreateWhatsappAccountDto) {}

/** An account as the API answers it: never its access token or app secret. */
export class WhatsappAccountDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty({ example: 'Contadores Ltda. — ventas' }) name: string;
  @ApiProperty({ enum: WhatsappProviderKind }) provider: WhatsappProviderKind;
  @ApiProperty({ example: '106540352242922' }) phoneNumberId: string;
  @ApiProperty({ nullable: true, type: String }) wabaId: string | null;
  @ApiProperty({ nullable: true, type: String, example: '+56 2 2345 6789' }) displayPhoneNumber: string | null;
  @ApiProperty({ example: 'CL' }) defaultRegion: string;
  @ApiProperty({ example: 80 }) rateLimitPerSecond: number;
  @ApiProperty({ example: 'America/Santiago' }) timezone: string;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, example: { weekly: { mon: [['09:00', '18:00']] }, holidays: ['2026-09-18'] } }) businessHours: BusinessHours | null;
  @ApiProperty() autoRepliesEnabled: boolean;
  @ApiProperty() isDefault: boolean;
  @ApiProperty({ nullable: true, type: String, example: 'GREEN' }) qualityRating: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What Meta last reported about the number (account updates, limits)' }) providerState: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class AccountHealthDto {
  @ApiProperty({ example: true }) ok: boolean;
  @ApiProperty({ example: 182 }) latencyMs: number;
  @ApiPropertyOptional({ description: 'Stable error code when not ok', example: 'PROVIDER_AUTHENTICATION_FAILED' }) error?: string;
}
