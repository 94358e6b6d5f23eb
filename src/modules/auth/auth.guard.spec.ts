import type { StreamTickets } from './stream-tickets.service';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { UserRole } from '../../database/entities/enums';
import { RequestAuthenticator } from './request-authenticator';
import { AuthGuard } from './auth.guard';
import type { AuthService } from './auth.service';
import { AcceptsStreamTicket, MinRole, type Principal, Public } from './principal';

class Routes {
  @MinRole(UserRole.Agent)
  declared(): void {}

  undeclared(): void {}

  @Public()
  open(): void {}

  @AcceptsStreamTicket()
  stream(): void {}
}

function contextFor(handler: keyof Routes, method: string): ExecutionContext {
  const request = { method, headers: { authorization: 'Bearer token' } };
  return {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

const noTickets = { redeem: async () => null } as unknown as StreamTickets;

function guardFor(role: UserRole): AuthGuard {
  const principal: Principal = { kind: 'user', id: 'u', organizationId: 'o', role };
  const auth = { authenticateJwt: async () => principal } as unknown as AuthService;
  return new AuthGuard(new Reflector(), new RequestAuthenticator(auth), noTickets);
}

describe(AuthGuard.name, () => {
  describe('canActivate', () => {
    it('refuses a mutating route without a declared role to every role, the owner included', async () => {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        await expect(guardFor(UserRole.Owner).canActivate(contextFor('undeclared', method))).rejects.toMatchObject({ code: 'ROLE_NOT_DECLARED', status: 403 });
      }
    });

    it('lets any role read a route without a declared role', async () => {
      await expect(guardFor(UserRole.Viewer).canActivate(contextFor('undeclared', 'GET'))).resolves.toBe(true);
      await expect(guardFor(UserRole.Viewer).canActivate(contextFor('undeclared', 'HEAD'))).resolves.toBe(true);
    });

    it('applies the declared role: below it is FORBIDDEN, at or above it passes', async () => {
      await expect(guardFor(UserRole.Viewer).canActivate(contextFor('declared', 'POST'))).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
      await expect(guardFor(UserRole.Agent).canActivate(contextFor('declared', 'POST'))).resolves.toBe(true);
      await expect(guardFor(UserRole.Owner).canActivate(contextFor('declared', 'POST'))).resolves.toBe(true);
    });

    it('lets a public route through without a principal, whatever its method', async () => {
      const guard = new AuthGuard(new Reflector(), new RequestAuthenticator({} as AuthService), noTickets);
      await expect(guard.canActivate(contextFor('open', 'POST'))).resolves.toBe(true);
    });
  });

  describe('stream tickets', () => {
    const principal: Principal = { kind: 'user', id: 'u', organizationId: 'o', role: UserRole.Agent };
    const auth = { authenticateJwt: async (token: string) => (token === 'session-jwt' ? principal : Promise.reject(new Error('bad token'))) } as unknown as AuthService;
    const streamRequest = (headers: Record<string, string>) =>
      ({ getHandler: () => Routes.prototype.stream, getClass: () => Routes, switchToHttp: () => ({ getRequest: () => ({ method: 'GET', headers, query: { ticket: 'spent-ticket-0123456789' } }) }) }) as unknown as ExecutionContext;

    it('lets an EventSource reconnect with its spent ticket when it sends the session cookie', async () => {
      const guard = new AuthGuard(new Reflector(), new RequestAuthenticator(auth), noTickets);
      await expect(guard.canActivate(streamRequest({ cookie: 'conversa_session=session-jwt' }))).resolves.toBe(true);
    });

    it('refuses a spent ticket without a session cookie', async () => {
      const guard = new AuthGuard(new Reflector(), new RequestAuthenticator(auth), noTickets);
      await expect(guard.canActivate(streamRequest({}))).rejects.toMatchObject({ status: 401 });
    });
  });
});
