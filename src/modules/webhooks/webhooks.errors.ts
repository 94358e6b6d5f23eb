export enum WebhooksErrorCode {
  InvalidSignature = 'INVALID_SIGNATURE',
  VerificationFailed = 'VERIFICATION_FAILED',
  EmptyBody = 'EMPTY_BODY',
  StorageUnavailable = 'WEBHOOK_STORAGE_UNAVAILABLE',
  EventNotFound = 'WEBHOOK_EVENT_NOT_FOUND',
}
