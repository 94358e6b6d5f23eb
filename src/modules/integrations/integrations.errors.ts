export enum IntegrationsErrorCode {
  EndpointNotFound = 'WEBHOOK_ENDPOINT_NOT_FOUND',
  DeliveryNotFound = 'WEBHOOK_DELIVERY_NOT_FOUND',
  UrlNotAllowed = 'WEBHOOK_URL_NOT_ALLOWED',
  UnknownEventType = 'WEBHOOK_EVENT_TYPE_UNKNOWN',
  InvalidSecret = 'WEBHOOK_SECRET_INVALID',
  InvalidTimeRange = 'WEBHOOK_TIME_RANGE_INVALID',
  HttpOnlyOperation = 'WEBHOOK_HTTP_ONLY_OPERATION',
  ChatwootNotConfigured = 'CHATWOOT_NOT_CONFIGURED',
}
