import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';

export class TemplateReviewDto {
  @ApiProperty({ enum: ['APPROVED', 'REJECTED'], example: 'REJECTED', description: 'What the simulated review decides, SANDBOX_TEMPLATE_REVIEW_MS after a submit' })
  @IsIn(['APPROVED', 'REJECTED'])
  outcome: 'APPROVED' | 'REJECTED';

  @ApiPropertyOptional({ example: 'INVALID_FORMAT', description: "Meta's rejection reason sent with REJECTED (e.g. INVALID_FORMAT, TAG_CONTENT_MISMATCH, ABUSIVE_CONTENT)" })
  @ValidateIf((dto: TemplateReviewDto) => dto.reason !== undefined && dto.reason !== null)
  @IsString()
  @MaxLength(200)
  reason?: string | null;
}

export class FailingRecipientDto {
  @ApiProperty({ example: '+56911110000', description: 'Messages to this customer number fail' })
  @Matches(/^\+?[1-9]\d{6,14}$/)
  phone: string;

  @ApiProperty({ example: 131026, description: 'The Meta error code of the `failed` status webhook (e.g. 131026 undeliverable, 131047 re-engagement, 130429 rate limit)' })
  @IsInt()
  @Min(1)
  @Max(9_999_999)
  code: number;
}

export class SandboxSettingsDto {
  @ApiPropertyOptional({ description: 'Sandbox account (default: the organisation’s first sandbox account)' })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @ApiPropertyOptional({ type: TemplateReviewDto, description: 'Default: every submitted template is APPROVED' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TemplateReviewDto)
  templateReview?: TemplateReviewDto;

  @ApiPropertyOptional({ type: [FailingRecipientDto], description: 'Replaces the list; [] makes every recipient succeed again' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => FailingRecipientDto)
  failingRecipients?: FailingRecipientDto[];
}

export class SandboxSettingsResponseDto {
  @ApiProperty({ format: 'uuid' })
  accountId: string;

  @ApiProperty({ type: TemplateReviewDto })
  templateReview: TemplateReviewDto;

  @ApiProperty({ type: [FailingRecipientDto] })
  failingRecipients: FailingRecipientDto[];
}

export class OutboxEntryDto {
  @ApiProperty({ example: 'wamid.HBgL…' }) id: string;
  @ApiProperty({ example: '106540352242922' }) phoneNumberId: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The Graph API request body as "Meta" received it' }) body: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
}

export class SimulatedInboundDto {
  @ApiProperty({ example: 'wamid.HBgL…' }) providerMessageId: string;
  @ApiProperty({ nullable: true, type: Number, example: 200, description: 'What this service answered the signed webhook' }) webhookStatus: number | null;
}
