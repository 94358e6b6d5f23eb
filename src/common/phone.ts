import { parsePhoneNumberWithError, type CountryCode } from 'libphonenumber-js/max';
import { DomainError } from './errors/domain-error';
import { CommonErrorCode } from './errors/common.errors';

export type { CountryCode };

const E164_DIGITS = /^\+[1-9]\d{5,14}$/;

/**
 * Any user-typed or provider-given number → canonical E.164 with `+`.
 * Throws `INVALID_PHONE_NUMBER` when libphonenumber (full metadata) rejects it.
 */
export function normalizePhone(input: string, defaultRegion?: CountryCode): string {
  const raw = (input ?? '').trim();
  if (!raw) throw invalidPhone(input, 'empty');
  let parsed;
  try {
    parsed = parsePhoneNumberWithError(raw, defaultRegion);
  } catch (error) {
    throw invalidPhone(input, error instanceof Error ? error.message : 'unparseable');
  }
  // Canonicalise before validating: `+521…` and BR mobiles without the 9 are not valid per libphonenumber.
  const canonical = canonicalWaPhone(`+${parsed.countryCallingCode}${parsed.nationalNumber}`);
  let reparsed;
  try {
    reparsed = parsePhoneNumberWithError(canonical);
  } catch (error) {
    throw invalidPhone(input, error instanceof Error ? error.message : 'unparseable');
  }
  if (!reparsed.isValid()) throw invalidPhone(input, 'not a valid number');
  return canonical;
}

/** A WhatsApp `wa_id` (digits, no `+`) → the canonical E.164 used as the contact key. */
export function waIdToE164(waId: string): string {
  const digits = (waId ?? '').trim().replace(/^\+/, '');
  if (!/^[1-9]\d{5,14}$/.test(digits)) throw invalidPhone(waId, 'wa_id must be 6-15 digits');
  return canonicalWaPhone(`+${digits}`);
}

/** Like waIdToE164, for provider input that may be malformed: null instead of an error. */
export function waIdToE164OrNull(waId: string | null | undefined): string | null {
  if (!waId) return null;
  try {
    return waIdToE164(waId.replace(/^\+/, ''));
  } catch {
    return null;
  }
}

/**
 * One canonical form per WhatsApp user, so a Meta `wa_id` and a typed number meet:
 * - Mexico: `+52 1 DDDDDDDDDD` (legacy mobile prefix Meta still uses in wa_id) → `+52 DDDDDDDDDD`.
 * - Brazil: `+55 DD XXXXXXXX` for a mobile (first digit 6-9, pre-2016 numbering) → `+55 DD 9XXXXXXXX`.
 * Everything else is returned unchanged. Pure digit mapping: no validity check.
 */
export function canonicalWaPhone(e164: string): string {
  const value = assertE164(e164);
  const digits = value.slice(1);
  if (digits.startsWith('52') && digits.length === 13 && digits[2] === '1') return `+52${digits.slice(3)}`;
  if (digits.startsWith('55') && digits.length === 12 && isBrazilLegacyMobile(digits.slice(2))) {
    return `+55${digits.slice(2, 4)}9${digits.slice(4)}`;
  }
  return value;
}

/** Every E.164 spelling WhatsApp may use for the same user, canonical first (for lookups by wa_id or phone). */
export function phoneVariants(e164: string): string[] {
  const canonical = canonicalWaPhone(e164);
  const digits = canonical.slice(1);
  const variants = [canonical];
  if (digits.startsWith('52') && digits.length === 12) variants.push(`+521${digits.slice(2)}`);
  if (digits.startsWith('55') && digits.length === 13 && /^[1-9]{2}9[6-9]/.test(digits.slice(2))) {
    variants.push(`+55${digits.slice(2, 4)}${digits.slice(5)}`);
  }
  const original = assertE164(e164);
  if (!variants.includes(original)) variants.push(original);
  return variants;
}

function isBrazilLegacyMobile(national: string): boolean {
  // DD (two digits, no zero) + 8-digit subscriber; landlines start with 2-5, mobiles with 6-9.
  return /^[1-9]{2}[6-9]\d{7}$/.test(national);
}

function assertE164(e164: string): string {
  const value = (e164 ?? '').trim();
  if (!E164_DIGITS.test(value)) throw invalidPhone(e164, 'expected E.164 with a leading +');
  return value;
}

function invalidPhone(input: string, reason: string): DomainError {
  // Only a masked tail goes into details: full phone numbers are personal data in logs.
  const masked = typeof input === 'string' && input.length > 4 ? `…${input.slice(-4)}` : '…';
  return new DomainError(CommonErrorCode.InvalidPhoneNumber, `Invalid phone number (${reason})`, { input: masked });
}
