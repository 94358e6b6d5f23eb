import { ApiProperty } from '@nestjs/swagger';

export class ChatwootConfigViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://app.chatwoot.com' }) baseUrl: string;
  @ApiProperty({ example: 1 }) accountId: number;
  @ApiProperty({ example: 7 }) inboxId: number;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSyncedAt: string | null;
}

export class ChatwootDriftDto {
  @ApiProperty() conversationsChecked: number;
  @ApiProperty() missingConversations: number;
  @ApiProperty() missingMessages: number;
  @ApiProperty() statusMismatches: number;
  @ApiProperty({ description: 'Conversations in the inbox that claim a Conversa conversation already mapped to another (reported, not deleted)' }) duplicateConversations: number;
  @ApiProperty() repaired: number;
  @ApiProperty() errors: number;
}

export class ChatwootSyncStatusDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSyncedAt: string | null;
  @ApiProperty({ description: 'Events waiting to reach Chatwoot (the sync queue depth)' }) pending: number;
  @ApiProperty({ description: 'Events that gave up' }) failed: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastReconciledAt: string | null;
  @ApiProperty({ type: ChatwootDriftDto, nullable: true, description: 'The latest scheduled reconcile: what differed and what it repaired' }) drift: ChatwootDriftDto | null;
}
