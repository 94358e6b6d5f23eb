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
