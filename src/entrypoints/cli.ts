import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliModule } from '../cli/cli.module';

/**
 * Operator CLI: `ts-node src/entrypoints/cli.ts <command> [options]` (or `node dist/src/entrypoints/cli.js`).
 * Needs decorator metadata, so it runs under ts-node (swc) or compiled, not tsx/esbuild.
 * Commands: users:create, db:migrate, templates:install, agents:test, cleanup, chatwoot:backfill (see src/cli/).
 */
async function main(): Promise<void> {
  await CommandFactory.run(CliModule, {
    logger: ['error', 'warn'],
    // Commander's own exits (usage errors, --help) carry their exit code.
    errorHandler: (error) => {
      const exitCode = (error as Error & { exitCode?: number }).exitCode ?? 1;
      if (exitCode !== 0) process.stderr.write(`${error.message}\n`);
      process.exit(exitCode);
    },
  });
}

void main();
