import { CommonErrorCode } from './errors/common.errors';
import { DomainError } from './errors/domain-error';

export const DEFAULT_PAGE_LIMIT = 25;
export const MAX_PAGE_LIMIT = 100;

/** Every list answers `{data, nextCursor}`; `nextCursor` is null on the last page. */
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-](\d{2})(?::?(\d{2}))?)?$/;

/**
 * A timestamp as our cursors carry it (ISO or PostgreSQL's text) that a `::timestamptz` cast accepts: a cursor
 * is client input, and a day PostgreSQL rejects (2026-02-30) must be a 400, not a failed query.
 */
export function isTimestampText(value: unknown): value is string {
  const match = typeof value === 'string' ? TIMESTAMP.exec(value) : null;
  if (!match) return false;
  const [year, month, day, hour, minute, second, offsetHours = 0, offsetMinutes = 0] = match.slice(1).map((part) => Number(part ?? 0));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && offsetHours <= 15 && offsetMinutes <= 59;
}

export function isUuidText(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/**
 * Null when no cursor was given; INVALID_CURSOR (400) when it is not one this API issued. `isKey` checks the
 * sort key's text before it reaches a cast (a timestamp unless the listing says otherwise).
 */
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
  throw new DomainError(CommonErrorCode.InvalidCursor, 'The cursor is malformed or from another listing');
}

export function pageLimit(limit: number | undefined, max = MAX_PAGE_LIMIT, fallback = DEFAULT_PAGE_LIMIT): number {
  return Math.min(Math.max(limit || fallback, 1), max);
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
