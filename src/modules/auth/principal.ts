import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { UserRole } from '../../database/entities/enums';

/** Who is calling: a user (JWT) or an API key, always inside one organisation. */
export interface Principal {
  kind: 'user' | 'api_key';
  id: string;
  organizationId: string;
  role: UserRole;
}

export const IS_PUBLIC = 'conversa:public';
export const REQUIRED_ROLES = 'conversa:roles';
export const ACCEPTS_TICKET = 'conversa:accepts-ticket';
/** The route also accepts a single-use `?ticket=` (StreamTickets) instead of a header: for EventSource. */
export const AcceptsStreamTicket = () => applyDecorators(SetMetadata(ACCEPTS_TICKET, true), ApiExtension('x-accepts-ticket', true));

/** Skips authentication (login, health, webhooks); shown as `x-public` in the OpenAPI document. */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension('x-public', true));

/**
 * Least role allowed: owner > admin > agent > viewer. Every authenticated route that is not GET must declare
 * one (the guard refuses it otherwise); shown as `x-min-role` in the OpenAPI document.
 */
export const MinRole = (role: UserRole) => applyDecorators(SetMetadata(REQUIRED_ROLES, role), ApiExtension('x-min-role', role));

/** Methods that read: allowed to any authenticated role unless the route asks for more. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export const ROLE_RANK: Record<UserRole, number> = {
  [UserRole.Viewer]: 0,
  [UserRole.Agent]: 1,
  [UserRole.Admin]: 2,
  [UserRole.Owner]: 3,
};

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const request = ctx.switchToHttp().getRequest<{ principal?: Principal }>();
  if (!request.principal) throw new Error('CurrentPrincipal used on a public route');
  return request.principal;
});
