import type { BusinessHoursConfig, Language, Weekday } from './agent.types';

const WEEKDAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_MS = 24 * 60 * 60 * 1000;
/** A closed period longer than this (no schedule at all) is treated as "no next opening". */
const SEARCH_DAYS = 14;

export interface LocalDateTime {
  date: string;
  weekday: Weekday;
  minutes: number;
}

export interface OpenState {
  open: boolean;
  /** When closed: the instant the closed period started (last closing), if found within two weeks. */
  closedSince?: Date;
  /** When closed: the next opening instant. */
  nextOpen?: Date;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallClockParts(instant: Date, timeZone: string): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return parts;
}

/** Offset (ms) of the zone from UTC at `instant`. */
function zoneOffset(instant: Date, timeZone: string): number {
  const p = wallClockParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

export function toLocal(instant: Date, timeZone: string): LocalDateTime {
  const p = wallClockParts(instant, timeZone);
  const date = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  const weekday = WEEKDAYS[new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay()];
  return { date, weekday, minutes: (p.hour % 24) * 60 + p.minute };
}

/** The UTC instant of a local wall-clock time; two passes settle DST transitions. */
export function fromLocal(date: string, minutes: number, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  const wall = Date.UTC(year, month - 1, day) + minutes * 60_000;
  let guess = wall - zoneOffset(new Date(wall), timeZone);
  guess = wall - zoneOffset(new Date(guess), timeZone);
  return new Date(guess);
}

export function parseClock(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return hours * 60 + (minutes || 0);
}

function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

function weekdayOf(date: string): Weekday {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];
}

function intervalsOn(date: string, hours: BusinessHoursConfig, timeZone: string): Array<[Date, Date]> {
  if (hours.holidays?.includes(date)) return [];
  return (hours.weekly[weekdayOf(date)] ?? []).map(([open, close]) => [fromLocal(date, parseClock(open), timeZone), fromLocal(date, parseClock(close), timeZone)]);
}

export function openState(now: Date, hours: BusinessHoursConfig, timeZone: string): OpenState {
  const today = toLocal(now, timeZone).date;
  let closedSince: Date | undefined;
  for (let offset = -SEARCH_DAYS; offset <= 0; offset++) {
    for (const [start, end] of intervalsOn(addDays(today, offset), hours, timeZone)) {
      if (start <= now && now < end) return { open: true };
      if (end <= now && (!closedSince || end > closedSince)) closedSince = end;
    }
  }
  return { open: false, closedSince, nextOpen: nextOpening(now, today, hours, timeZone) };
}

function nextOpening(now: Date, today: string, hours: BusinessHoursConfig, timeZone: string): Date | undefined {
  for (let offset = 0; offset <= SEARCH_DAYS; offset++) {
    const upcoming = intervalsOn(addDays(today, offset), hours, timeZone)
      .map(([start]) => start)
      .filter((start) => start > now)
      .sort((a, b) => a.getTime() - b.getTime());
    if (upcoming.length > 0) return upcoming[0];
  }
  return undefined;
}

const DAY_NAMES: Record<Language, Record<Weekday, string>> = {
  es: { mon: 'lunes', tue: 'martes', wed: 'miércoles', thu: 'jueves', fri: 'viernes', sat: 'sábado', sun: 'domingo' },
  en: { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' },
};
const ORDER: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** "lunes a viernes 09:00–18:00; sábado 10:00–14:00", grouping consecutive days with equal hours. */
export function describeSchedule(hours: BusinessHoursConfig, language: Language): string {
  const groups: Array<{ from: Weekday; to: Weekday; key: string }> = [];
  for (const day of ORDER) {
    const key = (hours.weekly[day] ?? []).map(([open, close]) => `${open}–${close}`).join(language === 'en' ? ' and ' : ' y ');
    const last = groups[groups.length - 1];
    if (last && last.key === key && ORDER.indexOf(last.to) === ORDER.indexOf(day) - 1) last.to = day;
    else groups.push({ from: day, to: day, key });
  }
  const joiner = language === 'en' ? ' to ' : ' a ';
  return groups
    .filter((group) => group.key)
    .map((group) => {
      const names = DAY_NAMES[language];
      const days = group.from === group.to ? names[group.from] : `${names[group.from]}${joiner}${names[group.to]}`;
      return `${days} ${group.key}`;
    })
    .join('; ');
}

export function describeInstant(instant: Date, timeZone: string, language: Language): string {
  const local = toLocal(instant, timeZone);
  const clock = `${pad(Math.floor(local.minutes / 60))}:${pad(local.minutes % 60)}`;
  return language === 'en' ? `${DAY_NAMES.en[local.weekday]} at ${clock}` : `el ${DAY_NAMES.es[local.weekday]} a las ${clock}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
