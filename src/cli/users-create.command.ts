import { InjectRepository } from '@nestjs/typeorm';
import { Command, CommandRunner, Option } from 'nest-commander';
import { Repository } from 'typeorm';
import { ValidationFailedError } from '../common/errors/domain-error';
import { UserRole } from '../database/entities/enums';
import { Organization } from '../database/entities/organization.entity';
import { UsersService } from '../modules/auth/users.service';
import { failCommand, printResult } from './cli-output';

interface Options {
  email?: string;
  password?: string;
  role?: string;
  organization?: string;
}

/** `users:create --email a@b.cl --password … --role admin [--organization <id>]` (default: the first organisation). */
@Command({ name: 'users:create', description: 'Create a user (default organisation: the first one created)' })
export class UsersCreateCommand extends CommandRunner {
  constructor(
    private readonly users: UsersService,
    @InjectRepository(Organization) private readonly organizations: Repository<Organization>,
  ) {
    super();
  }

  async run(_params: string[], options: Options): Promise<void> {
    try {
      const problems = [
        !options.email && { field: 'email', message: '--email is required' },
        (!options.password || options.password.length < 8) && { field: 'password', message: '--password needs at least 8 characters' },
        !Object.values(UserRole).includes(options.role as UserRole) && { field: 'role', message: `--role must be one of ${Object.values(UserRole).join(', ')}` },
      ].filter((p): p is { field: string; message: string } => Boolean(p));
      if (problems.length > 0) throw new ValidationFailedError(problems.map((p) => p.message).join('; '), problems);
      const organization = options.organization
        ? await this.organizations.findOne({ where: { id: options.organization } })
        : await this.organizations.findOne({ where: {}, order: { createdAt: 'ASC' } });
      if (!organization) throw new ValidationFailedError('organization not found', [{ field: 'organization', message: 'no such organisation' }]);
      const user = await this.users.create(organization.id, { email: options.email!, password: options.password!, role: options.role as UserRole });
      printResult({ id: user.id, email: user.email, role: user.role, organizationId: user.organizationId });
    } catch (error) {
      failCommand(error);
    }
  }

  @Option({ flags: '--email <email>', description: 'login email' })
  parseEmail(value: string): string {
    return value;
  }

  @Option({ flags: '--password <password>', description: 'at least 8 characters' })
  parsePassword(value: string): string {
    return value;
  }

  @Option({ flags: '--role <role>', description: 'owner, admin, agent or viewer' })
  parseRole(value: string): string {
    return value;
  }

  @Option({ flags: '--organization <id>', description: 'organisation id (default: the first organisation)' })
  parseOrganization(value: string): string {
    return value;
  }
}
