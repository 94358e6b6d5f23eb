import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ThrottlerException } from '@nestjs/throttler';
import { AuthErrorCode } from '../../modules/auth/auth.errors';
import { CommonErrorCode } from '../errors/common.errors';
import { DomainError } from '../errors/domain-error';
import type { ErrorCode } from '../errors/error-status';

interface ErrorBody {
  statusCode: number;
  code: ErrorCode | string;
  message: string;
  details?: Record<string, unknown>;
}

/** Codes for errors raised by the HTTP layer itself (routing, body parsing, throttling), by status. */
const HTTP_CODES: Record<number, ErrorCode> = {
  400: CommonErrorCode.BadRequest,
  401: AuthErrorCode.Unauthorized,
  403: AuthErrorCode.Forbidden,
  404: CommonErrorCode.NotFound,
  405: CommonErrorCode.MethodNotAllowed,
  409: CommonErrorCode.Conflict,
  413: CommonErrorCode.PayloadTooLarge,
  415: CommonErrorCode.UnsupportedMediaType,
  422: CommonErrorCode.UnprocessableEntity,
  429: CommonErrorCode.RateLimited,
  503: CommonErrorCode.ServiceUnavailable,
};

/** Every error leaves as `{statusCode, code, message}` with a stable upper-snake code. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const body = toErrorBody(exception);
    if (body.statusCode >= 500) request.log?.error({ err: exception }, 'request failed');
    if (exception instanceof ThrottlerException && !reply.getHeader('retry-after')) reply.header('Retry-After', '60');
    void reply.status(body.statusCode).send(body);
  }
}

export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof DomainError) {
    return { statusCode: exception.status, code: exception.code, message: exception.message, ...(exception.details ? { details: exception.details } : {}) };
  }
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    const response = exception.getResponse();
    // Nest wraps Fastify's body-parser errors (malformed JSON, size, content type) with the original as `cause`.
    const causeCode = fastifyErrorCode((exception.cause as { code?: string } | undefined)?.code);
    const code = causeCode ?? ((typeof response === 'object' && response && 'code' in response && String(response.code)) || HTTP_CODES[statusCode] || (statusCode >= 500 ? CommonErrorCode.InternalError : CommonErrorCode.BadRequest));
    return { statusCode, code, message: exception.message, ...(extraDetails(response) ? { details: extraDetails(response) } : {}) };
  }
  const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode < 500) {
    const statusCode = fastifyError.statusCode;
    const code = fastifyErrorCode(fastifyError.code) ?? HTTP_CODES[statusCode] ?? CommonErrorCode.BadRequest;
    return { statusCode, code, message: fastifyError.message ?? 'Bad request' };
  }
  return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: CommonErrorCode.InternalError, message: 'Internal server error' };
}

function fastifyErrorCode(code: string | undefined): ErrorCode | undefined {
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return CommonErrorCode.PayloadTooLarge;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return CommonErrorCode.UnsupportedMediaType;
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return CommonErrorCode.MalformedJson;
    default:
      return undefined;
  }
}

/** Structured bodies some libraries attach (e.g. Terminus naming which dependency is down). */
function extraDetails(response: string | object): Record<string, unknown> | undefined {
  if (typeof response !== 'object' || response === null) return undefined;
  const { statusCode: _s, message: _m, error: _e, code: _c, ...rest } = response as Record<string, unknown>;
  if (Object.keys(rest).length === 0 && typeof _e !== 'object') return undefined;
  return typeof _e === 'object' ? { error: _e, ...rest } : rest;
}
