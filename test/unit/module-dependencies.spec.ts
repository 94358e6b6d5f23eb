import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/**
 * The module floors, lowest first. A module imports only from its own floor (platform floors) or lower ones
 * (feature floors, strictly). New modules take a floor here before their first import.
 */
const FLOORS: string[][] = [
  ['domain'],
  ['config', 'common', 'database'],
  ['auth', 'queues', 'metrics'],
  ['realtime', 'health'],
  ['whatsapp'],
  ['templates'],
  ['communications'],
  ['agents'],
  ['webhooks', 'maintenance', 'campaigns', 'integrations', 'lifecycle', 'web'],
  ['cli', 'entrypoints'],
];
const PLATFORM_FLOORS = 4;
const ENTRY_POINTS = ['entrypoints', 'cli'];
const SRC = join(__dirname, '..', '..', 'src');

interface ImportEdge {
  file: string;
  from: string;
  to: string;
  target: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

function moduleOf(path: string): string {
  const parts = relative(SRC, path).split(sep);
  return parts[0] === 'modules' ? parts[1] : parts[0];
}

function importEdges(): ImportEdge[] {
  return sourceFiles(SRC).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)]
      .map((match) => normalize(join(dirname(file), match[1])))
      .map((target) => ({ file: relative(SRC, file), from: moduleOf(file), to: moduleOf(target), target: relative(SRC, target) }))
      .filter((edge) => edge.from !== edge.to),
  );
}

const floorOf = (module: string) => FLOORS.findIndex((floor) => floor.includes(module));
/** Enum-only error-code files (`<module>.errors.ts`) import nothing, so the one status table in common may read them. */
const isErrorCodes = (target: string) => target.endsWith('.errors');

describe('module dependencies', () => {
  const edges = importEdges();

  it('gives every module under src/ a floor', () => {
    expect([...new Set(edges.flatMap((edge) => [edge.from, edge.to]))].filter((module) => floorOf(module) < 0)).toEqual([]);
  });

  it('imports only downward (platform floors may also import within their floor)', () => {
    const upward = edges.filter((edge) => {
      const [from, to] = [floorOf(edge.from), floorOf(edge.to)];
      if (isErrorCodes(edge.target)) return false;
      return from < PLATFORM_FLOORS ? to > from : to >= from && !(ENTRY_POINTS.includes(edge.from) && ENTRY_POINTS.includes(edge.to));
    });
    expect(upward.map((edge) => `${edge.file} → ${edge.target}`)).toEqual([]);
  });

  it('keeps whatsapp free of domain modules', () => {
    const domain = ['templates', 'communications', 'agents', 'webhooks', 'campaigns', 'integrations', 'lifecycle'];
    expect(edges.filter((edge) => edge.from === 'whatsapp' && domain.includes(edge.to) && !isErrorCodes(edge.target)).map((edge) => edge.file)).toEqual([]);
  });

  it('lets only the entry points import webhooks', () => {
    expect(edges.filter((edge) => edge.to === 'webhooks' && !ENTRY_POINTS.includes(edge.from) && !isErrorCodes(edge.target)).map((edge) => `${edge.file} → ${edge.target}`)).toEqual([]);
  });
});
