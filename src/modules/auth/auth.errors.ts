export enum AuthErrorCode {
  Unauthorized = 'UNAUTHORIZED',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  Forbidden = 'FORBIDDEN',
  RoleNotDeclared = 'ROLE_NOT_DECLARED',
  EmailConflict = 'EMAIL_CONFLICT',
  UserNotFound = 'USER_NOT_FOUND',
  ApiKeyNotFound = 'API_KEY_NOT_FOUND',
  OrganizationNotFound = 'ORGANIZATION_NOT_FOUND',
  CsrfHeaderMissing = 'CSRF_HEADER_MISSING',
}
