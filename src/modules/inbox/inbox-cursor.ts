import { DomainError } from '../../common/errors/domain-error';
import { isTimestampText, isUuidText } from '../../common/pagination';

export const DEFAULT_PAGE_LIMIT = 25;
export const MAX_PAGE_LIMIT = 100;

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/**
 * Opaque keyset position. Sort keys are kept as PostgreSQL's own text (microsecond timestamps,
 * exact float4 ranks) so the next page compares against exactly the value the last row had.
 */
export interface CursorPosition {
  /** Sort key of the last row returned (null: the row sorted in the "no key" group). */
  k: string | null;
  id: string;
  /** Snapshot time of the first page (inbox listing), so rows that move never repeat or vanish. */
  asOf?: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** `isKey` checks the sort key's text before it reaches a cast (a timestamp unless the listing says otherwise). */
export function decodeCursor(cursor: string | undefined, isKey: (key: string) => boolean = isTimestampText): CursorPosition | null {
  if (!cursor) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorPosition>;
    const keyOk = parsed.k === null || (typeof parsed.k === 'string' && isKey(parsed.k));
    const idOk = isUuidText(parsed.id);
    const asOfOk = parsed.asOf === undefined || isTimestampText(parsed.asOf);
    if (keyOk && idOk && asOfOk) return parsed as CursorPosition;
  } catch {
    // fall through to the error below
  }
  throw new DomainError('INVALID_CURSOR', 'The cursor is malformed or from another listing', undefined, 400);
}

export function pageLimit(limit: number | undefined): number {
  return Math.min(Math.max(limit ?? DEFAULT_PAGE_LIMIT, 1), MAX_PAGE_LIMIT);
}

/** Rows fetched with `limit + 1`: the extra row only tells that another page exists. */
export function toPage<R, T>(rows: R[], limit: number, map: (row: R) => T, position: (row: R) => CursorPosition): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { data: pageRows.map(map), nextCursor: hasMore && last ? encodeCursor(position(last)) : null };
}

/** `%`, `_` and `\` are literal in user search text. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
