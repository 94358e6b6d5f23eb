import { describe, expect, it } from 'vitest';
import type { CampaignCounts } from '../api/admin-types';
import { hrefOf, parseHash } from '../lib/route';
import { actionsFor, csvHeader, progressOf } from './campaign-progress';
import { formatWeekly, parseWeekly } from './settings/business-hours';
import { draftComponents } from './settings/Templates';
import { duration, percent } from './Bars';

const zero: CampaignCounts = { total: 0, pending: 0, sending: 0, sent: 0, delivered: 0, read: 0, replied: 0, failed: 0, failedByCode: {}, skipped: 0, skippedByReason: {}, expired: 0, cancelled: 0, optedOut: 0 };

describe('hash routes', () => {
  it('reads the section and the rest, and falls back to the inbox', () => {
    expect(parseHash('#/campaigns/abc')).toEqual({ section: 'campaigns', rest: ['abc'] });
    expect(parseHash('#/settings')).toEqual({ section: 'settings', rest: [] });
    expect(parseHash('')).toEqual({ section: 'inbox', rest: [] });
    expect(parseHash('#/nope/x')).toEqual({ section: 'inbox', rest: [] });
    expect(parseHash(hrefOf('settings', 'api keys'))).toEqual({ section: 'settings', rest: ['api keys'] });
  });
});

describe('campaign progress', () => {
  it('counts every final outcome as done, whatever it was', () => {
    expect(progressOf({ ...zero, total: 10, sent: 3, failed: 1, skipped: 1, expired: 1, cancelled: 1, pending: 3 })).toEqual({ done: 7, total: 10, percent: 70 });
    expect(progressOf(zero)).toEqual({ done: 0, total: 0, percent: 0 });
  });

  it('offers only the transitions the status allows', () => {
    expect(actionsFor('draft')).toEqual(['start']);
    expect(actionsFor('running')).toEqual(['pause', 'cancel']);
    expect(actionsFor('paused')).toEqual(['resume', 'cancel']);
    expect(actionsFor('completed')).toEqual([]);
  });

  it('reads a CSV header, quoted or not', () => {
    expect(csvHeader('phone,"name", 1\r\n+56911112222,Ana,x')).toEqual(['phone', 'name', '1']);
  });
});

describe('business hours', () => {
  it('round-trips the weekly schedule through the text fields', () => {
    const weekly = { mon: [['09:00', '13:00'], ['14:00', '18:00']] as Array<[string, string]>, sat: [['10:00', '12:00']] as Array<[string, string]> };
    const text = formatWeekly(weekly);
    expect(text.mon).toBe('09:00-13:00, 14:00-18:00');
    expect(text.sun).toBe('');
    expect(parseWeekly(text)).toEqual({ ok: true, value: weekly });
  });

  it('names the first day that does not parse', () => {
    expect(parseWeekly({ ...formatWeekly({}), tue: '9-18' })).toEqual({ ok: false, day: 'tue' });
  });
});

describe('template drafts', () => {
  it('adds the example values Meta requires, in variable order, and the footer', () => {
    expect(draftComponents('Hola {{1}}, vence el {{2}}', 'Conversa', { 1: 'Ana', 2: '30/04' })).toEqual([
      { type: 'BODY', text: 'Hola {{1}}, vence el {{2}}', example: { body_text: [['Ana', '30/04']] } },
      { type: 'FOOTER', text: 'Conversa' },
    ]);
    expect(draftComponents('Sin variables', ' ', {})).toEqual([{ type: 'BODY', text: 'Sin variables' }]);
  });
});

describe('formatting', () => {
  it('shows rates and durations readably', () => {
    expect(percent(0.4567)).toBe('45.7%');
    expect(percent(null)).toBe('—');
    expect(duration(42)).toBe('42 s');
    expect(duration(720)).toBe('12 min');
    expect(duration(12_600)).toBe('3.5 h');
  });
});
