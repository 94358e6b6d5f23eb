import { Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, type RawBodyRequest, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sha256Hex } from '../../../common/crypto';
import { DomainError } from '../../../common/errors/domain-error';
import { AppConfig } from '../../../config/app-config';
import { WebhookProvider } from '../../../database/entities/enums';
import { Public } from '../../auth/principal';
import { kapsoPayloadRefusal } from '../normalizer/kapso-payload.normalizer';
import { verifyKapsoSignature, verifyMetaSignature } from '../signature/webhook-signature';
import { WebhookIngestService } from './webhook-ingest.service';
import { WebhookSecrets } from './webhook-secrets.service';
import { WebhooksErrorCode } from '../webhooks.errors';
import { CommonErrorCode } from '../../../common/errors/common.errors';

const invalidSignature = () => new DomainError(WebhooksErrorCode.InvalidSignature, 'Missing or invalid webhook signature');

/** Verifies, stores, enqueues, answers. No parsing beyond routing, no business logic. */
@ApiTags('webhooks')
@Public()
@SkipThrottle()
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly ingest: WebhookIngestService,
    private readonly secrets: WebhookSecrets,
    private readonly config: AppConfig,
  ) {}

  @Get('meta')
  @ApiOperation({ summary: "Meta's verification handshake: answers the bare hub.challenge" })
  @ApiOkResponse({ description: 'The hub.challenge, as text', content: { 'text/plain': { schema: { type: 'string', example: '1158201444' } } } })
  verify(@Query() query: Record<string, string>, @Res() reply: FastifyReply): void {
    const token = this.config.META_VERIFY_TOKEN;
    if (query['hub.mode'] === 'subscribe' && token && query['hub.verify_token'] === token && query['hub.challenge'] !== undefined) {
      void reply.status(200).type('text/plain').send(query['hub.challenge']);
      return;
    }
    throw new DomainError(WebhooksErrorCode.VerificationFailed, 'Verify token mismatch');
  }

  @Post('meta')
  @HttpCode(200)
  @ApiExcludeEndpoint()
  async meta(@Req() request: RawBodyRequest<FastifyRequest>, @Headers('x-hub-signature-256') signature: string | undefined) {
    const raw = rawBodyOf(request);
    if (!verifyMetaSignature(raw, signature, this.config.META_APP_SECRET)) throw invalidSignature();
    await this.ingest.store({ provider: WebhookProvider.Meta, idempotencyKey: `meta:${sha256Hex(raw)}`, whatsappAccountId: null, eventName: null, rawBody: raw });
    return { received: true };
  }

  /** For accounts whose Meta app has its own app secret. */
  @Post('meta/:accountId')
  @HttpCode(200)
  @ApiExcludeEndpoint()
  async metaForAccount(
    @Param('accountId', ParseUUIDPipe) accountId: string,
    @Req() request: RawBodyRequest<FastifyRequest>,
    @Headers('x-hub-signature-256') signature: string | undefined,
  ) {
    const raw = rawBodyOf(request);
    const secret = await this.secrets.metaAppSecret(accountId);
    if (!secret || !verifyMetaSignature(raw, signature, secret)) throw invalidSignature();
    await this.ingest.store({ provider: WebhookProvider.Meta, idempotencyKey: `meta:${sha256Hex(raw)}`, whatsappAccountId: accountId, eventName: null, rawBody: raw });
    return { received: true };
  }

  @Post('kapso')
  @HttpCode(200)
  @ApiExcludeEndpoint()
  async kapso(
    @Req() request: RawBodyRequest<FastifyRequest>,
    @Headers('x-webhook-signature') signature: string | undefined,
    @Headers('x-kapso-signature') legacySignature: string | undefined,
    @Headers('x-webhook-event') eventName: string | undefined,
    @Headers('x-idempotency-key') idempotencyKey: string | undefined,
  ) {
    const raw = rawBodyOf(request);
    // Older integrations name the same HMAC header X-Kapso-Signature.
    if (!verifyKapsoSignature(raw, signature ?? legacySignature, this.config.KAPSO_WEBHOOK_SECRET)) throw invalidSignature();
    const refusal = kapsoPayloadRefusal(request.body, eventName);
    if (refusal) throw new DomainError(WebhooksErrorCode.UnsupportedPayload, `Kapso webhook not understood: ${refusal}`);
    const key = idempotencyKey && idempotencyKey.length <= 100 ? idempotencyKey : sha256Hex(raw);
    await this.ingest.store({ provider: WebhookProvider.Kapso, idempotencyKey: `kapso:${key}`, whatsappAccountId: null, eventName: eventName?.slice(0, 100) ?? null, rawBody: raw });
    return { received: true };
  }
}

function rawBodyOf(request: RawBodyRequest<FastifyRequest>): Buffer {
  if (!String(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    throw new DomainError(CommonErrorCode.UnsupportedMediaType, 'Webhooks must be sent as application/json');
  }
  if (!request.rawBody || request.rawBody.length === 0) throw new DomainError(WebhooksErrorCode.EmptyBody, 'The request body is empty');
  return request.rawBody;
}
