import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';
const SHA256_HEX = /^[0-9a-f]{64}$/i;
/** Chatwoot's timestamps are unix seconds; older or newer than this is a replay or a wrong clock. */
export const CHATWOOT_SIGNATURE_TOLERANCE_S = 300;

export interface ChatwootCredentials {
  signature?: string;
  timestamp?: string;
  token?: string;
}

/** `sha256=` + hex HMAC-SHA256 over "{timestamp}.{raw body}", as Chatwoot signs webhooks and API-inbox callbacks. */
export function signChatwoot(rawBody: Buffer, timestamp: string, secret: string): string {
  return PREFIX + createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

function equalConstantTime(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A request is Chatwoot's when its X-Chatwoot-Signature matches with a fresh X-Chatwoot-Timestamp or, when it
 * carries no signature at all (a callback URL configured with `?token=`), when the token equals the secret.
 */
export function verifyChatwootRequest(rawBody: Buffer, credentials: ChatwootCredentials, secret: string | null, nowMs = Date.now()): boolean {
  // An empty secret would let anyone forge a valid request.
  if (!secret) return false;
  const { signature, timestamp, token } = credentials;
  if (signature === undefined) return typeof token === 'string' && equalConstantTime(Buffer.from(token), Buffer.from(secret));
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > CHATWOOT_SIGNATURE_TOLERANCE_S) return false;
  const value = signature.trim();
  const hex = value.slice(0, PREFIX.length).toLowerCase() === PREFIX ? value.slice(PREFIX.length) : '';
  if (!SHA256_HEX.test(hex)) return false;
  const expected = Buffer.from(signChatwoot(rawBody, timestamp, secret).slice(PREFIX.length), 'hex');
  return equalConstantTime(Buffer.from(hex, 'hex'), expected);
}
