import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const SCANNED = ['src', 'test', 'scripts', 'migrations'];
// Written so that this file does not match itself.
const OUTSIDE_PATH = /\.\.[\\/]shared\b|\/work\/shared\b/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the repository', () => {
  it('references nothing beside the checkout when a fresh clone runs its code, tests or scripts', () => {
    const files = SCANNED.flatMap((dir) => filesUnder(join(ROOT, dir)));
    const offending = files.filter((file) => OUTSIDE_PATH.test(readFileSync(file, 'utf8'))).map((file) => relative(ROOT, file));
    expect(files.length).toBeGreaterThan(100);
    expect(offending).toEqual([]);
  });
});
