import { Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
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

@ApiTags('webhooks')
@ApiBearerAuth()
@MinRole(UserRole.Admin)
@Controller('api/v1/webhooks/events')
export class WebhookEventsController {
  constructor(private readonly events: WebhookEventsService) {}

  @Get()
  @ApiOperation({ summary: 'List stored webhook events (e.g. ?status=failed) with their errors and attempts' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListWebhookEventsQuery) {
    return this.events.list(principal.organizationId, query);
  }

  @Post(':id/replay')
  @ApiOperation({ summary: 'Reprocess one stored event (idempotent: already-applied items change nothing)' })
  replay(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.events.replay(principal.organizationId, id);
  }
}
