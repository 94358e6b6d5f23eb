import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class AnalyticsQueryDto {
  @ApiPropertyOptional({ description: 'start (inclusive), ISO 8601; default 30 days before `to`', example: '2026-11-01' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'end (exclusive), ISO 8601; default now', example: '2026-12-01' })
  @IsOptional()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional({ description: 'one WhatsApp account' })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @ApiPropertyOptional({ description: 'one human agent (user id)' })
  @IsOptional()
  @IsUUID()
  agent?: string;

  @ApiPropertyOptional({ description: 'conversations carrying this label' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string;
}
