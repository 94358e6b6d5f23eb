/**
 * Default sets ship with a reserved domain: URL buttons must point at the tenant's own site,
 * so whoever installs a set replaces this base before submitting to Meta.
 */
export const DEFAULT_SET_BASE_URL = 'https://portal.example.com';

/** Placeholder business number for PHONE_NUMBER buttons; replaced like the base URL. */
export const DEFAULT_SET_PHONE_NUMBER = '+56223456789';
