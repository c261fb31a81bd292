import type { Tracer } from '@opentelemetry/api';
import { agentSink, exitFromDetails, recordAgentReady } from './agent-events.js';
import { AgentSlot, type Restored } from './agent-slot.js';
import type { Budget } from './budget.js';
import { BudgetGuard, type KeyBudgetView } from './budget-guard.js';
import type { AgentDriver, AgentHandle, AgentSink } from './driver.js';
import { AegisError } from './errors.js';
import type { EventHub } from './event-hub.js';
import type { Decider, EventBody } from './events.js';
import { HumanWaits } from './human-waits.js';
import { type Interrupted, recordInterrupted } from './interrupted.js';
import type { PermissionPolicy } from './permission-policy.js';
import type { PermissionAnswer } from './permission-queue.js';
import type { QuestionReply } from './question-answers.js';
import { isTerminal, type PermissionMode, type Session, type SessionStatus } from './schemas.js';
import { SnapshotCache } from './session-json.js';
import { SessionRecorder } from './session-recorder.js';
import { SessionTracing } from './session-tracing.js';
import type { PromptDelivery } from './sessions-api-types.js';
import type { AegisStore } from './store.js';
import { coreTracer } from './tracing.js';
import { TurnRunner, type TurnRunnerDeps } from './turn-runner.js';
import type { PriceTable, UsageRecord } from './usage.js';

export type { PermissionPolicy, PermissionVerdict } from './permission-policy.js';
export type { QuestionReply } from './question-answers.js';

export interface LiveSessionDeps extends TurnRunnerDeps {
  store: AegisStore;
  hub: EventHub;
  now: () => Date;
  policy: PermissionPolicy | undefined;
  driver: AgentDriver;
  /** Frees room for one more agent process before this session takes one (may evict another); throws `CAPACITY_EXHAUSTED`. */
  makeRoom?: ((requester: LiveSession) => Promise<void>) | undefined;
  /** Owners' daily budgets and today's use. */
  keyBudgets?: KeyBudgetView | undefined;
  /** Prices per model, for turns whose agent reports no cost. */
  prices?: PriceTable | undefined;
  /** Called with each ledger row once it is stored. */
  onUsage?: ((record: UsageRecord) => void) | undefined;
  /** Records the turn, tool and wait spans (default: the global OpenTelemetry tracer). */
  tracer?: Tracer | undefined;
}

/** States an agent process may be evicted in: nothing is running. */
const EVICTABLE: ReadonlySet<SessionStatus> = new Set(['idle', 'error', 'rate_limit']);

/**
 * The running side of one session: the lifecycle of its agent process (start, wake, evict,
 * suspend, end, abandon). Recording events is the {@link SessionRecorder}'s job; waiting on people,
 * {@link HumanWaits}'; holding the process, the {@link AgentSlot}'s; the prompt queue and the
 * running turn, the {@link TurnRunner}'s.
 */
export class LiveSession {
  readonly session: Session;
  readonly #slot: AgentSlot;
  readonly #rec: SessionRecorder;
  readonly #waits: HumanWaits;
  readonly #deps: LiveSessionDeps;
  readonly #turns: TurnRunner;
  /** The start's `session/set_mode` while it runs in the background (see `start`). */
  #settling: Promise<void> | null = null;
  readonly #budget: BudgetGuard;
  readonly #snapshots = new SnapshotCache();

  constructor(
    session: Session,
    deps: LiveSessionDeps,
    opts: { env?: Record<string, string> | undefined; dormant?: boolean } = {},
  ) {
    this.session = session;
    this.#deps = deps;
    this.#slot = new AgentSlot(session, deps, opts);
    this.#rec = new SessionRecorder(session, deps);
    this.#budget = new BudgetGuard(session, this.#rec, () => this.#turns, deps.keyBudgets);
    const tracing = new SessionTracing(deps.tracer ?? coreTracer(), session.id);
    this.#rec.onRecorded = (body) => {
      tracing.observe(body);
      this.#budget.recorded(body);
    };
    this.#waits = new HumanWaits({
      recorder: this.#rec,
      policy: deps.policy,
      onError: deps.onError,
      onActivity: () => {
        this.#turns.touch();
      },
    });
    this.#turns = new TurnRunner({
      session,
      slot: this.#slot,
      recorder: this.#rec,
      waits: this.#waits,
      deps,
      wake: () => this.#wake(),
      tracing,
      mayStart: () => {
        try {
          this.#budget.assertPromptAllowed();
          return null;
        } catch (err) {
          return err as AegisError;
        }
      },
    });
  }

  /**
   * The session as it is now, as a deep-frozen copy that is made once per change and shared by
   * every reader until the next one (list and get used to clone it per request). A change is any
   * top-level field assigned anew (recording an event always bumps `lastSeq`), which is the only
   * way the session's parts change outside `applyToSession`.
   */
  snapshot(): Session {
    return this.#snapshots.of(this.session);
  }

  /** `Date.now()` of the last recorded event: what idle reaping measures inactivity from. */
  get lastEventAt(): number {
    return this.#rec.lastEventAt;
  }

  /** Records an event (see {@link SessionRecorder.emit}). */
  emit(body: EventBody, extra?: { reason?: string; note?: string }): Promise<void> {
    return this.#rec.emit(body, extra);
  }

  // ---- agent lifecycle -------------------------------------------------------------------------

  /** Whether this session holds (or is about to hold) an agent process: what capacity counts. */
  get holdsProcess(): boolean {
    return this.#slot.holdsProcess && !isTerminal(this.session.status);
  }

  /** No agent process: the next prompt starts one and resumes the conversation. */
  get dormant(): boolean {
    return this.#slot.residency === 'dormant' && !isTerminal(this.session.status);
  }

  /** Whether the agent could be brought back in another process (a session's own env is not stored). */
  get restorable(): boolean {
    return !this.#slot.ownEnv;
  }

  /** Starts the session's first agent process; resolves once it is ready. */
  async start(opts: { permissionMode?: PermissionMode | undefined; model?: string | undefined }) {
    let handle: AgentHandle;
    try {
      handle = await this.#slot.start(this.#sink());
    } catch (err) {
      const e = AegisError.fromUnknown(err, 'AGENT_START_FAILED');
      this.session.problem = { code: e.code, message: e.message };
      const exit = exitFromDetails(e.details);
      this.#rec.emitSafe({ type: 'session.ended', data: { status: 'crashed', reason: e.message, exit } });
      await this.#rec.settled();
      throw e;
    }
    await this.#ready(handle, null);
    const mode =
      opts.permissionMode && opts.permissionMode !== (handle.info.currentMode ?? 'default')
        ? opts.permissionMode
        : undefined;
    try {
      if (mode && !opts.model && this.#turns.queued === 0 && handle.info.modes.some((m) => m.id === mode)) {
        // An offered mode and no prompt queued: idle now, `session/set_mode` finishes in the
        // background before anything else reaches the agent. With a prompt queued it is applied
        // first, so no caller sees an idle that still has its prompt to run. An unoffered mode is
        // refused below.
        this.#settling = this.#applyMode(handle, mode);
        return;
      }
      if (mode) await this.setMode(mode);
      if (opts.model && opts.model !== handle.info.currentModel) await handle.setModel(opts.model);
    } catch (err) {
      await this.end('killed', `could not apply the requested settings: ${(err as Error).message}`);
      throw err;
    }
    this.#slot.residency = 'resident';
    this.#turns.drain();
  }

  /** The start's deferred `session/set_mode` (see `start`); a failure ends the session as a failed start does. */
  async #applyMode(handle: AgentHandle, mode: PermissionMode): Promise<void> {
    const current = () => this.#slot.handle === handle && !isTerminal(this.session.status);
    try {
      await handle.setMode(mode);
    } catch (err) {
      if (current())
        await this.end('killed', `could not apply the requested settings: ${(err as Error).message}`);
      return;
    } finally {
      this.#settling = null;
    }
    if (!current()) return;
    this.#slot.residency = 'resident';
    this.#turns.drain();
  }

  /** Records `agent.ready` for a process that came up (and `agent.resumed` when it took the session on). */
  async #ready(handle: AgentHandle, restored: (Omit<Restored, 'handle'> & { startedAt: number }) | null) {
    if (isTerminal(this.session.status)) {
      await this.#slot.release();
      throw new AegisError(
        'AGENT_CRASHED',
        `The agent exited while starting: ${this.session.exit?.stderrTail ?? ''}`,
      );
    }
    const info = handle.info;
    const agentSessionId = info.agentSessionId ?? null;
    this.session.agentSession = agentSessionId ? { id: agentSessionId, resumable: this.restorable } : null;
    await recordAgentReady(this.#rec, this.session, info, restored);
  }

  /** Brings a dormant session's agent back for the prompts waiting in its queue. */
  async #wake(): Promise<void> {
    this.#slot.residency = 'resuming';
    const startedAt = Date.now();
    try {
      await this.#deps.makeRoom?.(this);
      const restored = await this.#slot.restore(this.#sink());
      this.#turns.seed = restored.seed?.text ?? null;
      await this.#ready(restored.handle, { ...restored, startedAt });
      const { info } = restored.handle;
      // The session's mode and model are the truth; a new process starts with the agent's defaults.
      if (this.session.permissionMode !== (info.currentMode ?? 'default'))
        await restored.handle.setMode(this.session.permissionMode);
      if (this.session.model && this.session.model !== info.currentModel)
        await restored.handle.setModel(this.session.model).catch(() => {});
      this.#slot.residency = 'resident';
      this.#turns.drain();
    } catch (err) {
      await this.#slot.release();
      if (isTerminal(this.session.status)) return;
      this.#turns.failQueued(AegisError.fromUnknown(err, 'AGENT_START_FAILED'));
    }
  }

  /** Whether the agent process could be closed now: up, and nothing running, queued or waiting. */
  get evictable(): boolean {
    return (
      this.#slot.residency === 'resident' &&
      !this.#turns.busy &&
      this.#turns.queued === 0 &&
      !this.#waits.pending &&
      EVICTABLE.has(this.session.status)
    );
  }

  /**
   * Closes the agent process of an idle session to free its memory: the conversation files are
   * captured first, then the process is let go and `agent.evicted` recorded. The session keeps its
   * state; the next prompt resumes it. Returns false when the session was not evictable (or a
   * prompt arrived while its files were being captured).
   */
  async evict(reason: string): Promise<boolean> {
    if (!this.evictable) return false;
    this.#slot.residency = 'evicting';
    const snapshotBytes = await this.#slot.capture();
    if (this.#turns.queued > 0 || isTerminal(this.session.status)) {
      if (!isTerminal(this.session.status)) this.#slot.residency = 'resident';
      this.#turns.drain();
      return false;
    }
    await this.#slot.release();
    await this.#rec.recorded(this.#rec.emit({ type: 'agent.evicted', data: { reason, snapshotBytes } }));
    if (this.#turns.queued > 0) this.#turns.drain();
    return true;
  }

  /**
   * For a server shutdown: the session stays resumable, never ends. A running turn fails saying
   * so (its output so far is kept), waits are cancelled, queued prompts dropped; the conversation
   * is captured and the process let go. The next start finds the session dormant.
   */
  async suspend(reason: string): Promise<void> {
    if (isTerminal(this.session.status)) return;
    await this.#turns.suspend(reason);
    const hadProcess = this.#slot.handle !== undefined;
    if (hadProcess) await this.#slot.capture();
    await this.#slot.release();
    if (this.session.agentResident || this.session.status === 'pending') {
      this.#rec.emitSafe({
        type: 'agent.evicted',
        data: { reason, snapshotBytes: null },
      });
    }
    await this.#rec.settled();
  }

  /**
   * Takes on a session a dead process left live, without starting an agent: what it left open is
   * recorded (see {@link recordInterrupted}) and the session waits, dormant, for its next prompt.
   */
  async adoptDormant(
    cut: Interrupted,
    why: string,
    adopted?: { fromNode: string | null; node: string },
  ): Promise<void> {
    if (adopted) this.#rec.emitSafe({ type: 'session.adopted', data: { ...adopted, reason: why } });
    recordInterrupted(this.#rec, cut, why);
    if (this.session.agentResident || this.session.status === 'pending') {
      this.#rec.emitSafe({ type: 'agent.evicted', data: { reason: why, snapshotBytes: null } });
    }
    await this.#rec.settled();
  }

  #sink(): AgentSink {
    return agentSink(this.session, this.#rec, this.#turns, this.#waits);
  }

  /**
   * Another node took this session over (this node's lease ran out: it was paused or cut off).
   * Nothing more is written — the new owner holds the log — and the agent process is stopped.
   */
  async abandon(reason: string): Promise<void> {
    this.#rec.silence();
    this.#turns.abandon();
    this.#waits.cancelAll(reason);
    await this.#slot.release();
  }

  /** Ends the session with a terminal status and stops its agent. */
  async end(status: 'completed' | 'killed', reason: string): Promise<void> {
    if (isTerminal(this.session.status)) return;
    this.#waits.cancelAll(reason);
    this.#turns.discardQueue();
    await this.#rec.recorded(this.#rec.emit({ type: 'session.ended', data: { status, reason, exit: null } }));
    await this.#slot.release();
    await this.#rec.settled();
  }

  /**
   * The store has failed for too long: stops the running turn (fails it with `problem`, cancels it
   * at the agent) and drops queued prompts. Returns whether a turn was stopped.
   */
  stopForStore(problem: { code: string; message: string; hint?: string }): boolean {
    return this.#turns.stopForStore(problem);
  }

  /** Whether a turn is running. */
  get busy(): boolean {
    return this.#turns.busy;
  }

  async setMode(mode: PermissionMode): Promise<void> {
    // The start's own mode change first, so the agent ends in the mode asked last.
    await this.#settling;
    if (this.dormant) {
      // Applied when the next prompt brings the agent back; refused now if the agent never offered it.
      const offered = this.session.availableModes;
      if (offered.length > 0 && !offered.some((m) => m.id === mode)) {
        throw new AegisError(
          'UNSUPPORTED_MODE',
          `Agent "${this.session.agent}" does not offer mode "${mode}"; offered modes: ${offered.map((m) => m.id).join(', ')}.`,
          { details: { mode, offered: offered.map((m) => m.id) } },
        );
      }
    } else {
      const handle = this.#slot.handle;
      if (!handle || this.#slot.residency === 'resuming')
        throw new AegisError('CONFLICT', 'The agent is still starting; retry when the session is idle.');
      await handle.setMode(mode);
    }
    if (this.session.permissionMode !== mode)
      await this.#rec.recorded(this.#rec.emit({ type: 'mode.changed', data: { mode } }));
  }

  // ---- turns ---------------------------------------------------------------------------------

  /**
   * Queues a prompt; resolves once a prompt that stays queued is stored. The delivery record is
   * kept up to date as the queue moves.
   */
  enqueuePrompt(text: string): Promise<PromptDelivery> {
    return this.#turns.enqueuePrompt(text);
  }

  /** Throws 429 `BUDGET_EXCEEDED` when the session (or its key today) is past its budget. */
  assertPromptAllowed(): void {
    this.#budget.assertPromptAllowed();
  }

  /** Changes the budget (`null`: none); a stop the old one caused is lifted when the new one allows it. */
  async setBudget(budget: Budget | null, by: string | null): Promise<void> {
    await this.#rec.recorded(this.#rec.emit({ type: 'budget.updated', data: { budget, by } }));
    this.#budget.check();
  }

  checkStall(): void {
    this.#turns.checkStall();
    this.#budget.check();
  }

  /** Checks a stalled turn against the prompt timeout (stalled turns are not re-checked for stall). */
  checkTimeout(): void {
    this.#turns.checkTimeout();
  }

  /** Milliseconds since the last recorded event, when the session could be reaped (idle or error). */
  inactiveMs(): number | null {
    if (this.#turns.busy || this.#turns.queued > 0) return null;
    if (this.session.status !== 'idle' && this.session.status !== 'error') return null;
    return Date.now() - this.#rec.lastEventAt;
  }

  /** Whether the agent process is up (started and not ended). */
  get alive(): boolean {
    return this.#slot.handle !== undefined && !isTerminal(this.session.status);
  }

  async interrupt(): Promise<{ interrupted: boolean; droppedPrompts: number }> {
    return this.#turns.interrupt();
  }

  // ---- people ------------------------------------------------------------------------------

  answerPermission(answer: PermissionAnswer, decidedBy: Decider) {
    return this.#waits.answerPermission(answer, decidedBy);
  }

  answerQuestion(reply: QuestionReply, decidedBy: Decider) {
    return this.#waits.answerQuestion(reply, decidedBy);
  }

  escape(decidedBy: Decider) {
    return this.#waits.escape(decidedBy);
  }
}
