import { isBusinessHours } from './business-hours.validator';

describe('isBusinessHours', () => {
  it('accepts a weekly schedule with holidays', () => {
    expect(isBusinessHours({ weekly: { mon: [['09:00', '13:00'], ['14:00', '18:00']], sat: [] }, holidays: ['2026-09-18'] })).toBe(true);
  });

  it.each([
    ['no weekly', { holidays: [] }],
    ['an unknown weekday', { weekly: { monday: [['09:00', '18:00']] } }],
    ['closing before opening', { weekly: { mon: [['18:00', '09:00']] } }],
    ['a malformed time', { weekly: { mon: [['9:00', '18:00']] } }],
    ['a date that does not exist', { weekly: {}, holidays: ['2026-02-30'] }],
    ['an unknown key', { weekly: {}, closed: true }],
  ])('refuses %s', (_label, value) => {
    expect(isBusinessHours(value)).toBe(false);
  });
});
