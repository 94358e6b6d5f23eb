import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { AuthErrors } from './auth-failures';
import { AuthService } from './auth.service';
import type { Principal } from './principal';

/**
 * Who is calling, from the request's credentials: an API key or a bearer token. Shared by the global guard and
 * by routes served outside Nest (the queue dashboard); a web session cookie becomes one more branch here.
 */
@Injectable()
export class RequestAuthenticator {
  constructor(private readonly auth: AuthService) {}

  authenticate(headers: IncomingHttpHeaders): Promise<Principal> {
    const apiKey = headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey) return this.auth.authenticateApiKey(apiKey);
    const header = headers.authorization;
    if (header?.startsWith('Bearer ')) return this.auth.authenticateJwt(header.slice(7).trim());
    return Promise.reject(AuthErrors.unauthorized());
  }
}
