import { type Budget, type BudgetUse, readBudget } from './budget.js';
import type { KeyBudgetView } from './budget-guard.js';
import { AegisError } from './errors.js';
import type { AegisStore } from './store.js';
import { type UsageRecord, utcDay } from './usage.js';

/**
 * Daily budgets per owner (API key): today's use read once from the ledger, then kept up to date
 * with each ledger row this process stores. A new UTC day starts from the ledger again.
 */
export class KeyBudgets implements KeyBudgetView {
  readonly #store: AegisStore;
  readonly #budgetFor: (ownerId: string | null) => Budget | undefined;
  readonly #now: () => Date;
  readonly #today = new Map<string, { day: string; use: BudgetUse }>();

  constructor(store: AegisStore, budgetFor: (ownerId: string | null) => Budget | undefined, now: () => Date) {
    this.#store = store;
    this.#budgetFor = budgetFor;
    this.#now = now;
  }

  readingFor(ownerId: string | null): { budget: Budget; use: BudgetUse } | null {
    const budget = this.#budgetFor(ownerId);
    if (!budget) return null;
    const entry = this.#today.get(ownerId ?? '');
    if (!entry || entry.day !== this.#day()) {
      void this.prime(ownerId).catch(() => {});
      return null;
    }
    return { budget, use: entry.use };
  }

  /** Loads today's use of `ownerId` from the ledger (when it has a budget and it is not loaded). */
  async prime(ownerId: string | null): Promise<void> {
    if (!this.#budgetFor(ownerId)) return;
    const day = this.#day();
    if (this.#today.get(ownerId ?? '')?.day === day) return;
    const [g] = await this.#store.usage.query({ from: day, to: day, groupBy: [], ownerId });
    // A row stored while the query ran was counted by it or is added below: keep the larger.
    if (this.#today.get(ownerId ?? '')?.day === day) return;
    this.#today.set(ownerId ?? '', {
      day,
      use: {
        costUsd: g?.costUsd ?? 0,
        tokens: g?.totalTokens ?? 0,
        turns: g?.turns ?? 0,
        durationMs: g?.durationMs ?? 0,
      },
    });
  }

  /** A ledger row was stored. */
  add(row: UsageRecord): void {
    const entry = this.#today.get(row.ownerId ?? '');
    if (!entry || entry.day !== row.day) return;
    entry.use.costUsd += row.costUsd ?? 0;
    entry.use.tokens += row.inputTokens + row.outputTokens + row.cachedReadTokens + row.cachedWriteTokens;
    entry.use.turns += 1;
    entry.use.durationMs += row.durationMs;
  }

  /** Throws 429 `BUDGET_EXCEEDED` when the owner is past (or at the turn limit of) its daily budget. */
  async assertWithin(ownerId: string | null): Promise<void> {
    await this.prime(ownerId);
    const r = this.readingFor(ownerId);
    if (!r) return;
    const over = readBudget(r.budget, r.use).exceeded;
    const maxTurns = r.budget.maxTurns;
    const reading =
      over ??
      (maxTurns !== undefined && r.use.turns >= maxTurns
        ? { limit: 'maxTurns' as const, used: r.use.turns, max: maxTurns }
        : null);
    if (!reading) return;
    throw new AegisError(
      'BUDGET_EXCEEDED',
      `This API key is over its daily budget: ${reading.limit} (${reading.used} of ${reading.max}).`,
      {
        details: {
          limit: reading.limit,
          max: reading.max,
          used: reading.used,
          scope: 'key',
          hint: "Raise the key's daily limit in the server config (usage.keyBudgets), or wait for the next UTC day.",
        },
      },
    );
  }

  #day(): string {
    return utcDay(this.#now().toISOString());
  }
}
