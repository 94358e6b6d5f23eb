import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsPositive, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { TemplateRefDto } from '../../../communications/outbound/dto/send-message.dto';

export class PutChatwootConfigDto {
  @ApiProperty({ example: 'https://app.chatwoot.com', description: 'http(s); private addresses are refused unless WEBHOOK_ALLOW_PRIVATE_URLS' })
  @IsString()
  @MaxLength(2048)
  baseUrl: string;

  @ApiProperty({ example: 1 })
  @IsInt()
  @IsPositive()
  accountId: number;

  @ApiProperty({ example: 7, description: 'An API-channel inbox' })
  @IsInt()
  @IsPositive()
  inboxId: number;

  @ApiProperty({ description: "A Chatwoot user's or agent bot's access token; write-only (never answered)" })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  apiAccessToken: string;

  @ApiPropertyOptional({
    description:
      "Verifies Chatwoot's webhooks to /webhooks/chatwoot/{id}: the HMAC key of X-Chatwoot-Signature (the API inbox's or webhook's secret), or the `?token=` of the callback URL. Write-only; omitted keeps the stored one",
  })
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  callbackSecret?: string;

  @ApiPropertyOptional({ type: TemplateRefDto, description: "Sent instead of an agent's reply once the 24-hour window has closed; without it the agent gets a private note" })
  @IsOptional()
  @ValidateNested()
  @Type(() => TemplateRefDto)
  fallbackTemplate?: TemplateRefDto;

  @ApiPropertyOptional({ default: false, description: 'Resolving the conversation in Chatwoot also gives it back to the bot' })
  @IsOptional()
  @IsBoolean()
  resumeBotOnResolve?: boolean;
}
