import { DomainError } from '../common/errors/domain-error';

/** One JSON document per command on stdout. */
export function printResult(result: unknown): void {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

/** `CODE: message` on stderr and exit code 1; never a stack trace for expected errors. */
export function failCommand(error: unknown): void {
  const details = error instanceof DomainError && error.details ? ` ${JSON.stringify(error.details)}` : '';
  const message = error instanceof DomainError ? `${error.code}: ${error.message}${details}` : error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  process.exitCode = 1;
}
