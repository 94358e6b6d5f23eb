import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ThrottlerException } from '@nestjs/throttler';
import { DomainError } from '../errors/domain-error';

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
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
    const code = causeCode ?? ((typeof response === 'object' && response && 'code' in response && String(response.code)) || HTTP_CODES[statusCode] || 'HTTP_ERROR');
    return { statusCode, code, message: exception.message, ...(extraDetails(response) ? { details: extraDetails(response) } : {}) };
  }
  const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode < 500) {
    const statusCode = fastifyError.statusCode;
    const code = fastifyErrorCode(fastifyError.code) ?? HTTP_CODES[statusCode] ?? 'BAD_REQUEST';
    return { statusCode, code, message: fastifyError.message ?? 'Bad request' };
  }
  return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: 'INTERNAL_ERROR', message: 'Internal server error' };
}

function fastifyErrorCode(code: string | undefined): string | undefined {
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'PAYLOAD_TOO_LARGE';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'MALFORMED_JSON';
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
