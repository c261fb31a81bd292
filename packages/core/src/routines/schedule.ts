import { Cron } from 'croner';
import { AegisError } from '../errors.js';

/**
 * Reading a routine's `schedule`: a cron expression (5 fields, or 6 with a leading seconds field,
 * nicknames such as `@daily`), an interval (`every 90s`, `every 5m`, `every 2h`, `every 1d`) or a
 * one-off time (ISO-8601; without an offset it is read in the routine's time zone). Cron
 * expressions and one-off times are evaluated by croner, time zones and DST changes included.
 */
export interface Schedule {
  kind: 'cron' | 'interval' | 'once';
  /**
   * The first due time strictly after `after`, or null when there is none. An interval counts in
   * steps from `anchor` (a previous due time) when given, else from `after`.
   */
  next(after: Date, anchor?: Date): Date | null;
  /** The most recent due times in `[from, to]`, at most `limit`, oldest first. */
  recent(from: Date, to: Date, limit: number): Date[];
}

const INTERVAL = /^(?:@?every\s+)(\d{1,9})\s*(s|m|h|d)$/i;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
/** The longest interval accepted: a year. */
const MAX_INTERVAL_MS = 366 * UNIT_MS.d;

/** A 400 naming the request field, in the shape of the server's validation errors. */
export function fieldError(path: string, message: string, next?: string): AegisError {
  return AegisError.validation(`Invalid request: ${path}: ${message}`, {
    issues: [{ path, message }],
    ...(next ? { next } : {}),
  });
}

/** Throws a 400 naming `timezone` unless it is an IANA time zone this runtime knows. */
export function checkTimezone(timezone: string, path = 'timezone'): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    throw fieldError(
      path,
      `unknown time zone "${timezone}"; use an IANA name such as "UTC", "Europe/Rome" or "America/New_York"`,
    );
  }
}

/**
 * Parses `schedule` in `timezone`; a 400 naming `path` (default `schedule`) says what is wrong.
 * @example parseSchedule('0 9 * * 1-5', 'Europe/Rome').next(new Date())
 */
export function parseSchedule(schedule: string, timezone: string, path = 'schedule'): Schedule {
  const text = schedule.trim();
  const interval = INTERVAL.exec(text);
  if (interval) {
    const step = Number(interval[1]) * UNIT_MS[(interval[2] as string).toLowerCase() as keyof typeof UNIT_MS];
    if (step < 1000 || step > MAX_INTERVAL_MS)
      throw fieldError(path, 'an interval must be between 1 second and 366 days');
    return intervalSchedule(step);
  }
  if (ISO_TIME.test(text)) return onceSchedule(text, timezone, path);
  if (/^every\b/i.test(text))
    throw fieldError(path, `"${text}" is not an interval; write e.g. "every 30s", "every 5m", "every 2h"`);
  let cron: Cron;
  try {
    cron = new Cron(text, { timezone, mode: '5-or-6-parts' });
  } catch (err) {
    const why = (err as Error).message.replace(/^CronPattern: /, '');
    throw fieldError(
      path,
      `"${text}" is not a valid cron expression (${why}); use 5 fields "minute hour day month weekday", 6 with a leading seconds field, "every 5m", or an ISO-8601 time`,
    );
  }
  return {
    kind: 'cron',
    next: (after) => cron.nextRun(after),
    recent(from, to, limit) {
      // previousRuns excludes its reference and works in whole seconds: start a second past `to`
      // so a due time at `to` counts (the filter drops what lies beyond it).
      const runs = cron.previousRuns(limit + 1, new Date(to.getTime() + 1000));
      return runs
        .filter((d) => d >= from && d <= to)
        .slice(0, limit)
        .reverse();
    },
  };
}

function intervalSchedule(step: number): Schedule {
  return {
    kind: 'interval',
    next(after, anchor) {
      if (!anchor || anchor > after) return new Date(after.getTime() + step);
      const steps = Math.floor((after.getTime() - anchor.getTime()) / step) + 1;
      return new Date(anchor.getTime() + steps * step);
    },
    recent(from, to, limit) {
      if (from > to) return [];
      const last = Math.floor((to.getTime() - from.getTime()) / step);
      const out: Date[] = [];
      for (let k = Math.max(0, last - limit + 1); k <= last; k++)
        out.push(new Date(from.getTime() + k * step));
      return out;
    },
  };
}

function onceSchedule(text: string, timezone: string, path: string): Schedule {
  let at: Date | null;
  try {
    at = new Cron(text, { timezone }).nextRun(new Date(0));
  } catch (err) {
    throw fieldError(path, `"${text}" is not a valid ISO-8601 time (${(err as Error).message})`);
  }
  if (!at || Number.isNaN(at.getTime())) throw fieldError(path, `"${text}" is not a valid ISO-8601 time`);
  const when = at;
  return {
    kind: 'once',
    next: (after) => (when > after ? when : null),
    recent: (from, to) => (when >= from && when <= to ? [when] : []),
  };
}

/** The next `count` due times after `from` (a preview); an interval counts from `from`. */
export function previewSchedule(schedule: Schedule, from: Date, count = 10): Date[] {
  const out: Date[] = [];
  let at: Date | null = from;
  while (out.length < count && at) {
    at = schedule.next(at);
    if (at) out.push(at);
  }
  return out;
}
