import type { EventBody } from './events.js';
import type { Session } from './schemas.js';
import {
  costFromPrice,
  type PriceTable,
  priceFor,
  type TurnUsage,
  type UsageRecord,
  utcDay,
} from './usage.js';

interface Running {
  turnId: string;
  inputTokens: number;
  outputTokens: number;
  cachedReadTokens: number;
  cachedWriteTokens: number;
  toolCalls: number;
  /** The session's agent-reported cost when the turn started. */
  costAtStart: number | null;
  /** The agent reported a cost during the turn. */
  agentCost: boolean;
}

/**
 * Meters one session's running turn from the events recorded for it: tokens (`usage.updated`),
 * tool calls (`tool.started`) and cost — the agent's own figure when it reports one (ACP's
 * `usage_update.cost` is cumulative for the session, so a turn costs the difference), else tokens
 * × the model's price. At the turn's end it makes the ledger row.
 */
export class TurnMeter {
  #running: Running | null = null;
  readonly #session: Session;
  readonly #prices: PriceTable | undefined;

  constructor(session: Session, prices: PriceTable | undefined) {
    this.#session = session;
    this.#prices = prices;
  }

  /** Takes in an event about to be recorded (before the session record is updated with it). */
  note(body: EventBody): void {
    if (body.type === 'turn.started') {
      this.#running = {
        turnId: body.data.turnId,
        inputTokens: 0,
        outputTokens: 0,
        cachedReadTokens: 0,
        cachedWriteTokens: 0,
        toolCalls: 0,
        costAtStart: this.#session.usage.costUsd,
        agentCost: false,
      };
      return;
    }
    const r = this.#running;
    if (!r) return;
    if (body.type === 'tool.started') r.toolCalls += 1;
    else if (body.type === 'usage.updated') {
      const d = body.data;
      r.inputTokens += d.inputTokens ?? 0;
      r.outputTokens += d.outputTokens ?? 0;
      r.cachedReadTokens += d.cachedReadTokens ?? 0;
      r.cachedWriteTokens += d.cachedWriteTokens ?? 0;
      if (d.costUsd !== undefined && d.costUsd !== null) r.agentCost = true;
    }
  }

  /** The running turn's cost not yet in `session.usage.costUsd` (priced tokens); 0 when none runs. */
  pendingCost(): number {
    const r = this.#running;
    if (!r || r.agentCost) return 0;
    return costFromPrice(priceFor(this.#prices, this.#session.model), r) ?? 0;
  }

  /** The running turn's whole cost so far, agent-reported or priced (0 when none runs). */
  runningCost(): number {
    const r = this.#running;
    if (!r) return 0;
    if (r.agentCost) return Math.max(0, (this.#session.usage.costUsd ?? 0) - (r.costAtStart ?? 0));
    return this.pendingCost();
  }

  /** The running turn's tokens so far. */
  runningTokens(): number {
    const r = this.#running;
    return r ? r.inputTokens + r.outputTokens + r.cachedReadTokens + r.cachedWriteTokens : 0;
  }

  /** Ends the running turn: its usage (for the event) and ledger row; `null` when no turn was metered. */
  finish(
    body: Extract<EventBody, { type: 'turn.completed' | 'turn.failed' }>,
    at: string,
  ): { usage: TurnUsage; row: UsageRecord } | null {
    const r = this.#running;
    if (!r || r.turnId !== body.data.turnId) return null;
    this.#running = null;
    const s = this.#session;
    let costUsd: number | null;
    let costSource: TurnUsage['costSource'];
    if (r.agentCost) {
      costUsd = Math.max(0, (s.usage.costUsd ?? 0) - (r.costAtStart ?? 0));
      costSource = 'agent';
    } else {
      costUsd = costFromPrice(priceFor(this.#prices, s.model), r);
      costSource = costUsd === null ? 'none' : 'price_table';
    }
    const usage: TurnUsage = {
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      cachedReadTokens: r.cachedReadTokens,
      cachedWriteTokens: r.cachedWriteTokens,
      costUsd,
      costSource,
      toolCalls: r.toolCalls,
      model: s.model,
    };
    const row: UsageRecord = {
      ...usage,
      sessionId: s.id,
      turnId: r.turnId,
      at,
      day: utcDay(at),
      ownerId: s.ownerId,
      templateId: s.templateId ?? null,
      workDir: s.workDir,
      durationMs: body.data.durationMs,
      outcome: body.type === 'turn.completed' ? 'completed' : 'failed',
    };
    return { usage, row };
  }
}
