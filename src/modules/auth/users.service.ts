import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { hashSecret } from '../../common/crypto';
import { NotFoundError } from '../../common/errors/domain-error';
import { UserRole } from '../../database/entities/enums';
import { User } from '../../database/entities/user.entity';
import { AuthErrors } from './auth-failures';
import type { CreateUserDto, UpdateUserDto } from './dto/auth.dto';
import { type Principal, ROLE_RANK } from './principal';
import { AuthErrorCode } from './auth.errors';

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  list(organizationId: string): Promise<User[]> {
    return this.users.find({ where: { organizationId }, order: { createdAt: 'ASC' } });
  }

  async get(organizationId: string, id: string): Promise<User> {
    const user = await this.users.findOne({ where: { organizationId, id } });
    if (!user) throw new NotFoundError(AuthErrorCode.UserNotFound, 'user');
    return user;
  }

  async create(organizationId: string, input: CreateUserDto, actor?: Principal): Promise<User> {
    if (actor) assertCanGrant(actor, input.role);
    const email = input.email.trim().toLowerCase();
    if (await this.users.exists({ where: { email } })) throw AuthErrors.emailTaken();
    const saved = await this.users.save(
      this.users.create({ organizationId, email, name: input.name ?? null, role: input.role, passwordHash: await hashSecret(input.password) }),
    );
    return this.get(organizationId, saved.id);
  }

  async update(organizationId: string, id: string, input: UpdateUserDto, actor: Principal): Promise<User> {
    const user = await this.get(organizationId, id);
    assertCanGrant(actor, user.role);
    if (input.role) assertCanGrant(actor, input.role);
    await this.users.update(
      { id, organizationId },
      {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.role ? { role: input.role } : {}),
        ...(input.isActive !== undefined ? { isActive: input.isActive } : {}),
        ...(input.password ? { passwordHash: await hashSecret(input.password) } : {}),
      },
    );
    return this.get(organizationId, id);
  }

  async remove(organizationId: string, id: string, actor: Principal): Promise<void> {
    const user = await this.get(organizationId, id);
    assertCanGrant(actor, user.role);
    if (actor.kind === 'user' && actor.id === id) throw AuthErrors.forbidden('You cannot delete yourself');
    await this.users.delete({ id, organizationId });
  }
}

/** Nobody grants or changes a role above their own. */
function assertCanGrant(actor: Principal, role: UserRole): void {
  if (ROLE_RANK[role] > ROLE_RANK[actor.role]) throw AuthErrors.forbidden(`A ${actor.role} cannot manage ${role} users`);
}
