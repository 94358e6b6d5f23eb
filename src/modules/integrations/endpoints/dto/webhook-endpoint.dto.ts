import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsISO8601, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';

const ORDERED_DESCRIPTION =
  "Events of one conversation are delivered in order: each is attempted only once the conversation's previous event to this endpoint has been delivered or died (events without a conversation are never held; applies to events fanned out after the change)";

export class CreateWebhookEndpointDto {
  @ApiProperty({ example: 'https://hooks.example.com/conversa', description: 'http(s) (signed POSTs) or ws(s) (the same signed envelopes as WebSocket frames, one connection kept open); private, loopback and link-local addresses are refused' })
  @IsString()
  @MaxLength(2048)
  url: string;

  @ApiProperty({ example: ['message.received', 'message.status'], description: 'Event types, or ["*"] for all' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(32)
  @IsString({ each: true })
  events: string[];

  @ApiPropertyOptional({ example: 'CRM sync' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ description: 'Your own `whsec_…` secret (base64 of 24–64 bytes); one is generated when absent. Shown once.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  secret?: string;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 10000, example: 50, description: 'Attempts per second at most, per worker process (null: the server default, WEBHOOK_ENDPOINT_MAX_PER_SECOND)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  maxPerSecond?: number | null;

  @ApiPropertyOptional({ type: Boolean, description: `${ORDERED_DESCRIPTION} Default false.` })
  // Absent leaves it as it is; null is refused (there is no "server default" to fall back to).
  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  ordered?: boolean;
}

/** Any field of the create body except the secret (rotated on its own route); `ordered` may be absent but never null. */
export class UpdateWebhookEndpointDto extends PartialType(OmitType(CreateWebhookEndpointDto, ['secret', 'ordered'] as const)) {
  @ApiPropertyOptional({ type: Boolean, description: ORDERED_DESCRIPTION })
  @ValidateIf((_, value) => value !== undefined)
  @IsBoolean()
  ordered?: boolean;
}

export class ReplayDto {
  @ApiProperty({ example: '2026-01-01T00:00:00Z' })
  @IsISO8601()
  since: string;

  @ApiProperty({ example: '2026-01-02T00:00:00Z', description: 'Exclusive' })
  @IsISO8601()
  until: string;

  @ApiPropertyOptional({ example: ['message.received'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  types?: string[];
}
