import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
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

/** Skips authentication (login, health, webhooks). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Least role allowed: owner > admin > agent > viewer. */
export const MinRole = (role: UserRole) => SetMetadata(REQUIRED_ROLES, role);

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
