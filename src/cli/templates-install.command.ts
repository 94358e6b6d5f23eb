import { Command, CommandRunner, Option } from 'nest-commander';
import { ValidationFailedError } from '../common/errors/domain-error';
import { TemplateInstallService } from '../modules/templates/template-install.service';
import { WhatsappAccountsService } from '../modules/whatsapp/accounts/whatsapp-accounts.service';
import { failCommand, printResult } from './cli-output';

interface Options {
  account?: string;
  set?: string;
  submit?: boolean;
}

/** `templates:install --account <id> --set <name> [--submit]`: same as POST /api/v1/templates/install-set. */
@Command({ name: 'templates:install', description: 'Install a default Spanish template set on a WhatsApp account (idempotent)' })
export class TemplatesInstallCommand extends CommandRunner {
  constructor(
    private readonly installer: TemplateInstallService,
    private readonly accounts: WhatsappAccountsService,
  ) {
    super();
  }

  async run(_params: string[], options: Options): Promise<void> {
    try {
      const problems = [
        !options.account && { field: 'account', message: '--account <id> is required' },
        !options.set && { field: 'set', message: `--set is required (${this.installer.sets().map((s) => s.key).join(', ')})` },
      ].filter((p): p is { field: string; message: string } => Boolean(p));
      if (problems.length > 0) throw new ValidationFailedError(problems.map((p) => p.message).join('; '), problems);
      const account = await this.accounts.getById(options.account!);
      printResult(await this.installer.install(account.organizationId, account.id, options.set!, { submit: options.submit === true }));
    } catch (error) {
      failCommand(error);
    }
  }

  @Option({ flags: '--account <id>', description: 'WhatsApp account id' })
  parseAccount(value: string): string {
    return value;
  }

  @Option({ flags: '--set <name>', description: 'tax_accounting, recruiting, insurance or retail' })
  parseSet(value: string): string {
    return value;
  }

  @Option({ flags: '--submit', description: 'submit the newly created templates to Meta' })
  parseSubmit(): boolean {
    return true;
  }
}
