import { describe, expect, it } from 'vitest';
import { byDay, calendarDays, dayKey, inRange, shift } from './routines.js';

describe('routine calendar', () => {
  it('shows whole weeks from Monday covering the month', () => {
    const days = calendarDays(new Date(2026, 11, 15), 'month');
    expect(days.length % 7).toBe(0);
    expect(days[0]?.getDay()).toBe(1);
    expect(dayKey(days[0] as Date)).toBe('2026-11-30');
    expect(days.some((d) => dayKey(d) === '2026-12-31')).toBe(true);
    expect(dayKey(days.at(-1) as Date)).toBe('2027-1-3');
  });

  it('shows the week of the anchor from Monday, and moves by weeks and months', () => {
    expect(calendarDays(new Date(2026, 11, 6), 'week').map(dayKey)).toEqual([
      '2026-11-30',
      '2026-12-1',
      '2026-12-2',
      '2026-12-3',
      '2026-12-4',
      '2026-12-5',
      '2026-12-6',
    ]);
    expect(dayKey(shift(new Date(2026, 11, 6), 'week', 1))).toBe('2026-12-13');
    expect(dayKey(shift(new Date(2026, 11, 6), 'month', -1))).toBe('2026-11-1');
  });

  it('groups items by local day in time order and knows the visible range', () => {
    const at = (d: number, h: number) => new Date(2026, 11, d, h).toISOString();
    const items = [
      { at: at(2, 9), kind: 'upcoming' as const, routineId: 'r', label: 'b' },
      { at: at(2, 8), kind: 'run' as const, routineId: 'r', label: 'a' },
    ];
    expect(
      byDay(items)
        .get('2026-12-2')
        ?.map((i) => i.label),
    ).toEqual(['a', 'b']);
    const week = calendarDays(new Date(2026, 11, 2), 'week');
    expect(inRange(at(2, 8), week)).toBe(true);
    expect(inRange(at(9, 8), week)).toBe(false);
  });
});
