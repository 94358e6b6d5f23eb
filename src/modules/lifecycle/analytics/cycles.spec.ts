import { businessSeconds } from './business-time';
import { computeCycles, type Schedule, type TimelineEntry } from './cycles';

/** Santiago in January is UTC−3 (summer time): local 09:00 is 12:00Z. Weekdays 09:00–18:00. */
const SCHEDULE: Schedule = {
  timeZone: 'America/Santiago',
  hours: { weekly: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] } },
};
const local = (date: string, clock: string) => new Date(`${date}T${clock}-03:00`);
const entry = (kind: TimelineEntry['kind'], date: string, clock: string): TimelineEntry => ({ kind, at: local(date, clock) });
const NOW = local('2030-01-25', '12:00:00');

describe('computeCycles', () => {
  it('counts first response and resolution from the bot handoff, in wall and business seconds across a night, and starts a new cycle on reopen', () => {
    const cycles = computeCycles(
      [
        entry('inbound', '2030-01-15', '17:00:00'), // Tuesday: opened
        entry('bot', '2030-01-15', '17:00:30'),
        entry('handoff', '2030-01-15', '17:05:00'),
        entry('inbound', '2030-01-15', '17:06:00'),
        entry('human', '2030-01-16', '11:05:00'), // 55 min on Tuesday + 2 h 05 on Wednesday = 3 business hours
        entry('human', '2030-01-16', '11:10:00'),
        entry('closed', '2030-01-16', '12:05:00'),
        entry('bot', '2030-01-16', '12:06:00'), // after the close, without a customer message: no cycle
        entry('inbound', '2030-01-17', '10:00:00'), // Thursday: reopens
        entry('human', '2030-01-17', '10:20:00'),
      ],
      SCHEDULE,
      NOW,
    );
    expect(cycles).toEqual([
      {
        cycle: 1,
        openedAt: local('2030-01-15', '17:00:00'),
        firstBotReplyAt: local('2030-01-15', '17:00:30'),
        handoffAt: local('2030-01-15', '17:05:00'),
        firstHumanReplyAt: local('2030-01-16', '11:05:00'),
        resolvedAt: local('2030-01-16', '12:05:00'),
        inboundCount: 2,
        outboundCount: 3,
        humanReplies: 2,
        firstResponseSeconds: 18 * 3600,
        firstResponseBusinessSeconds: 3 * 3600,
        resolutionSeconds: 19 * 3600,
        resolutionBusinessSeconds: 4 * 3600,
        autoResolved: false,
        windowExpired: false,
      },
      {
        cycle: 2,
        openedAt: local('2030-01-17', '10:00:00'),
        firstBotReplyAt: null,
        handoffAt: null,
        firstHumanReplyAt: local('2030-01-17', '10:20:00'),
        resolvedAt: null,
        inboundCount: 1,
        outboundCount: 1,
        humanReplies: 1,
        firstResponseSeconds: 1200,
        firstResponseBusinessSeconds: 1200,
        resolutionSeconds: null,
        resolutionBusinessSeconds: null,
        autoResolved: false,
        windowExpired: false,
      },
    ]);
  });

  it('marks a conversation the bot closed alone as auto-resolved, with no first response', () => {
    const [cycle] = computeCycles(
      [entry('inbound', '2030-01-15', '10:00:00'), entry('bot', '2030-01-15', '10:00:05'), entry('closed', '2030-01-15', '10:30:00')],
      SCHEDULE,
      NOW,
    );
    expect(cycle).toMatchObject({ autoResolved: true, firstResponseSeconds: null, resolutionSeconds: 1800, resolutionBusinessSeconds: 1800, windowExpired: false });
  });

  it('sees the 24-hour window expire over a weekend, from the last customer message before the reply', () => {
    const [late, unanswered] = [
      computeCycles([entry('inbound', '2030-01-18', '17:00:00'), entry('human', '2030-01-21', '10:00:00')], SCHEDULE, NOW)[0],
      computeCycles([entry('inbound', '2030-01-23', '09:00:00'), entry('inbound', '2030-01-24', '13:00:00')], SCHEDULE, NOW)[0],
    ];
    expect(late).toMatchObject({ windowExpired: true, firstResponseSeconds: 65 * 3600, firstResponseBusinessSeconds: 2 * 3600 });
    expect(unanswered).toMatchObject({ windowExpired: false, firstResponseSeconds: null });
  });
});

describe('businessSeconds', () => {
  it('counts only opening hours, skips holidays, and counts every second without a schedule', () => {
    expect(businessSeconds(local('2030-01-15', '08:00:00'), local('2030-01-15', '20:00:00'), SCHEDULE.hours, SCHEDULE.timeZone)).toBe(9 * 3600);
    const holiday = { ...SCHEDULE.hours!, holidays: ['2030-01-16'] };
    expect(businessSeconds(local('2030-01-15', '17:00:00'), local('2030-01-17', '10:00:00'), holiday, SCHEDULE.timeZone)).toBe(2 * 3600);
    expect(businessSeconds(local('2030-01-15', '17:00:00'), local('2030-01-15', '17:00:42'), null, SCHEDULE.timeZone)).toBe(42);
  });
});
