import { Command, CommandRunner, Option } from 'nest-commander';
import { ValidationFailedError } from '../common/errors/domain-error';
import { AgentPreviewService } from '../modules/agents/runtime/agent-preview.service';
import { failCommand, printResult } from './cli-output';

interface Options {
  organization?: string;
  at?: string;
}

/** `agents:test "<text>" [--organization <id>] [--at <ISO instant>]`: same routing as POST /api/v1/agents/test-response; sends nothing. */
@Command({ name: 'agents:test', arguments: '<text>', description: 'Route a message through the auto-reply agents and print {agent, confidence, scores, reply}' })
export class AgentsTestCommand extends CommandRunner {
  constructor(private readonly preview: AgentPreviewService) {
    super();
  }

  async run(params: string[], options: Options): Promise<void> {
    try {
      const text = params.join(' ').trim();
      const at = options.at ? new Date(options.at) : undefined;
      const problems = [
        !text && { field: 'text', message: 'the message text is required' },
        at && Number.isNaN(at.getTime()) && { field: 'at', message: '--at must be an ISO date-time' },
      ].filter((p): p is { field: string; message: string } => Boolean(p));
      if (problems.length > 0) throw new ValidationFailedError(problems.map((p) => p.message).join('; '), problems);
      const result = await this.preview.preview(options.organization, { text, at });
      printResult({ agent: result.agent, confidence: result.confidence, scores: result.scores, reply: result.reply, ...(result.llm ? { llm: result.llm } : {}) });
    } catch (error) {
      failCommand(error);
    }
  }

  @Option({ flags: '--organization <id>', description: "use this organisation's agent config, flows and default account hours" })
  parseOrganization(value: string): string {
    return value;
  }

  @Option({ flags: '--at <instant>', description: 'route as if it were this instant (ISO 8601), for business hours' })
  parseAt(value: string): string {
    return value;
  }
}
