import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** One CSV line (RFC 4180 quoting: `"a, b"`, `""` for a quote); multi-line quoted fields are not supported. */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

export interface CsvRecord {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  phone: string;
  variables?: string[] | Record<string, string>;
}

/**
 * Streams `phone[,var…]` rows: the header names a `phone` (or `to`) column; other columns are template variables,
 * positional when all of them are named 1, 2, 3…, named otherwise.
 */
export async function* csvRecords(stream: Readable): AsyncGenerator<CsvRecord | { line: number; error: string }> {
  let header: string[] | null = null;
  let line = 0;
  for await (const raw of createInterface({ input: stream, crlfDelay: Infinity })) {
    line++;
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    if (!header) {
      header = parseCsvLine(text).map((h) => h.toLowerCase());
      if (!header.includes('phone') && !header.includes('to')) yield { line, error: 'the header needs a "phone" column' };
      continue;
    }
    yield toRecord(header, parseCsvLine(text), line);
  }
}

function toRecord(header: string[], fields: string[], line: number): CsvRecord | { line: number; error: string } {
  const phoneAt = header.includes('phone') ? header.indexOf('phone') : header.indexOf('to');
  if (phoneAt < 0) return { line, error: 'no phone column' };
  const phone = fields[phoneAt] ?? '';
  if (!phone) return { line, error: 'empty phone' };
  const names = header.filter((_, i) => i !== phoneAt);
  if (names.length === 0) return { line, phone };
  const values = fields.filter((_, i) => i !== phoneAt);
  if (names.every((n) => /^\d+$/.test(n))) {
    const ordered = names.map((n, i) => ({ n: Number(n), v: values[i] ?? '' })).sort((a, b) => a.n - b.n);
    return { line, phone, variables: ordered.map((o) => o.v) };
  }
  return { line, phone, variables: Object.fromEntries(names.map((n, i) => [n, values[i] ?? ''])) };
}
