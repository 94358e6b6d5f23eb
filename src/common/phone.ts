import { parsePhoneNumberWithError, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import { DomainError } from './errors/domain-error';
import { CommonErrorCode } from './errors/common.errors';

export type { CountryCode };

const E164_DIGITS = /^\+[1-9]\d{5,14}$/;

/**
 * Any user-typed or provider-given number → canonical E.164 with `+`.
 * Accepts every *possible* number (known country code, a length that country uses): whether a number
 * is assigned and reachable is Meta's call (error 131026), and libphonenumber's ranges lag behind reality.
 * Throws `INVALID_PHONE_NUMBER` only for impossible input, with a hint when the country code is missing.
 */
export function normalizePhone(input: string, defaultRegion?: CountryCode): string {
  const raw = (input ?? '').trim();
  if (!raw) throw invalidPhone(input, 'empty');
  const parsed = parseOrNull(raw, defaultRegion);
  const e164 = parsed && `+${parsed.countryCallingCode}${parsed.nationalNumber}`;
  // Canonicalise before checking: `+521…` is one digit too long for Mexico's current numbering.
  const canonical = e164 && E164_DIGITS.test(e164) ? canonicalWaPhone(e164) : null;
  if (canonical && parseOrNull(canonical)?.isPossible()) return canonical;
  const hint = missingCountryCodeHint(raw, defaultRegion);
  if (hint) throw invalidPhone(input, `no country code: ${hint}`, hint);
  throw invalidPhone(input, parsed ? 'not a possible number' : 'unparseable');
}

function parseOrNull(text: string, defaultRegion?: CountryCode): PhoneNumber | null {
  try {
    return parsePhoneNumberWithError(text, defaultRegion);
  } catch {
    return null;
  }
}

/** Input without `+` that only makes sense as an international number (or cannot be read without one). */
function missingCountryCodeHint(raw: string, defaultRegion?: CountryCode): string | null {
  if (raw.startsWith('+')) return null;
  const digits = raw.replace(/\D/g, '').replace(/^00/, '');
  const international = digits ? parseOrNull(`+${digits}`) : null;
  if (international?.isPossible()) return `add the country code, e.g. +${international.countryCallingCode}…`;
  return defaultRegion || !digits ? null : 'add the country code after a +';
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

function invalidPhone(input: string, reason: string, hint?: string): DomainError {
  // Only a masked tail goes into details: full phone numbers are personal data in logs.
  const masked = typeof input === 'string' && input.length > 4 ? `…${input.slice(-4)}` : '…';
  const details = hint ? { input: masked, hint } : { input: masked };
  return new DomainError(CommonErrorCode.InvalidPhoneNumber, `Invalid phone number (${reason})`, details);
}
