import { CommonErrorCode } from './common.errors';
import { type ErrorCode, httpStatusOf } from './error-status';

/**
 * The one error type services throw. The global HTTP filter answers
 * `{statusCode, code, message, details?}` with the status the code maps to in `ERROR_STATUS`;
 * workers use the same `code` to decide between retry and give up. Services never throw HttpException.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return httpStatusOf(this.code);
  }
}

export class ValidationFailedError extends DomainError {
  constructor(message: string, fields: Array<{ field: string; message: string }>) {
    super(CommonErrorCode.ValidationFailed, message, { fields });
  }
}

/** `new NotFoundError(CommunicationsErrorCode.ContactNotFound, 'contact')` → 404 "contact not found". */
export class NotFoundError extends DomainError {
  constructor(code: ErrorCode, resource: string, details?: Record<string, unknown>) {
    super(code, `${resource} not found`, details);
  }
}
