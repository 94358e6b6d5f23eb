import { DomainError } from '../../common/errors/domain-error';

export const AuthErrors = {
  unauthorized: (message = 'Authentication required') => new DomainError('UNAUTHORIZED', message, undefined, 401),
  invalidCredentials: () => new DomainError('INVALID_CREDENTIALS', 'Email or password is incorrect', undefined, 401),
  forbidden: (message = 'Your role does not allow this action') => new DomainError('FORBIDDEN', message, undefined, 403),
  roleNotDeclared: () => new DomainError('ROLE_NOT_DECLARED', 'This route declares no minimum role, so it is refused to every role', undefined, 403),
  emailTaken: () => new DomainError('EMAIL_CONFLICT', 'A user with this email already exists', undefined, 409),
};
