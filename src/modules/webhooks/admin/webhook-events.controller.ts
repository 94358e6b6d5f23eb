import { Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../../../common/http/openapi-page';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { UserRole, WebhookEventStatus } from '../../../database/entities/enums';
import { CurrentPrincipal, MinRole, type Principal } from '../../auth/principal';
import { WebhookEventsService } from './webhook-events.service';

class ListWebhookEventsQuery {
  @ApiPropertyOptional({ enum: WebhookEventStatus, example: 'failed' }) @IsOptional() @IsEnum(WebhookEventStatus) status?: WebhookEventStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() cursor?: string;
  @ApiPropertyOptional({ default: 25, maximum: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit = 25;
}

export class WebhookEventSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['meta', 'kapso'] }) provider: string;
  @ApiProperty({ nullable: true, type: String, example: 'whatsapp.message.received' }) eventName: string | null;
  @ApiProperty({ enum: WebhookEventStatus }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ nullable: true, type: 'array', items: { type: 'object', additionalProperties: true }, description: 'Items of the event that failed, each with its path and error' }) itemErrors: unknown;
  @ApiProperty({ format: 'date-time' }) receivedAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) processedAt: string | null;
}

@ApiTags('webhooks')
@ApiBearerAuth()
@MinRole(UserRole.Admin)
@Controller('api/v1/webhooks/events')
export class WebhookEventsController {
  constructor(private readonly events: WebhookEventsService) {}

  @Get()
  @ApiOperation({ summary: 'List stored webhook events (e.g. ?status=failed) with their errors and attempts' })
  @ApiPageResponse(WebhookEventSummaryDto)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListWebhookEventsQuery) {
    return this.events.list(principal.organizationId, query);
  }

  @Post(':id/replay')
  @ApiOperation({ summary: 'Reprocess one stored event (idempotent: already-applied items change nothing)' })
  @ApiOkResponse({ type: WebhookEventSummaryDto })
  replay(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.events.replay(principal.organizationId, id);
  }
}
