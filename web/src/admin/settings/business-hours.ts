export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
type Weekly = Partial<Record<string, Array<[string, string]>>>;

/** `{ mon: [['09:00','13:00'], ['14:00','18:00']] }` → `{ mon: '09:00-13:00, 14:00-18:00', tue: '' … }`. */
export function formatWeekly(weekly: Weekly | undefined): Record<Weekday, string> {
  return Object.fromEntries(WEEKDAYS.map((day) => [day, (weekly?.[day] ?? []).map(([from, to]) => `${from}-${to}`).join(', ')])) as Record<Weekday, string>;
}

const RANGE = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/;

/** The inverse of formatWeekly; an empty day is closed. Reports the first day that does not parse. */
export function parseWeekly(text: Record<Weekday, string>): { ok: true; value: Weekly } | { ok: false; day: Weekday } {
  const value: Weekly = {};
  for (const day of WEEKDAYS) {
    const ranges = text[day].split(',').map((part) => part.replace(/\s/g, '')).filter(Boolean);
    if (ranges.some((range) => !RANGE.test(range))) return { ok: false, day };
    if (ranges.length) value[day] = ranges.map((range) => range.split('-') as [string, string]);
  }
  return { ok: true, value };
}
