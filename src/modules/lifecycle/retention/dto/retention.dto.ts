import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf } from 'class-validator';

const AGE = { type: Number, nullable: true, minimum: 1, maximum: 36500, example: 90 } as const;

/** Ages in days per kind; null (or absent) keeps that kind forever. */
export class RetentionPolicyDto {
  @ApiPropertyOptional({ ...AGE, description: 'message text and captions are scrubbed (the row and its status stay)' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(1)
  @Max(36500)
  messageBodyDays?: number | null;

  @ApiPropertyOptional({ ...AGE, description: 'media files and their rows' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(1)
  @Max(36500)
  mediaDays?: number | null;

  @ApiPropertyOptional({ ...AGE, description: 'raw webhook events of the organisation’s numbers' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(1)
  @Max(36500)
  webhookEventDays?: number | null;

  @ApiPropertyOptional({ ...AGE, description: 'agent runs' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(1)
  @Max(36500)
  agentRunDays?: number | null;

  @ApiPropertyOptional({ ...AGE, description: 'closed conversations (counted from their close) with their messages and media' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(1)
  @Max(36500)
  closedConversationDays?: number | null;

  @ApiPropertyOptional({ ...AGE, description: 'campaign recipient rows' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(1)
  @Max(36500)
  campaignRecipientDays?: number | null;
}

export class RetentionCountsDto {
  @ApiPropertyOptional() conversations?: number;
  @ApiPropertyOptional() media?: number;
  @ApiPropertyOptional() messageBodies?: number;
  @ApiPropertyOptional() webhookEvents?: number;
  @ApiPropertyOptional() agentRuns?: number;
  @ApiPropertyOptional() campaignRecipients?: number;
}

export class RetentionPreviewDto {
  @ApiProperty() asOf: string;
  @ApiProperty({ type: RetentionCountsDto }) counts: RetentionCountsDto;
}

export class RetentionRunDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['schedule', 'cli', 'api'] }) trigger: string;
  @ApiProperty() dryRun: boolean;
  @ApiProperty() asOf: string;
  @ApiProperty({ description: 'ages applied, days per kind' }) policy: Record<string, number | null>;
  @ApiProperty({ type: RetentionCountsDto }) removed: RetentionCountsDto;
  @ApiProperty({ enum: ['running', 'completed', 'failed'] }) status: string;
  @ApiProperty() startedAt: string;
  @ApiProperty({ nullable: true }) finishedAt: string | null;
}

export class RetentionRunPageDto {
  @ApiProperty({ type: [RetentionRunDto] }) data: RetentionRunDto[];
  @ApiProperty({ nullable: true, example: null }) nextCursor: string | null;
}

export class CreateLegalHoldDto {
  @ApiPropertyOptional({ description: 'hold every conversation of this contact' })
  @IsOptional()
  @IsUUID()
  contactId?: string;

  @ApiPropertyOptional({ description: 'hold one conversation' })
  @IsOptional()
  @IsUUID()
  conversationId?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class LegalHoldDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true }) contactId: string | null;
  @ApiProperty({ nullable: true }) conversationId: string | null;
  @ApiProperty({ nullable: true }) reason: string | null;
  @ApiProperty() createdAt: string;
}
