import { describe, expect, it } from 'vitest';
import { AegisError } from '../errors.js';
import { checkTimezone, parseSchedule, previewSchedule } from './schedule.js';

function refusal(fn: () => unknown): { code: string; message: string; details: unknown } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AegisError);
    const e = err as AegisError;
    return { code: e.code, message: e.message, details: e.details };
  }
  throw new Error('expected a refusal');
}

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());
const from = new Date('2026-01-01T00:00:00Z');

describe('parseSchedule', () => {
  it('reads 5-field cron, 6-field cron with leading seconds, nicknames, intervals and one-off times', () => {
    expect(iso(previewSchedule(parseSchedule('0 9 * * 1-5', 'UTC'), from, 2))).toEqual([
      '2026-01-01T09:00:00.000Z',
      '2026-01-02T09:00:00.000Z',
    ]);
    expect(iso(previewSchedule(parseSchedule('*/20 * * * * *', 'UTC'), from, 2))).toEqual([
      '2026-01-01T00:00:20.000Z',
      '2026-01-01T00:00:40.000Z',
    ]);
    expect(iso(previewSchedule(parseSchedule('@daily', 'Europe/Rome'), from, 1))).toEqual([
      '2026-01-01T23:00:00.000Z',
    ]);
    expect(iso(previewSchedule(parseSchedule('every 90s', 'UTC'), from, 2))).toEqual([
      '2026-01-01T00:01:30.000Z',
      '2026-01-01T00:03:00.000Z',
    ]);
    const once = parseSchedule('2026-12-24T09:00:00', 'Europe/Rome');
    expect(once.kind).toBe('once');
    expect(iso(previewSchedule(once, from, 10))).toEqual(['2026-12-24T08:00:00.000Z']);
    expect(iso(previewSchedule(parseSchedule('2026-02-01T10:00:00Z', 'Asia/Tokyo'), from, 10))).toEqual([
      '2026-02-01T10:00:00.000Z',
    ]);
  });

  it('lists the most recent due times of a range, oldest first', () => {
    const s = parseSchedule('0 * * * *', 'UTC');
    expect(iso(s.recent(new Date('2026-01-01T01:00:00Z'), new Date('2026-01-01T05:00:00Z'), 3))).toEqual([
      '2026-01-01T03:00:00.000Z',
      '2026-01-01T04:00:00.000Z',
      '2026-01-01T05:00:00.000Z',
    ]);
    const i = parseSchedule('every 10m', 'UTC');
    expect(iso(i.recent(new Date('2026-01-01T00:05:00Z'), new Date('2026-01-01T00:31:00Z'), 10))).toEqual([
      '2026-01-01T00:05:00.000Z',
      '2026-01-01T00:15:00.000Z',
      '2026-01-01T00:25:00.000Z',
    ]);
  });

  it.each([
    ['61 * * * *', /"61 \* \* \* \*" is not a valid cron expression \(Invalid value for minute: 61\)/],
    ['* * *', /not a valid cron expression/],
    ['* * * * * * *', /not a valid cron expression/],
    ['every 0s', /between 1 second and 366 days/],
    ['every fortnight', /is not an interval/],
    ['2026-13-45T99:00:00', /not a valid ISO-8601 time/],
  ])('refuses %s with a 400 naming schedule', (schedule, why) => {
    const e = refusal(() => parseSchedule(schedule, 'UTC'));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toMatch(/^Invalid request: schedule: /);
    expect(e.message).toMatch(why);
    expect(e.details).toEqual({ issues: [{ path: 'schedule', message: expect.any(String) }] });
  });

  it('refuses an unknown time zone naming the field', () => {
    expect(checkTimezone('Europe/Rome')).toBe('Europe/Rome');
    const e = refusal(() => checkTimezone('Mars/Olympus_Mons'));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toBe(
      'Invalid request: timezone: unknown time zone "Mars/Olympus_Mons"; use an IANA name such as "UTC", "Europe/Rome" or "America/New_York"',
    );
  });
});

describe('interval steps', () => {
  it('keep to the grid of a previous due time when one is given', () => {
    const s = parseSchedule('every 2s', 'UTC');
    const anchor = new Date('2026-01-01T00:00:00.000Z');
    expect(s.next(new Date('2026-01-01T00:00:07.300Z'), anchor)?.toISOString()).toBe(
      '2026-01-01T00:00:08.000Z',
    );
    expect(s.next(new Date('2026-01-01T00:00:08.000Z'), anchor)?.toISOString()).toBe(
      '2026-01-01T00:00:10.000Z',
    );
    expect(s.next(new Date('2026-01-01T00:00:07.300Z'))?.toISOString()).toBe('2026-01-01T00:00:09.300Z');
  });
});
