import { z } from 'zod';

/** The limits a budget can set; each names the `Budget` field it comes from. */
export const BudgetLimit = z
  .enum(['maxCostUsd', 'maxTokens', 'maxTurns', 'maxDurationMs'])
  .meta({ id: 'BudgetLimit' });
export type BudgetLimit = z.infer<typeof BudgetLimit>;

const limit = (what: string, int: boolean) =>
  (int ? z.number().int() : z.number())
    .min(0, { error: `must be 0 or more (${what}); omit it for no limit` })
    .optional()
    .describe(what);

/**
 * Spending limits. Omitted fields set no limit. At 80 % of a limit a `budget.warning` is recorded;
 * past it the running turn is cancelled (`budget.exceeded`) and prompts are refused with 429
 * `BUDGET_EXCEEDED` until the budget is raised.
 */
export const Budget = z
  .object({
    maxCostUsd: limit(
      'Most US dollars the session may spend (agent-reported cost, else the price table)',
      false,
    ),
    maxTokens: limit('Most tokens (input + output + cache) the session may use', true),
    maxTurns: limit('Most turns (prompts run)', true),
    maxDurationMs: limit('Most milliseconds the agent may spend working in turns, summed', true),
  })
  .strict()
  .meta({ id: 'Budget' });
export type Budget = z.infer<typeof Budget>;

/** Where a session stands against its budget. */
export const BudgetStatus = z
  .object({
    warned: z.array(BudgetLimit).describe('Limits past 80 % (a `budget.warning` was recorded for each)'),
    exceeded: z
      .union([BudgetLimit, z.null()])
      .describe('The limit that stopped the session; `null` while within budget'),
  })
  .meta({ id: 'BudgetStatus' });
export type BudgetStatus = z.infer<typeof BudgetStatus>;

/** What a budget is measured against. */
export interface BudgetUse {
  costUsd: number;
  tokens: number;
  turns: number;
  durationMs: number;
}

export const BUDGET_WARNING_FRACTION = 0.8;

const USE_OF: Record<BudgetLimit, keyof BudgetUse> = {
  maxCostUsd: 'costUsd',
  maxTokens: 'tokens',
  maxTurns: 'turns',
  maxDurationMs: 'durationMs',
};

/** One limit's standing: how much is used of how much. */
export interface BudgetReading {
  limit: BudgetLimit;
  used: number;
  max: number;
}

/**
 * Compares use against a budget. `exceeded`: the first limit used past its maximum (a turn
 * limit counts turns already run, so `maxTurns: 3` lets 3 run); `warnings`: limits at 80 % or more.
 */
export function readBudget(
  budget: Budget | null | undefined,
  use: BudgetUse,
): { exceeded: BudgetReading | null; warnings: BudgetReading[] } {
  const warnings: BudgetReading[] = [];
  let exceeded: BudgetReading | null = null;
  if (!budget) return { exceeded, warnings };
  for (const limit of BudgetLimit.options) {
    const max = budget[limit];
    if (max === undefined) continue;
    const used = use[USE_OF[limit]];
    const reading = { limit, used, max };
    if (used > max) {
      exceeded ??= reading;
    } else if (used >= max * BUDGET_WARNING_FRACTION && max > 0) {
      warnings.push(reading);
    }
  }
  return { exceeded, warnings };
}

/** Whether one more turn may start: `maxTurns` counts the turn about to run. */
export function turnAllowed(budget: Budget | null | undefined, turnsRun: number): boolean {
  return budget?.maxTurns === undefined || turnsRun < budget.maxTurns;
}

const UNIT: Record<BudgetLimit, (n: number) => string> = {
  maxCostUsd: (n) => `$${n.toFixed(4)}`,
  maxTokens: (n) => `${n} tokens`,
  maxTurns: (n) => `${n} turns`,
  maxDurationMs: (n) => `${n} ms`,
};

/** "maxCostUsd ($0.0123 of $0.0100)": a reading in words. */
export function describeReading(r: BudgetReading): string {
  return `${r.limit} (${UNIT[r.limit](r.used)} of ${UNIT[r.limit](r.max)})`;
}
