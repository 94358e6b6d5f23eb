import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The third-party webhook conformance corpus, kept in the repository (origins in its SOURCES.md). */
export const CORPUS_DIR = resolve(__dirname, '../fixtures/whatsapp-corpus');

type Json = Record<string, unknown>;

export interface CorpusFile {
  provider: 'meta' | 'kapso';
  file: string;
  /** Exact bytes to post (Meta files as written by their source; Kapso envelopes built for fragments). */
  body: Buffer;
  eventName?: string;
}

export function metaCorpus(): CorpusFile[] {
  const dir = resolve(CORPUS_DIR, 'meta');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ provider: 'meta' as const, file, body: readFileSync(resolve(dir, file)) }));
}

export function kapsoCorpus(): CorpusFile[] {
  const dir = resolve(CORPUS_DIR, 'kapso');
  const load = (file: string) => JSON.parse(readFileSync(resolve(dir, file), 'utf8')) as Json;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      if (!file.startsWith('fragment-')) {
        const eventName = file.replace(/^project-/, '').replace(/\.json$/, '').replace(/-[^.]+$/, '');
        return { provider: 'kapso' as const, file, eventName, body: readFileSync(resolve(dir, file)) };
      }
      // Fragments are only a message object: wrap them in the received envelope with an id of their own.
      const envelope = load('whatsapp.message.received.json');
      const base = envelope.message as Json;
      const message = { id: `wamid.fragment-${file.replace(/\W+/g, '-')}`, timestamp: base.timestamp, ...(load(file).message as Json) };
      if (String(message.id) === String(base.id)) message.id = `wamid.fragment-${file.replace(/\W+/g, '-')}`;
      return { provider: 'kapso' as const, file, eventName: 'whatsapp.message.received', body: Buffer.from(JSON.stringify({ ...envelope, message })) };
    });
}

/** Every phone_number_id a payload mentions, so a test can create the accounts it implies. */
export function phoneNumberIds(body: Buffer): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node as Json)) {
        if (key === 'phone_number_id' && (typeof value === 'string' || typeof value === 'number')) found.add(String(value));
        else walk(value);
      }
    }
  };
  walk(JSON.parse(body.toString('utf8')));
  return [...found];
}
