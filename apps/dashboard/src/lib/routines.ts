/** Calendar arithmetic for the Routines page: which days a month or week view shows, and what falls on each. */

export type CalendarMode = 'month' | 'week';

export interface CalendarItem {
  /** ISO time. */
  at: string;
  kind: 'upcoming' | 'run';
  routineId: string;
  label: string;
  outcome?: string | undefined;
  sessionId?: string | null | undefined;
  pipelineId?: string | null | undefined;
}

const DAY = 86_400_000;

/** Local midnight of `d`. */
export function startOfDay(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

/** The days shown: whole weeks from Monday, covering the month of `anchor`, or the week of `anchor`. */
export function calendarDays(anchor: Date, mode: CalendarMode): Date[] {
  const first = mode === 'month' ? new Date(anchor.getFullYear(), anchor.getMonth(), 1) : startOfDay(anchor);
  const monday = new Date(first);
  monday.setDate(first.getDate() - ((first.getDay() + 6) % 7));
  const days: Date[] = [];
  if (mode === 'week') {
    for (let i = 0; i < 7; i++)
      days.push(new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() + i));
    return days;
  }
  const last = new Date(anchor.getFullYear(), anchor.getMonth() + 1, 0);
  for (
    let d = monday;
    d <= last || days.length % 7 !== 0;
    d = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1)
  ) {
    days.push(d);
  }
  return days;
}

/** Moves the anchor a month or a week back (-1) or forward (+1). */
export function shift(anchor: Date, mode: CalendarMode, by: -1 | 1): Date {
  return mode === 'month'
    ? new Date(anchor.getFullYear(), anchor.getMonth() + by, 1)
    : new Date(anchor.getFullYear(), anchor.getMonth(), anchor.getDate() + 7 * by);
}

/** Items grouped by the local day they fall on (key: `YYYY-M-D`), each day's in time order. */
export function byDay(items: CalendarItem[]): Map<string, CalendarItem[]> {
  const out = new Map<string, CalendarItem[]>();
  for (const item of [...items].sort((a, b) => a.at.localeCompare(b.at))) {
    const key = dayKey(new Date(item.at));
    const list = out.get(key) ?? [];
    list.push(item);
    out.set(key, list);
  }
  return out;
}

export const dayKey = (d: Date) => `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;

/** Whether `at` falls on one of `days` (the visible range). */
export function inRange(at: string, days: Date[]): boolean {
  if (days.length === 0) return false;
  const t = Date.parse(at);
  return t >= (days[0] as Date).getTime() && t < (days.at(-1) as Date).getTime() + DAY;
}
