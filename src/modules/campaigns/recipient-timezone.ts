import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** A country's main zone (its capital's for countries spanning several): Latin America first, then common others. */
const COUNTRY_ZONES: Record<string, string> = {
  AR: 'America/Argentina/Buenos_Aires', BO: 'America/La_Paz', BR: 'America/Sao_Paulo', CL: 'America/Santiago', CO: 'America/Bogota',
  CR: 'America/Costa_Rica', CU: 'America/Havana', DO: 'America/Santo_Domingo', EC: 'America/Guayaquil', GT: 'America/Guatemala',
  HN: 'America/Tegucigalpa', MX: 'America/Mexico_City', NI: 'America/Managua', PA: 'America/Panama', PE: 'America/Lima',
  PR: 'America/Puerto_Rico', PY: 'America/Asuncion', SV: 'America/El_Salvador', UY: 'America/Montevideo', VE: 'America/Caracas',
  US: 'America/New_York', CA: 'America/Toronto', ES: 'Europe/Madrid', PT: 'Europe/Lisbon', GB: 'Europe/London', FR: 'Europe/Paris',
  DE: 'Europe/Berlin', IT: 'Europe/Rome', NL: 'Europe/Amsterdam', IN: 'Asia/Kolkata', ID: 'Asia/Jakarta', NG: 'Africa/Lagos',
  ZA: 'Africa/Johannesburg', AU: 'Australia/Sydney',
};

const KNOWN_ZONES = new Set(Intl.supportedValuesOf('timeZone'));

export function isTimeZone(value: unknown): value is string {
  return typeof value === 'string' && (KNOWN_ZONES.has(value) || value === 'UTC');
}

/** A contact attribute `timezone` wins; else the phone's country; else null (the account's zone applies). */
export function recipientTimezone(phoneE164: string, attribute?: unknown): string | null {
  if (isTimeZone(attribute)) return attribute;
  const country = parsePhoneNumberFromString(phoneE164)?.country;
  return (country && COUNTRY_ZONES[country]) ?? null;
}
