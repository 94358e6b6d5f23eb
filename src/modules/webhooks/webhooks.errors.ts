export enum WebhooksErrorCode {
  InvalidSignature = 'INVALID_SIGNATURE',
  VerificationFailed = 'VERIFICATION_FAILED',
  EmptyBody = 'EMPTY_BODY',
  StorageUnavailable = 'WEBHOOK_STORAGE_UNAVAILABLE',
  StoreTimeout = 'WEBHOOK_STORE_TIMEOUT',
  EventNotFound = 'WEBHOOK_EVENT_NOT_FOUND',
  UnsupportedPayload = 'UNSUPPORTED_WEBHOOK_PAYLOAD',
}
