import { createHmac, timingSafeEqual } from 'node:crypto';

const META_PREFIX = 'sha256=';
const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** Hex HMAC-SHA256 of the exact bytes received; never of a re-serialised body. */
function hmacHex(rawBody: Buffer, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

function matchesHex(rawBody: Buffer, candidateHex: string, secret: string): boolean {
  // An empty secret would let anyone forge a valid signature.
  if (!secret || !SHA256_HEX.test(candidateHex)) return false;
  const expected = Buffer.from(hmacHex(rawBody, secret), 'hex');
  const received = Buffer.from(candidateHex, 'hex');
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** Meta `X-Hub-Signature-256: sha256=<hex>`, keyed with the app secret. */
export function verifyMetaSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (typeof header !== 'string') return false;
  const value = header.trim();
  if (value.slice(0, META_PREFIX.length).toLowerCase() !== META_PREFIX) return false;
  return matchesHex(rawBody, value.slice(META_PREFIX.length), appSecret);
}

/** Kapso `X-Webhook-Signature: <hex>` (no prefix), keyed with the webhook's secret_key. */
export function verifyKapsoSignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (typeof header !== 'string') return false;
  return matchesHex(rawBody, header.trim(), secret);
}

export function signMeta(rawBody: Buffer, appSecret: string): string {
  return `${META_PREFIX}${hmacHex(rawBody, appSecret)}`;
}

export function signKapso(rawBody: Buffer, secret: string): string {
  return hmacHex(rawBody, secret);
}
