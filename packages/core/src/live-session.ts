import type { AgentDriver, AgentHandle, AgentSink } from './driver.js';
import { AegisError } from './errors.js';
import type { EventHub } from './event-hub.js';
import type { Decider, EventBody } from './events.js';
import { HumanWaits } from './human-waits.js';
import { type Interrupted, RESTART, recordInterrupted } from './interrupted.js';
import type { PermissionPolicy } from './permission-policy.js';
import type { PermissionAnswer } from './permission-queue.js';
import type { QuestionReply } from './question-answers.js';
import { isTerminal, type PermissionMode, type Session } from './schemas.js';
import { SessionRecorder } from './session-recorder.js';
import type { AegisStore } from './store.js';

export type { PermissionPolicy, PermissionVerdict } from './permission-policy.js';
export type { QuestionReply } from './question-answers.js';

export interface LiveSessionDeps {
  store: AegisStore;
  hub: EventHub;
  now: () => Date;
  policy: PermissionPolicy | undefined;
  onError: (err: unknown, context: string) => void;
  stallThresholdMs: number;
  /** A turn with no agent update for this long is cancelled and fails `AGENT_TIMEOUT`; 0 = off. */
  promptTimeoutMs?: number | undefined;
}

interface QueuedPrompt {
  text: string;
  enqueuedAt: number;
  delivery: { delivered: boolean; queued: boolean; position: number | null; attempts: number };
}

/**
 * The running side of one session: its agent process, the running turn and the prompt queue.
 * Recording events is the {@link SessionRecorder}'s job; waiting on people, {@link HumanWaits}'.
 */
export class LiveSession {
  readonly session: Session;
  #handle: AgentHandle | undefined;
  #queue: QueuedPrompt[] = [];
  #turn: { id: string; startedAt: number; lastActivity: number } | null = null;
  readonly #rec: SessionRecorder;
  readonly #waits: HumanWaits;
  readonly #deps: LiveSessionDeps;

  constructor(session: Session, deps: LiveSessionDeps) {
    this.session = session;
    this.#deps = deps;
    this.#rec = new SessionRecorder(session, deps);
    this.#waits = new HumanWaits({
      recorder: this.#rec,
      policy: deps.policy,
      onError: deps.onError,
      onActivity: () => {
        if (this.#turn) this.#turn.lastActivity = Date.now();
      },
    });
  }

  snapshot(): Session {
    return structuredClone(this.session);
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

  async start(
    driver: AgentDriver,
    opts: {
      env?: Record<string, string> | undefined;
      permissionMode?: PermissionMode | undefined;
      model?: string | undefined;
      /** Reopen this agent-side session instead of starting a new one (after a server restart). */
      resume?: { agentSessionId: string } | undefined;
    },
  ): Promise<void> {
    const resume = opts.resume;
    try {
      const start = {
        sessionId: this.session.id,
        workDir: this.session.workDir,
        agent: this.session.agent,
        env: opts.env,
      };
      if (!resume) this.#handle = await driver.start(start, this.#sink());
      else if (!driver.resume) {
        throw new AegisError('AGENT_START_FAILED', 'The agent driver cannot reopen agent sessions.');
      } else
        this.#handle = await driver.resume({ ...start, agentSessionId: resume.agentSessionId }, this.#sink());
    } catch (err) {
      const e = AegisError.fromUnknown(err, 'AGENT_START_FAILED');
      const reason = resume ? `${RESTART} Reopening its agent session failed: ${e.message}` : e.message;
      this.session.problem = { code: e.code, message: reason };
      const exit = exitFromDetails(e.details);
      this.#rec.emitSafe({ type: 'session.ended', data: { status: 'crashed', reason, exit } });
      await this.#rec.settled();
      throw e;
    }
    if (isTerminal(this.session.status)) {
      await this.#handle.close().catch(() => {});
      throw new AegisError(
        'AGENT_CRASHED',
        `The agent exited while starting: ${this.session.exit?.stderrTail ?? ''}`,
      );
    }
    const info = this.#handle.info;
    const ownEnv = opts.env !== undefined && Object.keys(opts.env).length > 0;
    const agentSessionId = info.agentSessionId ?? resume?.agentSessionId ?? null;
    this.session.agentSession = agentSessionId
      ? { id: agentSessionId, resumable: !ownEnv && !!(info.restore?.load || info.restore?.resume) }
      : null;
    const via = info.resumedVia ?? 'session/load';
    await this.#rec.recorded(
      this.#rec.emit(
        {
          type: 'agent.ready',
          data: {
            agentName: info.agentName,
            agentVersion: info.agentVersion,
            protocolVersion: info.protocolVersion,
            pid: info.pid,
            modes: info.modes,
            currentMode: info.currentMode,
            models: info.models,
            currentModel: info.currentModel,
          },
        },
        resume
          ? {
              reason: `resumed after a server restart: the agent reopened its session (${via})`,
              note: `Session resumed after a server restart: a new agent process reopened its session (${via}).`,
            }
          : undefined,
      ),
    );
    if (info.commands.length > 0 && this.session.availableCommands.length === 0) {
      this.#rec.emitSafe({ type: 'commands.updated', data: { commands: info.commands } });
    }
    try {
      if (opts.permissionMode && opts.permissionMode !== (info.currentMode ?? 'default')) {
        await this.setMode(opts.permissionMode);
      }
      if (opts.model && opts.model !== info.currentModel) await this.#handle.setModel(opts.model);
    } catch (err) {
      await this.end('killed', `could not apply the requested settings: ${(err as Error).message}`);
      throw err;
    }
    this.#drain();
  }

  #sink(): AgentSink {
    return {
      update: (body) => {
        if (this.#turn) this.#turn.lastActivity = Date.now();
        this.#rec.emitSafe(body);
      },
      requestPermission: (request, signal) => this.#waits.requestPermission(request, signal),
      askQuestion: (request, signal) => this.#waits.askQuestion(request, signal),
      exited: (exit) => {
        if (isTerminal(this.session.status)) return;
        this.#waits.cancelAll('agent exited');
        const status = exit.expected ? 'completed' : 'crashed';
        const code = exit.exitCode ?? exit.signal ?? 'unknown';
        const reason = exit.expected ? 'agent exited' : `agent process exited unexpectedly (${code})`;
        if (!exit.expected) this.session.problem = { code: 'AGENT_CRASHED', message: reason };
        this.#rec.emitSafe({
          type: 'session.ended',
          data: {
            status,
            reason,
            exit: { exitCode: exit.exitCode, signal: exit.signal, stderrTail: exit.stderrTail },
          },
        });
      },
    };
  }

  /** Ends the session with a terminal status and stops its agent. */
  async end(status: 'completed' | 'killed', reason: string): Promise<void> {
    if (isTerminal(this.session.status)) return;
    this.#waits.cancelAll(reason);
    for (const q of this.#queue.splice(0)) q.delivery.queued = false;
    this.session.queuedPrompts = 0;
    await this.#rec.recorded(this.#rec.emit({ type: 'session.ended', data: { status, reason, exit: null } }));
    await this.#handle?.close().catch((err) => this.#deps.onError(err, 'closing agent'));
    await this.#rec.settled();
  }

  /**
   * Waits for a write (or the announcements chained on it). While the store fails and holds
   * writes, only until then: the event is kept in order and stored once the store recovers, and
   * the caller (an API request, shutdown) must not hang on a full disk.
   */
  async #recorded(written: Promise<void>): Promise<void> {
    let done = false;
    const settled = written.then(
      () => {
        done = true;
      },
      (err: unknown) => {
        done = true;
        throw err;
      },
    );
    for (;;) {
      let tick: NodeJS.Timeout | undefined;
      await Promise.race([settled, new Promise((r) => (tick = setTimeout(r, 250)))]);
      clearTimeout(tick);
      if (done) return settled;
      if (this.#deps.store.pressure?.()?.failing) {
        settled.catch(() => {});
        return;
      }
    }
  }

  /**
   * The store has failed for too long: stops the running turn (fails it with `problem`, cancels it
   * at the agent) and drops queued prompts. Returns whether a turn was stopped.
   */
  stopForStore(problem: { code: string; message: string; hint?: string }): boolean {
    for (const q of this.#queue.splice(0)) q.delivery.queued = false;
    this.session.queuedPrompts = 0;
    const turn = this.#turn;
    if (!turn || isTerminal(this.session.status)) return false;
    this.#turn = null;
    this.#rec.emitSafe({
      type: 'turn.failed',
      data: { turnId: turn.id, problem, rateLimited: false, durationMs: Date.now() - turn.startedAt },
    });
    this.#waits.cancelAll('store unavailable');
    void this.#handle
      ?.cancel()
      .catch((err) => this.#deps.onError(err, 'cancelling a turn (store unavailable)'));
    return true;
  }

  /**
   * After a server that died without a shutdown: records what it left open before the agent is
   * reopened (see {@link recordInterrupted}).
   */
  async closeInterrupted(cut: Interrupted): Promise<void> {
    recordInterrupted(this.#rec, cut);
    await this.#rec.settled();
  }

  /** Whether a turn is running. */
  get busy(): boolean {
    return this.#turn !== null;
  }

  async setMode(mode: PermissionMode): Promise<void> {
    if (!this.#handle)
      throw new AegisError('CONFLICT', 'The agent is still starting; retry when the session is idle.');
    await this.#handle.setMode(mode);
    if (this.session.permissionMode !== mode)
      await this.#rec.recorded(this.#rec.emit({ type: 'mode.changed', data: { mode } }));
  }

  // ---- turns ---------------------------------------------------------------------------------

  /** Queues a prompt; the returned delivery record is kept up to date as the queue moves. */
  enqueuePrompt(text: string): {
    delivered: boolean;
    queued: boolean;
    position: number | null;
    attempts: number;
  } {
    const delivery = { delivered: false, queued: true, position: this.#queue.length + 1, attempts: 0 };
    this.#queue.push({ text, enqueuedAt: Date.now(), delivery });
    this.session.queuedPrompts = this.#queue.length;
    this.#drain();
    return delivery;
  }

  #drain(): void {
    if (!this.#handle || this.#turn || isTerminal(this.session.status) || this.session.status === 'pending')
      return;
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
    const handle = this.#handle;
    if (!handle) return;
    const turnId = globalThis.crypto.randomUUID();
    const startedAt = Date.now();
    const turn = { id: turnId, startedAt, lastActivity: startedAt };
    this.#turn = turn;
    this.#rec.emitSafe({
      type: 'turn.started',
      data: { turnId, text: item.text, queuedMs: startedAt - item.enqueuedAt },
    });
    try {
      const result = await handle.prompt(item.text);
      if (this.#turn !== turn) return; // timed out: already failed and cancelled
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
        this.#drain();
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
          hint: 'Send the prompt again, or raise AEGIS_ACP_PROMPT_TIMEOUT_MS (promptTimeoutMs) for long silent commands.',
        },
        rateLimited: false,
        durationMs: Date.now() - turn.startedAt,
      },
    });
    this.#waits.cancelAll('prompt timeout');
    void this.#handle?.cancel().catch((err) => this.#deps.onError(err, 'cancelling a timed-out turn'));
    this.#drain();
  }

  /** Milliseconds since the last recorded event, when the session could be reaped (idle or error). */
  inactiveMs(): number | null {
    if (this.#turn || this.#queue.length > 0) return null;
    if (this.session.status !== 'idle' && this.session.status !== 'error') return null;
    return Date.now() - this.#rec.lastEventAt;
  }

  /** Whether the agent process is up (started and not ended). */
  get alive(): boolean {
    return this.#handle !== undefined && !isTerminal(this.session.status);
  }

  async interrupt(): Promise<{ interrupted: boolean; droppedPrompts: number }> {
    const dropped = this.#queue.splice(0);
    for (const q of dropped) q.delivery.queued = false;
    this.session.queuedPrompts = 0;
    if (dropped.length > 0) {
      const count = dropped.length;
      this.#rec.emitSafe(
        {
          type: 'prompts.dropped',
          data: { count, texts: dropped.map((q) => q.text.slice(0, 200)), reason: 'interrupted' },
        },
        `${count} queued prompt${count === 1 ? ' was' : 's were'} dropped by an interrupt and will not run.`,
      );
    }
    if (!this.#turn || !this.#handle) return { interrupted: false, droppedPrompts: dropped.length };
    this.#waits.cancelAll('interrupted');
    await this.#handle.cancel();
    return { interrupted: true, droppedPrompts: dropped.length };
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

function exitFromDetails(details: Record<string, unknown> | undefined) {
  if (!details) return null;
  const { exitCode, signal, stderrTail } = details;
  if (exitCode === undefined && stderrTail === undefined) return null;
  return {
    exitCode: typeof exitCode === 'number' ? exitCode : null,
    signal: typeof signal === 'string' ? signal : null,
    stderrTail: typeof stderrTail === 'string' ? stderrTail : '',
  };
}
