import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { UserRole } from '../../database/entities/enums';
import { AuthErrors } from './auth-failures';
import { ACCEPTS_TICKET, IS_PUBLIC, type Principal, REQUIRED_ROLES, ROLE_RANK, SAFE_METHODS } from './principal';
import { RequestAuthenticator } from './request-authenticator';
import { StreamTickets } from './stream-tickets.service';
import { sessionToken } from './session-cookie';

/**
 * Global guard: every route needs an API key, a bearer JWT or the browser's session cookie unless marked @Public();
 * @MinRole limits by role (required off GET).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
    private readonly tickets: StreamTickets,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const principal = await this.authenticate(request, this.reflector.getAllAndOverride<boolean>(ACCEPTS_TICKET, targets) ?? false);
    request.principal = principal;
    const minRole = this.reflector.getAllAndOverride<UserRole | undefined>(REQUIRED_ROLES, targets);
    // Default-deny: a route that changes data and forgot its @MinRole is refused to everyone, not opened to viewers.
    if (!minRole && !SAFE_METHODS.has(request.method)) throw AuthErrors.roleNotDeclared();
    if (minRole && ROLE_RANK[principal.role] < ROLE_RANK[minRole]) throw AuthErrors.forbidden();
    return true;
  }

  /**
   * Headers first (API key, bearer token, session cookie); a route that accepts a stream ticket also takes `?ticket=`
   * (single use). A browser's EventSource reconnects to the same URL, spent ticket included: the session cookie it
   * sends along then authenticates the reconnection.
   */
  private async authenticate(request: FastifyRequest, acceptsTicket: boolean): Promise<Principal> {
    const ticket = (request.query as Record<string, unknown> | undefined)?.ticket;
    const hasCredentials = Boolean(request.headers['x-api-key'] || request.headers.authorization);
    if (acceptsTicket && !hasCredentials && typeof ticket === 'string') {
      const principal = await this.tickets.redeem(ticket);
      if (principal) return principal;
      if (!sessionToken(request.headers)) throw AuthErrors.unauthorized();
    }
    return this.authenticator.authenticate(request.headers, request.method);
  }
}
