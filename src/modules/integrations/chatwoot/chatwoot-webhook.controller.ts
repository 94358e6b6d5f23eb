import { Controller, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, type RawBodyRequest, Req } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { CommonErrorCode } from '../../../common/errors/common.errors';
import { DomainError } from '../../../common/errors/domain-error';
import { Public } from '../../auth/principal';
import { WebhooksErrorCode } from '../../webhooks/webhooks.errors';
import { ChatwootWebhookService } from './chatwoot-webhook.service';

/** Chatwoot → Conversa: account webhooks and the API-channel inbox callback. Verifies, stores, answers. */
@ApiTags('webhooks')
@Public()
@SkipThrottle()
@Controller('webhooks/chatwoot')
export class ChatwootWebhookController {
  constructor(private readonly webhooks: ChatwootWebhookService) {}

  @Post(':integrationId')
  @HttpCode(200)
  @ApiExcludeEndpoint()
  receive(
    @Param('integrationId', ParseUUIDPipe) integrationId: string,
    @Req() request: RawBodyRequest<FastifyRequest>,
    @Headers('x-chatwoot-signature') signature: string | undefined,
    @Headers('x-chatwoot-timestamp') timestamp: string | undefined,
    @Query('token') token: string | undefined,
  ) {
    if (!String(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      throw new DomainError(CommonErrorCode.UnsupportedMediaType, 'Webhooks must be sent as application/json');
    }
    if (!request.rawBody || request.rawBody.length === 0) throw new DomainError(WebhooksErrorCode.EmptyBody, 'The request body is empty');
    return this.webhooks.receive({ integrationId, rawBody: request.rawBody, body: request.body, credentials: { signature, timestamp, token } });
  }
}
