import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { AuthErrors } from './auth-failures';
import { AuthService } from './auth.service';
import { type Principal, SAFE_METHODS } from './principal';
import { CSRF_HEADER, sessionToken } from './session-cookie';

/**
 * Who is calling, from the request's credentials: an API key, a bearer token or the browser's session cookie.
 * Shared by the global guard and by routes served outside Nest (the queue dashboard).
 */
@Injectable()
export class RequestAuthenticator {
  constructor(private readonly auth: AuthService) {}

  /** `method` decides the CSRF rule: a request that changes data with the session cookie must carry the CSRF header. */
  authenticate(headers: IncomingHttpHeaders, method: string): Promise<Principal> {
    const apiKey = headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey) return this.auth.authenticateApiKey(apiKey);
    const header = headers.authorization;
    if (header?.startsWith('Bearer ')) return this.auth.authenticateJwt(header.slice(7).trim());
    const session = sessionToken(headers);
    if (!session) return Promise.reject(AuthErrors.unauthorized());
    if (!SAFE_METHODS.has(method) && !headers[CSRF_HEADER]) return Promise.reject(AuthErrors.csrfHeaderMissing());
    return this.auth.authenticateJwt(session);
  }
}
