import { DomainError } from '../../common/errors/domain-error';
import { AuthErrorCode } from './auth.errors';

export const AuthErrors = {
  unauthorized: (message = 'Authentication required') => new DomainError(AuthErrorCode.Unauthorized, message),
  invalidCredentials: () => new DomainError(AuthErrorCode.InvalidCredentials, 'Email or password is incorrect'),
  forbidden: (message = 'Your role does not allow this action') => new DomainError(AuthErrorCode.Forbidden, message),
  roleNotDeclared: () => new DomainError(AuthErrorCode.RoleNotDeclared, 'This route declares no minimum role, so it is refused to every role'),
  csrfHeaderMissing: () => new DomainError(AuthErrorCode.CsrfHeaderMissing, 'Requests authenticated by the session cookie must send the X-Conversa-CSRF header'),
  emailTaken: () => new DomainError(AuthErrorCode.EmailConflict, 'A user with this email already exists'),
};
