/**
 * The one error type services throw. The global HTTP filter answers
 * `{statusCode, code, message, details?}`; workers use the same `code` to decide
 * between retry and give up. Services never throw Nest's HttpException.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly status: number = statusForCode(code),
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** `contact` → 404 `CONTACT_NOT_FOUND`. */
export class NotFoundError extends DomainError {
  constructor(resource: string, details?: Record<string, unknown>) {
    super(`${resource.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_NOT_FOUND`, `${resource} not found`, details, 404);
  }
}

export class ValidationFailedError extends DomainError {
  constructor(message: string, fields: Array<{ field: string; message: string }>) {
    super('VALIDATION_FAILED', message, { fields }, 400);
  }
}

function statusForCode(code: string): number {
  if (code.endsWith('_NOT_FOUND')) return 404;
  if (code.endsWith('_CONFLICT') || code.startsWith('IDEMPOTENCY_')) return 409;
  if (code === 'VALIDATION_FAILED' || code.startsWith('INVALID_')) return 400;
  if (code === 'UNAUTHORIZED') return 401;
  if (code === 'FORBIDDEN') return 403;
  return 422;
}
