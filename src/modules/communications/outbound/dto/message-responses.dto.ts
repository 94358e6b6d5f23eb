import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MessageDirection, MessageStatus } from '../../../../database/entities/enums';
import { MediaViewDto } from '../../media/media.dto';

export class SendAcceptedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['queued'], example: 'queued' }) status: 'queued';
  @ApiProperty({ format: 'uuid' }) conversationId: string;
}

export class BulkAcceptedDto {
  @ApiProperty({ format: 'uuid', description: 'Follow it with GET /api/v1/jobs/{jobId}' }) jobId: string;
  @ApiProperty({ example: 250 }) total: number;
}

export class BulkJobStatusDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['scheduled', 'queued', 'running', 'completed', 'cancelled'], example: 'running' }) status: string;
  @ApiProperty() total: number;
  @ApiProperty({ description: 'Recipients not fanned out yet' }) pending: number;
  @ApiProperty() queued: number;
  @ApiProperty() sent: number;
  @ApiProperty() delivered: number;
  @ApiProperty() read: number;
  @ApiProperty() failed: number;
  @ApiProperty({ description: 'Recipients refused before sending (opted out, invalid number, window closed…)' }) skipped: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) sendAt: string | null;
}

export class MessageErrorDto {
  @ApiProperty({ example: '131026' }) code: string;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
  @ApiProperty({ nullable: true, type: String }) message: string | null;
}

/** A message as GET /messages and /messages/{id} answer it. */
export class MessageViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) conversationId: string;
  @ApiProperty({ format: 'uuid' }) contactId: string;
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ enum: MessageDirection }) direction: MessageDirection;
  @ApiProperty({ example: 'text' }) type: string;
  @ApiProperty({ enum: MessageStatus }) status: MessageStatus;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "The type's object as sent or received" }) content: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) text: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'wamid.HBgL…' }) providerMessageId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) replyToMessageId: string | null;
  @ApiProperty({ type: MessageErrorDto, nullable: true }) error: MessageErrorDto | null;
  @ApiProperty({ type: MediaViewDto, nullable: true }) media: MediaViewDto | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) templateName: string | null;
  @ApiProperty({ nullable: true, type: String }) templateLanguage: string | null;
  @ApiPropertyOptional({ nullable: true, oneOf: [{ type: 'array', items: { type: 'string' } }, { type: 'object', additionalProperties: { type: 'string' } }] }) templateVariables: string[] | Record<string, string> | null;
  @ApiProperty() isFallback: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The bulk job it belongs to' }) campaignId: string | null;
  @ApiProperty({ nullable: true, type: String }) kind: string | null;
  @ApiProperty({ nullable: true, type: String }) externalRef: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) metadata: Record<string, unknown> | null;
  @ApiProperty() priority: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) sendAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) sentAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) deliveredAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) readAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) failedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When the customer first replied to it' }) replyReceivedAt: string | null;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}
