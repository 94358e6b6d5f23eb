import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { UserRole } from '../../database/entities/enums';
import { CurrentPrincipal, MinRole, type Principal } from '../auth/principal';
import { BulkSendDto } from '../communications/outbound/dto/send-message.dto';
import { BulkAcceptedDto, BulkJobStatusDto } from '../communications/outbound/dto/message-responses.dto';
import { BULK_SEND_SCHEMAS, oneOfByType } from '../communications/outbound/dto/send-message.docs';
import { checkKey, IDEMPOTENCY_KEY } from '../communications/outbound/messages.controller';
import { BulkSendService } from './bulk-send.service';

/** The bulk API of before campaigns, kept as is: a bulk send is a campaign and its job id is the campaign id. */
@ApiTags('messages')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiExtraModels(...BULK_SEND_SCHEMAS)
@Controller('api/v1')
export class BulkSendController {
  constructor(private readonly bulk: BulkSendService) {}

  @Post('messages/bulk')
  @HttpCode(202)
  @MinRole(UserRole.Agent)
  @ApiOperation({ summary: 'Send one message to many recipients (a campaign: fan-out, pacing, progress at GET /jobs/{id})' })
  @ApiBody({ schema: oneOfByType(BULK_SEND_SCHEMAS) })
  @ApiAcceptedResponse({ type: BulkAcceptedDto })
  @IDEMPOTENCY_KEY
  async sendBulk(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: BulkSendDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.bulk.create(principal.organizationId, principal.kind === 'user' ? principal.id : null, dto, checkKey(idempotencyKey));
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return result.body;
  }

  @Get('jobs/:id')
  @ApiOperation({ summary: 'Progress of a bulk send: recipients queued, sent, delivered, failed, skipped' })
  @ApiOkResponse({ type: BulkJobStatusDto })
  job(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.bulk.status(principal.organizationId, id);
  }
}
