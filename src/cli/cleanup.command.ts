import { Command, CommandRunner, Option } from 'nest-commander';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ValidationFailedError } from '../common/errors/domain-error';
import { RetentionEngine } from '../modules/lifecycle/retention/retention-engine.service';
import { CLI_KINDS, RETENTION_KINDS, type RetentionAges, type RetentionKind } from '../modules/lifecycle/retention/retention-kinds';
import { failCommand, printResult } from './cli-output';

interface Options {
  days?: number;
  organization?: string;
  kind?: string;
  dryRun?: boolean;
}

/**
 * `cleanup --days 90 [--organization <id>] [--kind messages|media|events|conversations|all] [--dry-run]`: the seeds'
 * cleanup_whatsapp_data, on the retention engine (same predicates, batches and audit rows as the scheduled job).
 */
@Command({ name: 'cleanup', description: 'Remove data older than --days (the retention engine, with an audit row per organisation)' })
export class CleanupCommand extends CommandRunner {
  constructor(
    private readonly engine: RetentionEngine,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super();
  }

  async run(_params: string[], options: Options): Promise<void> {
    try {
      const ages = agesFor(options);
      const organizations = options.organization ? [options.organization] : await this.organizations();
      const results = [];
      for (const organizationId of organizations) {
        const run = await this.engine.run(organizationId, { trigger: 'cli', dryRun: options.dryRun === true, ages, onProgress: progressBar() });
        results.push({ organizationId, runId: run.id, dryRun: run.dryRun, [run.dryRun ? 'wouldRemove' : 'removed']: run.removed });
      }
      printResult({ days: options.days, kinds: activeKinds(ages), organizations: results });
    } catch (error) {
      failCommand(error);
    }
  }

  private async organizations(): Promise<string[]> {
    return ((await this.dataSource.query(`SELECT id FROM organization ORDER BY created_at`)) as Array<{ id: string }>).map((row) => row.id);
  }

  @Option({ flags: '--days <n>', description: 'age in days (required)' })
  parseDays(value: string): number {
    return Number(value);
  }

  @Option({ flags: '--organization <id>', description: 'one organisation (default: all)' })
  parseOrganization(value: string): string {
    return value;
  }

  @Option({ flags: '--kind <kind>', description: 'messages, media, events, conversations or all (default all)' })
  parseKind(value: string): string {
    return value;
  }

  @Option({ flags: '--dry-run', description: 'count only; change nothing' })
  parseDryRun(): boolean {
    return true;
  }
}

function agesFor(options: Options): RetentionAges {
  const problems: Array<{ field: string; message: string }> = [];
  if (!Number.isInteger(options.days) || options.days! < 1) problems.push({ field: 'days', message: '--days <n> is required (a whole number ≥ 1)' });
  const kinds = CLI_KINDS[options.kind ?? 'all'];
  if (!kinds) problems.push({ field: 'kind', message: `--kind must be one of ${Object.keys(CLI_KINDS).join(', ')}` });
  if (options.organization && !/^[0-9a-f-]{36}$/i.test(options.organization)) problems.push({ field: 'organization', message: '--organization must be an id' });
  if (problems.length > 0) throw new ValidationFailedError(problems.map((p) => p.message).join('; '), problems);
  return Object.fromEntries(RETENTION_KINDS.map((kind) => [kind, kinds.includes(kind) ? options.days! : null])) as RetentionAges;
}

function activeKinds(ages: RetentionAges): RetentionKind[] {
  return RETENTION_KINDS.filter((kind) => ages[kind] !== null);
}

/** A one-line bar on stderr while removing, only on a terminal (stdout stays the JSON result). */
function progressBar(): ((kind: RetentionKind, done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (kind, done, total) => {
    const width = 30;
    const filled = total > 0 ? Math.round((done / total) * width) : width;
    process.stderr.write(`\r${kind.padEnd(20)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done >= total ? '\n' : ''}`);
  };
}
