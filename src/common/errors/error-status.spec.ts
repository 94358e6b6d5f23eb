import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ERROR_CODE_ENUMS, ERROR_STATUS } from './error-status';

const SRC = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('ERROR_STATUS', () => {
  const enumValues = Object.entries(ERROR_CODE_ENUMS).flatMap(([enumName, values]) => Object.values(values).map((code) => ({ enumName, code: code as string })));

  it('declares every code in exactly one module enum', () => {
    const seen = new Map<string, string>();
    const duplicates = enumValues.filter(({ enumName, code }) => seen.has(code) || !seen.set(code, enumName)).map(({ code }) => code);
    expect(duplicates).toEqual([]);
  });

  it('maps every declared code to an HTTP error status, and nothing else', () => {
    for (const { code } of enumValues) expect([code, ERROR_STATUS[code as keyof typeof ERROR_STATUS]]).toEqual([code, expect.any(Number)]);
    expect(Object.values(ERROR_STATUS).every((status) => status >= 400 && status <= 599)).toBe(true);
    expect(Object.keys(ERROR_STATUS).sort()).toEqual(enumValues.map(({ code }) => code).sort());
  });

  it('maps every code thrown in src/ to a status (no free-string codes)', () => {
    const enumNames = Object.keys(ERROR_CODE_ENUMS);
    const problems: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/new (?:DomainError|NotFoundError)\(\s*([^,)]+)/g)) {
        const arg = match[1].trim();
        const [enumName, member] = arg.split('.');
        const known = enumNames.includes(enumName) && member in (ERROR_CODE_ENUMS as Record<string, Record<string, string>>)[enumName];
        // A rethrow passes on a code that was already typed (e.g. `error.code`).
        if (!known && !/^(error|err|e)\.code$/.test(arg) && arg !== 'code') problems.push(`${relative(SRC, file)}: ${arg}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps the per-module *.errors.ts files free of imports, so any layer may use them', () => {
    const errorFiles = sourceFiles(SRC).filter((file) => file.endsWith('.errors.ts'));
    expect(errorFiles.length).toBeGreaterThanOrEqual(Object.keys(ERROR_CODE_ENUMS).length - 1);
    for (const file of errorFiles) expect([relative(SRC, file), /^import /m.test(readFileSync(file, 'utf8'))]).toEqual([relative(SRC, file), false]);
  });
});
