/**
 * Figures for the Cost page and the budget state of a session, shaped from what the API serves:
 * `GET /v1/usage` groups (the usage ledger, one row per finished turn, summed per UTC day) and a
 * session's `budget`, `budgetStatus` and usage.
 */
import type { Budget, Session, UsageGroup } from '@aegis/client';

/** A limit a session budget can set. */
export type BudgetLimit = keyof Budget;

const DAY = 86_400_000;
/** The server answers at most this many days at a time. */
export const MAX_RANGE_DAYS = 366;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A UTC day, YYYY-MM-DD. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The last `days` UTC days, today included. */
export function lastDays(days: number, now = new Date()): { from: string; to: string } {
  const to = utcDay(now.getTime());
  return { from: utcDay(Date.parse(`${to}T00:00:00Z`) - (days - 1) * DAY), to };
}

/** Every UTC day from `from` to `to`, both included (empty when `from` is after `to`). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let d = Date.parse(`${from}T00:00:00Z`); d <= end && out.length <= MAX_RANGE_DAYS; d += DAY) {
    out.push(utcDay(d));
  }
  return out;
}

/** What is wrong with a range, or null: a day not written YYYY-MM-DD, `from` after `to`, too long. */
export function rangeProblem(from: string, to: string): 'format' | 'order' | 'tooLong' | null {
  const ok = (d: string) => {
    const ms = Date.parse(`${d}T00:00:00Z`);
    return DAY_RE.test(d) && !Number.isNaN(ms) && utcDay(ms) === d;
  };
  if (!ok(from) || !ok(to)) return 'format';
  if (from > to) return 'order';
  if ((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY + 1 > MAX_RANGE_DAYS)
    return 'tooLong';
  return null;
}

/** `value` of each day's group over `from`..`to`, oldest first; 0 on a day without turns. */
export function perDay(
  groups: readonly UsageGroup[],
  from: string,
  to: string,
  value: (g: UsageGroup) => number,
): number[] {
  const byDay = new Map<string, number>();
  for (const g of groups) if (g.day) byDay.set(g.day, (byDay.get(g.day) ?? 0) + value(g));
  return daysBetween(from, to).map((d) => byDay.get(d) ?? 0);
}

/** The day groups of the last `days` UTC days as tokens and cost per day (the Overview sparklines). */
export function lastDaysSeries(
  groups: readonly UsageGroup[],
  days = 14,
  now = new Date(),
): { tokens: number[]; cost: number[] } {
  const { from, to } = lastDays(days, now);
  return {
    tokens: perDay(groups, from, to, (g) => g.totalTokens),
    cost: perDay(groups, from, to, (g) => g.costUsd),
  };
}

/** Groups costliest first, then by most tokens: the order of the Cost page's tables. */
export function byCost(groups: readonly UsageGroup[]): UsageGroup[] {
  return [...groups].sort((a, b) => b.costUsd - a.costUsd || b.totalTokens - a.totalTokens);
}

/** The file name of a usage CSV export. */
export function usageFileName(from: string, to: string): string {
  return `aegis-usage-${from}-${to}.csv`;
}

export const BUDGET_LIMITS: readonly BudgetLimit[] = ['maxCostUsd', 'maxTokens', 'maxTurns', 'maxDurationMs'];

/** One limit of a session's budget against what the session has used. */
export interface BudgetRow {
  limit: BudgetLimit;
  used: number;
  max: number;
  /** used / max (may pass 1); 1 for a zero limit once anything is used */
  fraction: number;
  /** `exceeded`: the limit that stopped the session; `warn`: past 80 % (a `budget.warning`) */
  state: 'ok' | 'warn' | 'exceeded';
}

type BudgetedSession = Pick<Session, 'budget' | 'budgetStatus' | 'usage' | 'turns'>;

/** What a session has used of each measure a budget can limit, as the server counts it. */
export function budgetUse(s: Pick<Session, 'usage' | 'turns'>): Record<BudgetLimit, number> {
  return {
    maxCostUsd: s.usage.costUsd ?? 0,
    maxTokens: s.usage.totalTokens,
    maxTurns: s.turns,
    maxDurationMs: s.usage.durationMs ?? 0,
  };
}

/**
 * The limits a session's budget sets, each with its use. The state follows the server's
 * `budgetStatus` (which counts the running turn too); a use already past 80 % shows as `warn`.
 */
export function budgetRows(s: BudgetedSession): BudgetRow[] {
  if (!s.budget) return [];
  const use = budgetUse(s);
  const rows: BudgetRow[] = [];
  for (const limit of BUDGET_LIMITS) {
    const max = s.budget[limit];
    if (max === undefined || max === null) continue;
    const used = use[limit];
    const fraction = max > 0 ? used / max : used > 0 ? 1 : 0;
    const state =
      s.budgetStatus?.exceeded === limit
        ? 'exceeded'
        : s.budgetStatus?.warned.includes(limit) || fraction >= 0.8
          ? 'warn'
          : 'ok';
    rows.push({ limit, used, max, fraction, state });
  }
  return rows;
}

/** A session's budget state in one word: the worst of its limits, or null without a budget. */
export function budgetState(s: BudgetedSession): BudgetRow['state'] | null {
  const rows = budgetRows(s);
  if (rows.length === 0) return null;
  if (s.budgetStatus?.exceeded || rows.some((r) => r.state === 'exceeded')) return 'exceeded';
  return rows.some((r) => r.state === 'warn') ? 'warn' : 'ok';
}
