import type { BusinessHours } from '../../../database/entities/whatsapp-account.entity';
import { fromLocal, parseClock, toLocal } from '../../agents/engine/business-hours';

const DAY_MS = 24 * 3600 * 1000;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** Longer spans are cut here: a duration past a year in business time says nothing more. */
const MAX_DAYS = 366;

/**
 * Seconds between two instants that fall inside the account's opening hours (its timezone, weekly intervals,
 * holidays). Without a schedule every second counts.
 */
export function businessSeconds(from: Date, to: Date, hours: BusinessHours | null, timeZone: string): number {
  if (to <= from) return 0;
  if (!hours) return Math.round((to.getTime() - from.getTime()) / 1000);
  let total = 0;
  const first = toLocal(from, timeZone).date;
  const last = toLocal(to, timeZone).date;
  for (let day = 0, date = first; day <= MAX_DAYS; day += 1, date = addDays(date, 1)) {
    for (const [open, close] of intervalsOn(date, hours, timeZone)) {
      const start = Math.max(open.getTime(), from.getTime());
      const end = Math.min(close.getTime(), to.getTime());
      if (end > start) total += end - start;
    }
    if (date === last) break;
  }
  return Math.round(total / 1000);
}

function intervalsOn(date: string, hours: BusinessHours, timeZone: string): Array<[Date, Date]> {
  if (hours.holidays?.includes(date)) return [];
  const weekday = WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];
  return (hours.weekly[weekday] ?? []).map(([open, close]) => [fromLocal(date, parseClock(open), timeZone), fromLocal(date, parseClock(close), timeZone)]);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
