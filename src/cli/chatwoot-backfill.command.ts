import { Command, CommandRunner, Option } from 'nest-commander';
import { ValidationFailedError } from '../common/errors/domain-error';
import { ChatwootBackfillService } from '../modules/integrations/chatwoot/chatwoot-backfill.service';
import { failCommand, printResult } from './cli-output';

interface Options {
  organization?: string;
  since?: string;
}

/**
 * `chatwoot:backfill --organization <id> --since <ISO date>`: queues the organisation's conversations for Chatwoot,
 * exactly as `POST /api/v1/integrations/chatwoot/backfill` does; a worker applies them (repeating it is harmless).
 */
@Command({ name: 'chatwoot:backfill', description: 'Push existing conversations to the organisation\'s Chatwoot (idempotent)' })
export class ChatwootBackfillCommand extends CommandRunner {
  constructor(private readonly backfills: ChatwootBackfillService) {
    super();
  }

  async run(_params: string[], options: Options): Promise<void> {
    try {
      const since = new Date(options.since ?? '');
      const fields = [
        ...(options.organization ? [] : [{ field: 'organization', message: '--organization <id> is required' }]),
        ...(Number.isNaN(since.getTime()) ? [{ field: 'since', message: '--since must be an ISO date' }] : []),
      ];
      if (fields.length > 0) throw new ValidationFailedError('invalid options', fields);
      printResult(await this.backfills.start(options.organization as string, since));
    } catch (error) {
      failCommand(error);
    }
  }

  @Option({ flags: '--organization <id>', description: 'the organisation (required)' })
  parseOrganization(value: string): string {
    return value;
  }

  @Option({ flags: '--since <date>', description: 'conversations active at or after this ISO date (required)' })
  parseSince(value: string): string {
    return value;
  }
}
