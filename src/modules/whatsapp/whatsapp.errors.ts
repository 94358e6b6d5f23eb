export enum WhatsappErrorCode {
  AccountNotFound = 'WHATSAPP_ACCOUNT_NOT_FOUND',
  AccountInUse = 'WHATSAPP_ACCOUNT_IN_USE',
  AccountConflict = 'WHATSAPP_ACCOUNT_CONFLICT',
  SandboxDisabled = 'SANDBOX_DISABLED',
  SandboxAccountNotFound = 'SANDBOX_ACCOUNT_NOT_FOUND',
  SandboxNotConfigured = 'SANDBOX_NOT_CONFIGURED',
}

/** What a provider call failed with; stored on failed messages and answered by synchronous calls. */
export enum ProviderErrorCode {
  AuthenticationFailed = 'PROVIDER_AUTHENTICATION_FAILED',
  PermissionDenied = 'PROVIDER_PERMISSION_DENIED',
  RateLimited = 'PROVIDER_RATE_LIMITED',
  PairRateLimited = 'PROVIDER_PAIR_RATE_LIMITED',
  WindowClosed = 'PROVIDER_WINDOW_CLOSED',
  Undeliverable = 'PROVIDER_UNDELIVERABLE',
  TemplateError = 'PROVIDER_TEMPLATE_ERROR',
  PolicyBlocked = 'PROVIDER_POLICY_BLOCKED',
  InvalidParameter = 'PROVIDER_INVALID_PARAMETER',
  TemporaryError = 'PROVIDER_TEMPORARY_ERROR',
  Timeout = 'PROVIDER_TIMEOUT',
  NetworkError = 'PROVIDER_NETWORK_ERROR',
  ConflictInFlight = 'PROVIDER_CONFLICT_IN_FLIGHT',
  ValidationFailed = 'PROVIDER_VALIDATION_FAILED',
  UnknownError = 'PROVIDER_UNKNOWN_ERROR',
}
