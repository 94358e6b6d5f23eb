import { ApiProperty } from '@nestjs/swagger';

export class ChatwootConfigViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://app.chatwoot.com' }) baseUrl: string;
  @ApiProperty({ example: 1 }) accountId: number;
  @ApiProperty({ example: 7 }) inboxId: number;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSyncedAt: string | null;
  @ApiProperty({ description: 'Whether a callback secret is stored (it is never answered)' }) callbackSecretSet: boolean;
  @ApiProperty({ example: '/webhooks/chatwoot/5b0e…', description: "Where Chatwoot posts: the API inbox's callback URL and the account webhook" }) webhookPath: string;
  @ApiProperty({ type: Object, nullable: true, example: { name: 'seguimiento', language: 'es' } }) fallbackTemplate: Record<string, unknown> | null;
  @ApiProperty() resumeBotOnResolve: boolean;
}

export class ChatwootTestResultDto {
  @ApiProperty({ description: 'The token was accepted and the inbox found' }) ok: boolean;
  @ApiProperty({ enum: ['ok', 'unreachable', 'token_rejected', 'inbox_not_found', 'not_api_inbox', 'error'] }) check: string;
  @ApiProperty({ type: String, nullable: true, example: 'Seguros WhatsApp' }) inboxName: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Channel::Api' }) channelType: string | null;
  @ApiProperty({ type: String, nullable: true }) message: string | null;
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
