import { type Context, context } from '@opentelemetry/api';
import type { AgentSlot } from './agent-slot.js';
import { AegisError } from './errors.js';
import type { HumanWaits } from './human-waits.js';
import { isTerminal, type Session } from './schemas.js';
import type { SessionRecorder } from './session-recorder.js';
import type { SessionTracing } from './session-tracing.js';
import type { PromptDelivery } from './sessions-api-types.js';

export interface TurnRunnerDeps {
  stallThresholdMs: number;
  /** A turn with no agent update for this long is cancelled and fails `AGENT_TIMEOUT`; 0 = off. */
  promptTimeoutMs?: number | undefined;
  onError: (err: unknown, context: string) => void;
}

interface QueuedPrompt {
  text: string;
  enqueuedAt: number;
  delivery: PromptDelivery;
  /** The trace context the prompt was sent in: the parent of its turn's span. */
  trace: Context;
}

/**
 * One session's turns: the prompt queue, delivery of the next prompt once the agent is up and free,
 * the running turn's bookkeeping, and its stall and timeout checks. The agent process belongs to
 * the {@link AgentSlot}; a dormant one is brought back through `wake`.
 */
export class TurnRunner {
  readonly session: Session;
  /** The earlier conversation to put before the next prompt, after a replay resume. */
  seed: string | null = null;
  #queue: QueuedPrompt[] = [];
  #turn: { id: string; startedAt: number; lastActivity: number } | null = null;
  readonly #slot: AgentSlot;
  readonly #rec: SessionRecorder;
  readonly #waits: HumanWaits;
  readonly #deps: TurnRunnerDeps;
  readonly #wake: () => Promise<void>;
  readonly #mayStart: () => AegisError | null;
  readonly #tracing: SessionTracing;

  constructor(parts: {
    session: Session;
    slot: AgentSlot;
    recorder: SessionRecorder;
    waits: HumanWaits;
    deps: TurnRunnerDeps;
    /** Brings a dormant session's agent back for the prompts waiting in the queue. */
    wake: () => Promise<void>;
    /** Why the next prompt may not start (a budget); `null`: it may. */
    mayStart?: () => AegisError | null;
    tracing: SessionTracing;
  }) {
    this.#tracing = parts.tracing;
    this.#mayStart = parts.mayStart ?? (() => null);
    this.session = parts.session;
    this.#slot = parts.slot;
    this.#rec = parts.recorder;
    this.#waits = parts.waits;
    this.#deps = parts.deps;
    this.#wake = parts.wake;
  }

  /** Whether a turn is running. */
  get busy(): boolean {
    return this.#turn !== null;
  }

  /** How many prompts wait in the queue. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Empties the queue (the session shows none queued) and returns what was in it. */
  #takeQueue(): QueuedPrompt[] {
    const taken = this.#queue.splice(0);
    this.session.queuedPrompts = 0;
    return taken;
  }

  /** The agent did something: the running turn is not silent. */
  touch(): void {
    if (this.#turn) this.#turn.lastActivity = Date.now();
  }

  /** No process could take the session on: the first waiting prompt fails saying why, the rest are dropped. */
  failQueued(e: AegisError): void {
    const [first, ...rest] = this.#takeQueue();
    if (!first) return;
    for (const q of [first, ...rest]) Object.assign(q.delivery, { queued: false, position: null });
    const turnId = globalThis.crypto.randomUUID();
    this.#rec.emitSafe({
      type: 'turn.started',
      data: { turnId, text: first.text, queuedMs: Date.now() - first.enqueuedAt },
    });
    const capacity = e.code === 'CAPACITY_EXHAUSTED';
    this.#rec.emitSafe({
      type: 'turn.failed',
      data: {
        turnId,
        problem: {
          code: e.code,
          message: `No agent process could take this session on: ${e.message}`,
          hint: capacity
            ? 'Send the prompt again when a running session finishes its turn.'
            : 'Send the prompt again; if it keeps failing, check the agent with `ag doctor`.',
        },
        rateLimited: false,
        durationMs: 0,
      },
    });
    this.#recordDropped(rest, 'agent start failed');
  }

  /** Records queued prompts that will never run, so whoever queued them can tell. */
  #recordDropped(dropped: QueuedPrompt[], reason: string, note?: string): void {
    for (const q of dropped) q.delivery.queued = false;
    if (dropped.length === 0) return;
    this.#rec.emitSafe(
      {
        type: 'prompts.dropped',
        data: { count: dropped.length, texts: dropped.map((q) => q.text.slice(0, 200)), reason },
      },
      note,
    );
  }

  /**
   * For a server shutdown: queued prompts are dropped, waits cancelled, and a running turn fails
   * saying so (its output so far is kept) and is cancelled at the agent.
   */
  async suspend(reason: string): Promise<void> {
    const dropped = this.#takeQueue();
    this.#recordDropped(dropped, reason);
    this.#waits.cancelAll(reason);
    const turn = this.#turn;
    if (turn) {
      this.#turn = null;
      this.#rec.emitSafe({
        type: 'turn.failed',
        data: {
          turnId: turn.id,
          problem: {
            code: 'SHUTTING_DOWN',
            message: `${reason}: this turn was cut off; its output so far is in the transcript.`,
            hint: 'Send the prompt again to continue.',
          },
          rateLimited: false,
          durationMs: Date.now() - turn.startedAt,
        },
      });
      await this.#slot.handle?.cancel().catch(() => {});
    }
  }

  /** Drops the queued prompts without recording them (the session is ending). */
  discardQueue(): void {
    for (const q of this.#takeQueue()) q.delivery.queued = false;
  }

  /** Forgets the queue and the running turn; nothing is recorded (another node owns the session). */
  abandon(): void {
    for (const q of this.#queue.splice(0)) q.delivery.queued = false;
    this.#turn = null;
  }

  /**
   * The store has failed for too long: stops the running turn (fails it with `problem`, cancels it
   * at the agent) and drops queued prompts. Returns whether a turn was stopped.
   */
  stopForStore(problem: { code: string; message: string; hint?: string }): boolean {
    this.discardQueue();
    const turn = this.#turn;
    if (!turn || isTerminal(this.session.status)) return false;
    this.#turn = null;
    this.#rec.emitSafe({
      type: 'turn.failed',
      data: { turnId: turn.id, problem, rateLimited: false, durationMs: Date.now() - turn.startedAt },
    });
    this.#waits.cancelAll('store unavailable');
    void this.#slot.handle
      ?.cancel()
      .catch((err) => this.#deps.onError(err, 'cancelling a turn (store unavailable)'));
    return true;
  }

  /**
   * A budget was exceeded: the running turn fails with `problem` at once and is cancelled at the
   * agent; queued prompts are dropped. Returns whether a turn was stopped.
   */
  stopForBudget(problem: { code: string; message: string; hint?: string }): boolean {
    this.#recordDropped(this.#takeQueue(), 'budget exceeded');
    const turn = this.#turn;
    if (!turn || isTerminal(this.session.status)) return false;
    this.#turn = null;
    this.#rec.emitSafe({
      type: 'turn.failed',
      data: { turnId: turn.id, problem, rateLimited: false, durationMs: Date.now() - turn.startedAt },
    });
    this.#waits.cancelAll('budget exceeded');
    void this.#slot.handle
      ?.cancel()
      .catch((err) => this.#deps.onError(err, 'cancelling a turn (budget exceeded)'));
    return true;
  }

  /** How long the running turn has run, in ms (0 when none runs). */
  get runningMs(): number {
    return this.#turn ? Date.now() - this.#turn.startedAt : 0;
  }

  /** Queues a prompt; the returned delivery record is kept up to date as the queue moves. */
  async enqueuePrompt(text: string): Promise<PromptDelivery> {
    const delivery: PromptDelivery = {
      delivered: false,
      queued: true,
      position: this.#queue.length + 1,
      attempts: 0,
    };
    this.#queue.push({ text, enqueuedAt: Date.now(), delivery, trace: context.active() });
    this.session.queuedPrompts = this.#queue.length;
    this.drain();
    // Still waiting (behind a turn, or for the agent to start or wake): stored before it is
    // acknowledged, so a process that dies first leaves a row that counts it (see interrupted.ts).
    if (delivery.queued) await this.#rec.saveRow();
    return delivery;
  }

  drain(): void {
    if (isTerminal(this.session.status) || this.#turn) return;
    if (this.#slot.residency === 'dormant') {
      if (this.#queue.length > 0) void this.#wake();
      return;
    }
    if (this.#slot.residency !== 'resident' || !this.#slot.handle) return;
    if (this.#queue.length === 0) return;
    const refused = this.#mayStart();
    if (refused) {
      this.#recordDropped(this.#takeQueue(), 'budget exceeded', refused.message);
      return;
    }
    const next = this.#queue.shift();
    if (!next) return;
    this.#queue.forEach((q, i) => {
      q.delivery.position = i + 1;
    });
    this.session.queuedPrompts = this.#queue.length;
    Object.assign(next.delivery, { delivered: true, queued: false, position: null, attempts: 1 });
    void this.#runTurn(next);
  }

  async #runTurn(item: QueuedPrompt): Promise<void> {
    const handle = this.#slot.handle;
    if (!handle) return;
    // After a replay resume the first prompt carries the earlier conversation (not in the transcript).
    const seed = this.seed;
    this.seed = null;
    const turnId = globalThis.crypto.randomUUID();
    const startedAt = Date.now();
    const turn = { id: turnId, startedAt, lastActivity: startedAt };
    this.#turn = turn;
    const traced = this.#tracing.beginTurn(turnId, item.trace);
    this.#rec.emitSafe({
      type: 'turn.started',
      data: { turnId, text: item.text, queuedMs: startedAt - item.enqueuedAt },
    });
    try {
      const text = seed ? `${seed}${item.text}` : item.text;
      const result = await context.with(traced, () => handle.prompt(text));
      if (this.#turn !== turn) return; // timed out: already failed and cancelled
      const tokens = result.usage;
      if (tokens) {
        this.#rec.emitSafe({
          type: 'usage.updated',
          data: {
            inputTokens: tokens.inputTokens,
            outputTokens: tokens.outputTokens,
            cachedReadTokens: tokens.cachedReadTokens ?? 0,
            cachedWriteTokens: tokens.cachedWriteTokens ?? 0,
          },
        });
      }
      this.#rec.emitSafe({
        type: 'turn.completed',
        data: { turnId, stopReason: result.stopReason, durationMs: Date.now() - startedAt },
      });
    } catch (err) {
      if (this.#turn !== turn) return;
      const e = AegisError.fromUnknown(err, 'AGENT_PROTOCOL_ERROR');
      const retryAfterMs = typeof e.details?.retryAfterMs === 'number' ? e.details.retryAfterMs : undefined;
      const hint = typeof e.details?.hint === 'string' ? e.details.hint : undefined;
      this.#rec.emitSafe({
        type: 'turn.failed',
        data: {
          turnId,
          problem: {
            code: e.code,
            message: e.message,
            ...(hint ? { hint } : {}),
            ...(retryAfterMs !== undefined
              ? { retryAt: new Date(Date.now() + retryAfterMs).toISOString() }
              : {}),
          },
          rateLimited: e.code === 'RATE_LIMITED',
          durationMs: Date.now() - startedAt,
        },
      });
    } finally {
      if (this.#turn === turn) {
        this.#turn = null;
        this.#waits.cancelAll('turn ended');
        // A turn boundary: the agent's conversation files are copied into the store.
        void this.#slot.capture();
        this.drain();
      }
    }
  }

  checkStall(): void {
    const turn = this.#turn;
    if (!turn || this.session.status !== 'working') return;
    const silentMs = Date.now() - turn.lastActivity;
    const timeoutMs = this.#deps.promptTimeoutMs ?? 0;
    if (timeoutMs > 0 && silentMs >= timeoutMs) {
      this.#timeOut(turn, silentMs, timeoutMs);
      return;
    }
    if (silentMs >= this.#deps.stallThresholdMs)
      this.#rec.emitSafe({ type: 'turn.stalled', data: { turnId: turn.id, silentMs } });
  }

  /** Checks a stalled turn against the prompt timeout (stalled turns are not re-checked for stall). */
  checkTimeout(): void {
    const turn = this.#turn;
    const timeoutMs = this.#deps.promptTimeoutMs ?? 0;
    if (!turn || timeoutMs <= 0 || this.session.status !== 'stalled') return;
    const silentMs = Date.now() - turn.lastActivity;
    if (silentMs >= timeoutMs) this.#timeOut(turn, silentMs, timeoutMs);
  }

  /** Gives up on a silent turn: fails it with AGENT_TIMEOUT, cancels it at the agent, moves on. */
  #timeOut(turn: { id: string; startedAt: number }, silentMs: number, timeoutMs: number): void {
    this.#turn = null;
    this.#rec.emitSafe({
      type: 'turn.failed',
      data: {
        turnId: turn.id,
        problem: {
          code: 'AGENT_TIMEOUT',
          message: `The agent sent no update for ${Math.round(silentMs / 1000)} s (prompt timeout ${timeoutMs} ms); the turn was cancelled.`,
          hint: 'Send the prompt again, or raise the prompt timeout (promptTimeoutMs) for long silent commands.',
        },
        rateLimited: false,
        durationMs: Date.now() - turn.startedAt,
      },
    });
    this.#waits.cancelAll('prompt timeout');
    void this.#slot.handle?.cancel().catch((err) => this.#deps.onError(err, 'cancelling a timed-out turn'));
    this.drain();
  }

  async interrupt(): Promise<{ interrupted: boolean; droppedPrompts: number }> {
    const dropped = this.#takeQueue();
    const count = dropped.length;
    this.#recordDropped(
      dropped,
      'interrupted',
      `${count} queued prompt${count === 1 ? ' was' : 's were'} dropped by an interrupt and will not run.`,
    );
    if (!this.#turn || !this.#slot.handle) return { interrupted: false, droppedPrompts: dropped.length };
    this.#waits.cancelAll('interrupted');
    await this.#slot.handle.cancel();
    return { interrupted: true, droppedPrompts: dropped.length };
  }
}
