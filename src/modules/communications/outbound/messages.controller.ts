import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ValidationFailedError } from '../../../common/errors/domain-error';
import { UserRole } from '../../../database/entities/enums';
import { CurrentPrincipal, MinRole, type Principal } from '../../auth/principal';
import { ListMessagesQueryDto, SendMessageDto } from './dto/send-message.dto';
import { MessagesQueryService } from './messages-query.service';
import { SendMessageService } from './send-message.service';

@ApiTags('messages')
@Controller('api/v1')
export class MessagesController {
  constructor(
    private readonly sender: SendMessageService,
    private readonly queries: MessagesQueryService,
  ) {}

  @Post('messages')
  @HttpCode(202)
  @MinRole(UserRole.Agent)
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
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListMessagesQueryDto) {
    return this.queries.list(principal.organizationId, query);
  }

  @Get('messages/:id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.queries.get(principal.organizationId, id);
  }

  @Post('messages/:id/retry')
  @HttpCode(202)
  @MinRole(UserRole.Agent)
  retry(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.queries.retry(principal.organizationId, id);
  }
}

export function checkKey(key: string | undefined): string | undefined {
  if (key === undefined || key === '') return undefined;
  if (key.length > 200) throw new ValidationFailedError('Idempotency-Key is too long', [{ field: 'Idempotency-Key', message: 'must be at most 200 characters' }]);
  return key;
}
