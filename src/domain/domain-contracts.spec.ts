import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const SRC = resolve(__dirname, '..');
const DOMAIN = join(SRC, 'domain');
const WEBHOOKS = join(SRC, 'modules', 'webhooks');
/** `webhooks` parses provider payloads into the domain model and hands them down; nothing below imports it. */
const BELOW_WEBHOOKS = ['communications', 'templates', 'agents', 'whatsapp'].map((name) => join(SRC, 'modules', name));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

/** Every specifier a file imports, re-exports or requires, with relative ones resolved to a path. */
function imports(file: string): Array<{ file: string; spec: string; path: string | null }> {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)'([^']+)'/g)].map(([, spec]) => ({
    file,
    spec,
    path: spec.startsWith('.') ? resolve(dirname(file), spec) : null,
  }));
}

const isUnder = (path: string | null, dir: string) => path !== null && (path === dir || path.startsWith(dir + sep));
const describeImport = ({ file, spec }: { file: string; spec: string }) => `${relative(SRC, file)} → ${spec}`;

describe('domain contracts', () => {
  it('src/domain imports nothing outside itself', () => {
    const contracts = sourceFiles(DOMAIN).filter((file) => !file.endsWith('.spec.ts'));
    expect(contracts.length).toBeGreaterThan(0);
    expect(contracts.flatMap(imports).filter((i) => !isUnder(i.path, DOMAIN)).map(describeImport)).toEqual([]);
  });

  it('no module below webhooks imports from webhooks', () => {
    const files = BELOW_WEBHOOKS.flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap(imports).filter((i) => isUnder(i.path, WEBHOOKS)).map(describeImport)).toEqual([]);
  });
});
