import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { DataSource, Repository } from 'typeorm';
import { ROOT_LOGGER } from '../common/logging/logging.module';
import { AppConfig } from '../config/app-config';
import { UserRole } from '../database/entities/enums';
import { Organization } from '../database/entities/organization.entity';
import { User } from '../database/entities/user.entity';
import { WhatsappAccountsService } from '../modules/whatsapp/accounts/whatsapp-accounts.service';
import { UsersService } from '../modules/auth/users.service';

/** First start: a default organisation, its owner from ADMIN_EMAIL/ADMIN_PASSWORD and a sandbox account. */
@Injectable()
export class FirstStartService implements OnApplicationBootstrap {
  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly accounts: WhatsappAccountsService,
    @InjectRepository(Organization) private readonly organizations: Repository<Organization>,
    @InjectRepository(User) private readonly userRows: Repository<User>,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.hasRole('api')) return;
    // Several api replicas may start together: one bootstraps, the others see its rows.
    // Lock and unlock on one connection: a session lock taken on one pooled connection cannot be released from another.
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SELECT pg_advisory_lock(hashtext('conversa:bootstrap'))`);
      try {
        await this.ensureAdmin();
        if (this.config.SANDBOX_ENABLED) await this.accounts.reissueLegacySandboxCredentials();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext('conversa:bootstrap'))`);
      }
    } finally {
      await runner.release();
    }
  }

  async ensureAdmin(): Promise<void> {
    if (await this.userRows.exists({ where: { email: this.config.ADMIN_EMAIL.toLowerCase() } })) return;
    const name = this.config.DEFAULT_ORGANIZATION_NAME;
    const organization =
      (await this.organizations.findOne({ where: { slug: slugify(name) } })) ??
      (await this.organizations.save(this.organizations.create({ name, slug: slugify(name), settings: { autoRepliesEnabled: true } })));
    await this.users.create(organization.id, { email: this.config.ADMIN_EMAIL, password: this.config.ADMIN_PASSWORD, role: UserRole.Owner, name: 'Owner' });
    if (this.config.SANDBOX_ENABLED && (await this.accounts.list(organization.id)).length === 0) {
      await this.accounts.createSandbox(organization.id);
    }
    this.logger.info({ organizationId: organization.id }, 'bootstrapped default organisation, owner and sandbox account');
  }
}

export function slugify(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'org';
}
