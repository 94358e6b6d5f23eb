import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { MAIN_JS } from './app-process';

const ROOT = resolve(__dirname, '../..');

/**
 * `npm run build` semantics without npm: tsc's incremental build re-emits whatever changed since the last
 * build (a few seconds when nothing did), so a process test never runs a stale dist/. If main.js is gone
 * (dist/ partly deleted) the build info no longer describes the output, so it is dropped for a full build.
 */
export function ensureBuilt(): void {
  if (!existsSync(MAIN_JS)) rmSync(resolve(ROOT, 'dist/.tsbuildinfo'), { force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  if (!existsSync(MAIN_JS)) throw new Error(`build did not produce ${MAIN_JS}`);
}
