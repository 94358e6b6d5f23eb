import { Command, CommandRunner } from 'nest-commander';
import { DataSource } from 'typeorm';
import { failCommand, printResult } from './cli-output';

/** `db:migrate`: runs pending migrations (each in its own transaction) and lists what ran. */
@Command({ name: 'db:migrate', description: 'Run pending database migrations' })
export class DbMigrateCommand extends CommandRunner {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async run(): Promise<void> {
    try {
      const ran = await this.dataSource.runMigrations({ transaction: 'each' });
      printResult({ migrations: ran.map((m) => m.name) });
    } catch (error) {
      failCommand(error);
    }
  }
}
