import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../../../common/http/openapi-page';
import { MessageViewDto, SendAcceptedDto } from './dto/message-responses.dto';
import { oneOfByType, SEND_MESSAGE_SCHEMAS } from './dto/send-message.docs';
import type { FastifyReply } from 'fastify';
import { ValidationFailedError } from '../../../common/errors/domain-error';
import { UserRole } from '../../../database/entities/enums';
import { CurrentPrincipal, MinRole, type Principal } from '../../auth/principal';
import { ListMessagesQueryDto, SendMessageDto } from './dto/send-message.dto';
import { MessagesQueryService } from './messages-query.service';
import { SendMessageService } from './send-message.service';

/** The `Idempotency-Key` header of the send routes (single and bulk). */
export const IDEMPOTENCY_KEY = ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes the request repeatable: the same key and body answer the first result (header idempotent-replayed: true)' });

@ApiTags('messages')
@ApiBearerAuth()
@ApiSecurity('api-key')
@ApiExtraModels(...SEND_MESSAGE_SCHEMAS)
@Controller('api/v1')
export class MessagesController {
  constructor(
    private readonly sender: SendMessageService,
    private readonly queries: MessagesQueryService,
  ) {}

  @Post('messages')
  @HttpCode(202)
  @MinRole(UserRole.Agent)
  @ApiOperation({ summary: 'Send a message of any type (text, media, location, contacts, reaction, interactive, template); it is queued and sent under the account’s rate limit' })
  @ApiBody({ schema: oneOfByType(SEND_MESSAGE_SCHEMAS) })
  @ApiAcceptedResponse({ type: SendAcceptedDto })
  @IDEMPOTENCY_KEY
  async send(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: SendMessageDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.sender.send(principal.organizationId, dto, checkKey(idempotencyKey));
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return result.body;
  }

  @Get('messages')
  @ApiOperation({ summary: 'List messages, newest first, with filters' })
  @ApiPageResponse(MessageViewDto)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListMessagesQueryDto) {
    return this.queries.list(principal.organizationId, query);
  }

  @Get('messages/:id')
  @ApiOperation({ summary: 'One message with its status, error and media' })
  @ApiOkResponse({ type: MessageViewDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.queries.get(principal.organizationId, id);
  }

  @Post('messages/:id/retry')
  @HttpCode(202)
  @MinRole(UserRole.Agent)
  @ApiOperation({ summary: 'Queue a failed outbound message again' })
  @ApiAcceptedResponse({ type: SendAcceptedDto })
  retry(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.queries.retry(principal.organizationId, id);
  }
}

export function checkKey(key: string | undefined): string | undefined {
  if (key === undefined || key === '') return undefined;
  if (key.length > 200) throw new ValidationFailedError('Idempotency-Key is too long', [{ field: 'Idempotency-Key', message: 'must be at most 200 characters' }]);
  return key;
}
