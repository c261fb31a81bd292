import type { Session, UsageGroup } from '@aegis/client';
import { describe, expect, it } from 'vitest';
import {
  budgetRows,
  budgetState,
  byCost,
  daysBetween,
  lastDays,
  lastDaysSeries,
  perDay,
  rangeProblem,
  usageFileName,
} from './cost.js';

const group = (over: Partial<UsageGroup>): UsageGroup => ({
  turns: 1,
  inputTokens: 0,
  outputTokens: 0,
  cachedReadTokens: 0,
  cachedWriteTokens: 0,
  totalTokens: 0,
  costUsd: 0,
  durationMs: 0,
  toolCalls: 0,
  ...over,
});

describe('days and ranges', () => {
  it('takes the last n UTC days, today included, whatever the local time', () => {
    // 00:30 UTC on 1 March: in a zone behind UTC it is still 28 February locally.
    expect(lastDays(3, new Date(Date.UTC(2028, 2, 1, 0, 30)))).toEqual({
      from: '2028-02-28',
      to: '2028-03-01',
    });
    expect(lastDays(1, new Date(Date.UTC(2026, 0, 10, 23, 59)))).toEqual({
      from: '2026-01-10',
      to: '2026-01-10',
    });
  });

  it('lists every day between two, across a month end, and none when reversed', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
    expect(daysBetween('2026-01-02', '2026-01-01')).toEqual([]);
  });

  it('says what is wrong with a range the server would refuse', () => {
    expect(rangeProblem('2026-01-01', '2026-01-31')).toBeNull();
    expect(rangeProblem('2026-1-1', '2026-01-31')).toBe('format');
    expect(rangeProblem('2026-02-30', '2026-03-01')).toBe('format'); // no such day
    expect(rangeProblem('', '2026-01-31')).toBe('format');
    expect(rangeProblem('2026-02-01', '2026-01-31')).toBe('order');
    expect(rangeProblem('2024-01-01', '2025-01-01')).toBe('tooLong'); // 367 days
    expect(rangeProblem('2024-01-01', '2024-12-31')).toBeNull(); // 366 days
  });
});

describe('per day', () => {
  it('puts each day group on its day and zero on days without turns', () => {
    const groups = [
      group({ day: '2026-01-10', totalTokens: 150, costUsd: 0.5 }),
      group({ day: '2026-01-08', totalTokens: 7, costUsd: 0.25 }),
      group({ day: '2025-12-01', totalTokens: 1000, costUsd: 9 }), // outside the range
    ];
    expect(perDay(groups, '2026-01-08', '2026-01-10', (g) => g.totalTokens)).toEqual([7, 0, 150]);
    expect(perDay(groups, '2026-01-08', '2026-01-10', (g) => g.costUsd)).toEqual([0.25, 0, 0.5]);
  });

  it('gives the Overview its 14-day token and cost series from the ledger days', () => {
    const now = new Date(Date.UTC(2026, 0, 14, 12));
    const s = lastDaysSeries(
      [
        group({ day: '2026-01-01', totalTokens: 3, costUsd: 0.1 }),
        group({ day: '2026-01-14', totalTokens: 9 }),
      ],
      14,
      now,
    );
    expect(s.tokens).toEqual([3, ...new Array(12).fill(0), 9]);
    expect(s.cost).toEqual([0.1, ...new Array(13).fill(0)]);
  });
});

describe('tables', () => {
  it('orders groups costliest first, then by tokens', () => {
    const rows = byCost([
      group({ model: 'a', costUsd: 1, totalTokens: 5 }),
      group({ model: 'b', costUsd: 2, totalTokens: 1 }),
      group({ model: 'c', costUsd: 1, totalTokens: 9 }),
    ]);
    expect(rows.map((r) => r.model)).toEqual(['b', 'c', 'a']);
  });

  it('names the CSV after its range', () => {
    expect(usageFileName('2026-01-01', '2026-01-31')).toBe('aegis-usage-2026-01-01-2026-01-31.csv');
  });
});

type B = Pick<Session, 'budget' | 'budgetStatus' | 'usage' | 'turns'>;
const budgeted = (over: Partial<B>): B => ({
  budget: null,
  budgetStatus: { warned: [], exceeded: null },
  turns: 2,
  usage: { totalTokens: 900, costUsd: 0.05, durationMs: 1000 } as Session['usage'],
  ...over,
});

describe('budget state', () => {
  it('has no rows and no state without a budget', () => {
    expect(budgetRows(budgeted({}))).toEqual([]);
    expect(budgetState(budgeted({}))).toBeNull();
  });

  it('reads each limit set against what the session used, in a fixed order', () => {
    const s = budgeted({ budget: { maxTurns: 10, maxCostUsd: 0.1, maxTokens: 1000 } });
    expect(budgetRows(s)).toEqual([
      { limit: 'maxCostUsd', used: 0.05, max: 0.1, fraction: 0.5, state: 'ok' },
      { limit: 'maxTokens', used: 900, max: 1000, fraction: 0.9, state: 'warn' },
      { limit: 'maxTurns', used: 2, max: 10, fraction: 0.2, state: 'ok' },
    ]);
    expect(budgetState(s)).toBe('warn');
  });

  it("follows the server's status: a recorded warning, the limit that stopped the session", () => {
    const s = budgeted({
      budget: { maxCostUsd: 0.1, maxDurationMs: 100_000 },
      budgetStatus: { warned: ['maxDurationMs'], exceeded: 'maxCostUsd' },
    });
    expect(budgetRows(s).map((r) => [r.limit, r.state])).toEqual([
      ['maxCostUsd', 'exceeded'],
      ['maxDurationMs', 'warn'],
    ]);
    expect(budgetState(s)).toBe('exceeded');
  });

  it('counts a zero limit as used up once anything is spent, and a missing cost as 0', () => {
    const s = budgeted({
      budget: { maxCostUsd: 0, maxTurns: 0 },
      turns: 0,
      usage: { totalTokens: 0, costUsd: null, durationMs: 0 } as Session['usage'],
    });
    expect(budgetRows(s).map((r) => [r.used, r.fraction])).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });
});
