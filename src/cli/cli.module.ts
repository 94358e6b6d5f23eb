import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createRootLogger } from '../common/logging/logger';
import { loadConfig } from '../config/app-config';
import { Organization } from '../database/entities/organization.entity';
import { User } from '../database/entities/user.entity';
import { CoreModule } from '../entrypoints/core.module';
import { UsersService } from '../modules/auth/users.service';
import { TemplatesCoreModule } from '../modules/templates/templates-core.module';
import { WhatsappModule } from '../modules/whatsapp/whatsapp.module';
import { AgentsCoreModule } from '../modules/agents/agents-core.module';
import { LifecycleModule } from '../modules/lifecycle/lifecycle.module';
import { WebhooksModule } from '../modules/webhooks/webhooks.module';
import { AgentsTestCommand } from './agents-test.command';
import { ChatwootBackfillService } from '../modules/integrations/chatwoot/chatwoot-backfill.service';
import { ChatwootBackfillCommand } from './chatwoot-backfill.command';
import { CleanupCommand } from './cleanup.command';
import { DbMigrateCommand } from './db-migrate.command';
import { TemplatesInstallCommand } from './templates-install.command';
import { UsersCreateCommand } from './users-create.command';

const config = loadConfig();

/**
 * Operator commands (`src/entrypoints/cli.ts`). Logs go to stderr so stdout carries only each
 * command's JSON result. `UsersService` is provided directly rather than through `AuthModule`,
 * which would also start the HTTP guards and the JWT/throttler machinery.
 */
@Module({
  imports: [
    CoreModule.forRoot(config, createRootLogger(config.LOG_LEVEL === 'debug' ? 'debug' : 'warn', process.stderr)),
    TypeOrmModule.forFeature([User, Organization]),
    TemplatesCoreModule,
    WhatsappModule,
    AgentsCoreModule,
    LifecycleModule,
    // Registers the raw webhook events as a copy that retention reaches (its controllers are not served here).
    WebhooksModule,
  ],
  providers: [UsersService, UsersCreateCommand, DbMigrateCommand, TemplatesInstallCommand, AgentsTestCommand, CleanupCommand, ChatwootBackfillService, ChatwootBackfillCommand],
})
export class CliModule {}
