import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const SRC = join(__dirname, '..', '..', 'src');
const OWNER = join('modules', 'communications') + sep;
const TABLES = 'contact|conversation|message';
const ENTITIES = 'Contact|Conversation|Message';

/** SQL written uppercase, as everywhere in src/; `\b` keeps message_template, contact_note and the like out. */
const WRITES = [
  new RegExp(`\\b(INSERT INTO|UPDATE|DELETE FROM)\\s+"?(${TABLES})"?\\b`),
  new RegExp(`getRepository\\((${ENTITIES})\\)\\s*\\.(save|insert|update|upsert|delete|remove|softDelete)\\(`),
  new RegExp(`\\.(into|update)\\((${ENTITIES})\\b`),
  new RegExp(`\\.delete\\(\\)\\s*\\.from\\((${ENTITIES})\\b`),
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('table ownership', () => {
  it('lets only communications write the contact, conversation and message tables (others call its services)', () => {
    const files = sourceFiles(SRC);
    const writers = files
      .filter((file) => !relative(SRC, file).startsWith(OWNER))
      .filter((file) => {
        const text = readFileSync(file, 'utf8');
        return WRITES.some((pattern) => pattern.test(text));
      })
      .map((file) => relative(SRC, file));
    expect(files.length).toBeGreaterThan(100);
    expect(writers).toEqual([]);
  });
});
