import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';

/** The browser session: the same JWT as a bearer token, but in an HttpOnly cookie scripts cannot read. */
export const SESSION_COOKIE = 'conversa_session';
/**
 * Mutating requests that authenticate by the cookie must carry this header. A cross-site form cannot set it, and a
 * cross-origin fetch that sets it needs a CORS preflight this server never grants; SameSite=Strict is the second wall.
 */
export const CSRF_HEADER = 'x-conversa-csrf';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `12h` → 43200 (JWT_EXPIRES_IN is validated as `<n><s|m|h|d>`). */
export function durationSeconds(value: string): number {
  return Number(value.slice(0, -1)) * UNIT_SECONDS[value.slice(-1)];
}

// Written by hand rather than with @fastify/cookie: that plugin loads `cookie` with a dynamic import(), which Jest's
// CommonJS runtime cannot run. The value is a JWT (base64url and dots), so no cookie encoding is involved.
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, maxAgeSeconds: number): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  void reply.header('set-cookie', `${SESSION_COOKIE}=${token}; Max-Age=${maxAgeSeconds}; Path=/; HttpOnly; SameSite=Strict${secure}`);
}

export function clearSessionCookie(reply: FastifyReply): void {
  void reply.header('set-cookie', `${SESSION_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict`);
}

export function sessionToken(headers: IncomingHttpHeaders): string | undefined {
  for (const pair of (headers.cookie ?? '').split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}
