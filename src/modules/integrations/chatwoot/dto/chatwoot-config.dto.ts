import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsPositive, IsString, MaxLength, MinLength } from 'class-validator';

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
}
