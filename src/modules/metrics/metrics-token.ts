import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** With METRICS_TOKEN set, a scrape must send `Authorization: Bearer <token>`; empty leaves /metrics open. */
export function metricsScrapeAllowed(token: string, authorization: string | undefined): boolean {
  if (!token) return true;
  if (!authorization?.startsWith('Bearer ')) return false;
  // Equal-length digests keep the comparison constant-time whatever was sent.
  return timingSafeEqual(digest(authorization.slice(7).trim()), digest(token));
}
