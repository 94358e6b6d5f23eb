export enum LifecycleErrorCode {
  LegalHoldNotFound = 'LEGAL_HOLD_NOT_FOUND',
  LegalHoldTargetInvalid = 'LEGAL_HOLD_TARGET_INVALID',
  InvalidDateRange = 'INVALID_DATE_RANGE',
}
