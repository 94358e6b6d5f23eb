import type { JsonRecord, NormalizedEvent, NormalizedItem } from '../../../domain/normalized-event.types';

/** A required field is missing or has the wrong shape; the walker turns it into `{ok:false}`. */
export class PayloadShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadShapeError';
  }
}

export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

export function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** Ids arrive as strings or numbers (template ids, `entry.time`): both become strings. */
export function readString(obj: JsonRecord | undefined, key: string): string | undefined {
  const value = obj?.[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function readNonEmptyString(obj: JsonRecord | undefined, key: string): string | undefined {
  const value = readString(obj, key);
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

export function readNumber(obj: JsonRecord | undefined, key: string): number | undefined {
  const value = obj?.[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

export function readBoolean(obj: JsonRecord | undefined, key: string): boolean | undefined {
  const value = obj?.[key];
  return typeof value === 'boolean' ? value : undefined;
}

export function readRecord(obj: JsonRecord | undefined, key: string): JsonRecord | undefined {
  return asRecord(obj?.[key]);
}

export function readArray(obj: JsonRecord | undefined, key: string): unknown[] | undefined {
  return asArray(obj?.[key]);
}

export function requireString(obj: JsonRecord, key: string): string {
  const value = readNonEmptyString(obj, key);
  if (value === undefined) throw new PayloadShapeError(`missing ${key}`);
  return value;
}

/** Unix seconds as string or number (Meta), or an ISO-8601 string (Kapso). */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000);
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return new Date(Number(value) * 1000);
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

export function requireTimestamp(obj: JsonRecord, key: string): Date {
  const value = parseTimestamp(obj[key]);
  if (!value) throw new PayloadShapeError(`missing or invalid ${key}`);
  return value;
}

export function joinPath(base: string, key: string): string {
  if (!base) return key;
  return key.startsWith('[') ? `${base}${key}` : `${base}.${key}`;
}

export function failedItem(path: string, error: string): NormalizedItem {
  return { ok: false, error, path: path || '$' };
}

/** Runs one item's parser; any throw (not only shape errors) becomes that item's failure. */
export function safeItem(path: string, parse: () => NormalizedEvent): NormalizedItem {
  try {
    return { ok: true, event: parse() };
  } catch (error) {
    return failedItem(path, error instanceof Error ? error.message : String(error));
  }
}

export function safeItems(path: string, parse: () => NormalizedItem[]): NormalizedItem[] {
  try {
    return parse();
  } catch (error) {
    return [failedItem(path, error instanceof Error ? error.message : String(error))];
  }
}

/** Drops undefined keys so events compare and serialise cleanly. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
