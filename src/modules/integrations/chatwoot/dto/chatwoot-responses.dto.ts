import { ApiProperty } from '@nestjs/swagger';

export class ChatwootConfigViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://app.chatwoot.com' }) baseUrl: string;
  @ApiProperty({ example: 1 }) accountId: number;
  @ApiProperty({ example: 7 }) inboxId: number;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSyncedAt: string | null;
}

export class ChatwootSyncStatusDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSyncedAt: string | null;
  @ApiProperty({ description: 'Events waiting to reach Chatwoot' }) pending: number;
  @ApiProperty({ description: 'Events that gave up' }) failed: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
}
