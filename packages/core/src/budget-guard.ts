import { type Budget, type BudgetReading, type BudgetUse, describeReading, readBudget } from './budget.js';
import { AegisError } from './errors.js';
import type { EventBody } from './events.js';
import { isTerminal, type Session } from './schemas.js';
import type { SessionRecorder } from './session-recorder.js';
import type { TurnRunner } from './turn-runner.js';

/** A key's budget per UTC day, and what it has used today (kept by the engine). */
export interface KeyBudgetView {
  /** The owner's daily budget and today's use so far (ledger rows stored); `null`: no key budget. */
  readingFor(ownerId: string | null): { budget: Budget; use: BudgetUse } | null;
}

const RECHECK: ReadonlySet<EventBody['type']> = new Set([
  'usage.updated',
  'turn.started',
  'turn.completed',
  'turn.failed',
  'budget.updated',
]);

/**
 * Holds one session to its budget (and its owner's daily key budget): a `budget.warning` at 80 %
 * of a limit, and past one a `budget.exceeded`, the running turn stopped at once (cancelled at
 * the agent) and prompts refused with 429 `BUDGET_EXCEEDED` until the budget is raised.
 */
export class BudgetGuard {
  readonly #session: Session;
  readonly #rec: SessionRecorder;
  readonly #turns: () => TurnRunner;
  readonly #keys: KeyBudgetView | undefined;
  #scheduled = false;
  #keyWarned = new Set<string>();

  constructor(session: Session, rec: SessionRecorder, turns: () => TurnRunner, keys?: KeyBudgetView) {
    this.#session = session;
    this.#rec = rec;
    this.#turns = turns;
    this.#keys = keys;
  }

  /** After an event is recorded: re-checks soon (not inside the recording of that event). */
  recorded(body: EventBody): void {
    if (!RECHECK.has(body.type) || this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.check();
    });
  }

  /** What the session has used, counting the running turn so far. */
  use(): BudgetUse {
    const s = this.#session;
    return {
      costUsd: (s.usage.costUsd ?? 0) + this.#rec.meter.pendingCost(),
      tokens: s.usage.totalTokens,
      turns: s.turns,
      durationMs: (s.usage.durationMs ?? 0) + this.#turns().runningMs,
    };
  }

  /** Records warnings and a stop the current use calls for. */
  check(): void {
    const s = this.#session;
    if (isTerminal(s.status)) return;
    const { exceeded, warnings } = readBudget(s.budget, this.use());
    for (const w of warnings) {
      if (s.budgetStatus.warned.includes(w.limit)) continue;
      this.#rec.emitSafe({
        type: 'budget.warning',
        data: {
          ...w,
          scope: 'session',
          message: `This session has used ${describeReading(w)} of its budget.`,
        },
      });
    }
    const key = this.#keyReading();
    for (const w of key?.warnings ?? []) {
      const id = `${w.limit}:${new Date().toISOString().slice(0, 10)}`;
      if (this.#keyWarned.has(id)) continue;
      this.#keyWarned.add(id);
      this.#rec.emitSafe({
        type: 'budget.warning',
        data: {
          ...w,
          scope: 'key',
          message: `The key of this session has used ${describeReading(w)} of its daily budget.`,
        },
      });
    }
    if (exceeded && s.budgetStatus.exceeded === null) this.#stop(exceeded, 'session');
    else if (key?.exceeded && s.problem?.code !== 'BUDGET_EXCEEDED') this.#stop(key.exceeded, 'key');
  }

  /** Throws 429 `BUDGET_EXCEEDED` when a prompt may not run now. */
  assertPromptAllowed(): void {
    const s = this.#session;
    const exceeded = readBudget(s.budget, this.use()).exceeded;
    const limit = s.budgetStatus.exceeded ?? exceeded?.limit;
    if (limit) throw budgetError(s, exceeded ?? { limit, used: NaN, max: s.budget?.[limit] ?? 0 }, 'session');
    const max = s.budget?.maxTurns;
    if (max !== undefined && s.turns >= max)
      throw budgetError(s, { limit: 'maxTurns', used: s.turns, max }, 'session');
    const key = this.#keyReading();
    if (key?.exceeded) throw budgetError(s, key.exceeded, 'key');
    const keyMax = key?.budget.maxTurns;
    if (keyMax !== undefined && key && key.turns >= keyMax)
      throw budgetError(s, { limit: 'maxTurns', used: key.turns, max: keyMax }, 'key');
  }

  #keyReading() {
    const r = this.#keys?.readingFor(this.#session.ownerId);
    if (!r) return null;
    // Today's stored use plus the running turn, which is not in the ledger yet.
    const running = this.#turns().busy;
    const turn = this.#rec.meter;
    const use: BudgetUse = {
      costUsd: r.use.costUsd + (running ? turn.runningCost() : 0),
      tokens: r.use.tokens + (running ? turn.runningTokens() : 0),
      turns: r.use.turns,
      durationMs: r.use.durationMs + this.#turns().runningMs,
    };
    return { ...readBudget(r.budget, use), budget: r.budget, turns: r.use.turns };
  }

  #stop(reading: BudgetReading, scope: 'session' | 'key'): void {
    const e = budgetError(this.#session, reading, scope);
    const hint = String(e.details?.hint ?? '');
    this.#rec.emitSafe({
      type: 'budget.exceeded',
      data: { ...reading, scope, message: e.message, hint },
    });
    this.#turns().stopForBudget({ code: 'BUDGET_EXCEEDED', message: e.message, hint });
  }
}

/** The 429 a prompt gets past a budget, saying which limit and what to raise. */
export function budgetError(session: Session, r: BudgetReading, scope: 'session' | 'key'): AegisError {
  const used = Number.isNaN(r.used) ? `${r.limit} (limit ${r.max})` : describeReading(r);
  const message =
    scope === 'session'
      ? `Session ${session.id} is over its budget: ${used}.`
      : `The API key of session ${session.id} is over its daily budget: ${used}.`;
  const hint =
    scope === 'session'
      ? `Raise budget.${r.limit} above ${r.max} (operator or admin), then send the prompt again; raise it by updating the session with {"budget": {"${r.limit}": …}}.`
      : `Raise the key's daily ${r.limit} in the server config (usage.keyBudgets), or wait for the next UTC day.`;
  return new AegisError('BUDGET_EXCEEDED', message, {
    details: {
      limit: r.limit,
      max: r.max,
      used: Number.isNaN(r.used) ? null : r.used,
      scope,
      hint,
      ...(scope === 'session' ? { sessionId: session.id, next: 'updateSession' } : {}),
    },
  });
}
