import { registerDecorator, type ValidationOptions } from 'class-validator';

const WEEKDAYS = new Set(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const CLOCK = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function isSlot(slot: unknown): boolean {
  return Array.isArray(slot) && slot.length === 2 && slot.every((t) => typeof t === 'string' && CLOCK.test(t)) && slot[0] < slot[1];
}

/** A real calendar date: `2026-02-30` is refused, not rolled over into March. */
function isCalendarDate(value: unknown): boolean {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** `{weekly: {mon: [["09:00","18:00"]], …}, holidays?: ["YYYY-MM-DD"]}`, each slot opening before it closes. */
export function isBusinessHours(value: unknown): boolean {
  if (!isObject(value) || !isObject(value.weekly)) return false;
  if (Object.keys(value).some((key) => key !== 'weekly' && key !== 'holidays')) return false;
  const daysOk = Object.entries(value.weekly).every(([day, slots]) => WEEKDAYS.has(day) && Array.isArray(slots) && slots.every(isSlot));
  const holidaysOk = value.holidays === undefined || (Array.isArray(value.holidays) && value.holidays.every(isCalendarDate));
  return daysOk && holidaysOk;
}

export function IsBusinessHours(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isBusinessHours',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be {weekly: {mon: [["09:00","18:00"]], …}, holidays?: ["YYYY-MM-DD"]} with weekdays mon..sun, HH:MM times opening before closing and real dates', ...options },
      validator: { validate: isBusinessHours },
    });
}
