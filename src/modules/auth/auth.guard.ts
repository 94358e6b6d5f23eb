import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { UserRole } from '../../database/entities/enums';
import { AuthErrors } from './auth-failures';
import { AuthService } from './auth.service';
import { IS_PUBLIC, type Principal, REQUIRED_ROLES, ROLE_RANK, SAFE_METHODS } from './principal';
import { CSRF_HEADER, sessionToken } from './session-cookie';

/**
 * Global guard: every route needs an API key, a bearer JWT or the browser's session cookie unless marked @Public();
 * @MinRole limits by role (required off GET).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const principal = await this.authenticate(request);
    request.principal = principal;
    const minRole = this.reflector.getAllAndOverride<UserRole | undefined>(REQUIRED_ROLES, targets);
    // Default-deny: a route that changes data and forgot its @MinRole is refused to everyone, not opened to viewers.
    if (!minRole && !SAFE_METHODS.has(request.method)) throw AuthErrors.roleNotDeclared();
    if (minRole && ROLE_RANK[principal.role] < ROLE_RANK[minRole]) throw AuthErrors.forbidden();
    return true;
  }

  private async authenticate(request: FastifyRequest): Promise<Principal> {
    const apiKey = request.headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey) return this.auth.authenticateApiKey(apiKey);
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) return this.auth.authenticateJwt(header.slice(7).trim());
    const session = sessionToken(request);
    if (!session) throw AuthErrors.unauthorized();
    if (!SAFE_METHODS.has(request.method) && !request.headers[CSRF_HEADER]) throw AuthErrors.csrfHeaderMissing();
    return this.auth.authenticateJwt(session);
  }
}
