import { DomainError } from './errors/domain-error';

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Opaque keyset cursor: base64url JSON of the last row's sort key. */
export function encodeCursor(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string): T {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
  } catch {
    throw new DomainError('INVALID_CURSOR', 'The cursor is not valid', undefined, 400);
  }
}
