import type {
  AgentDriver,
  AgentHandle,
  AgentSink,
  PermissionDecision,
  PermissionRequest,
  QuestionAnswer,
  QuestionRequest,
} from './driver.js';
import { AegisError } from './errors.js';
import type { EventHub } from './event-hub.js';
import type { Decider, EventBody, EventDraft, EventType } from './events.js';
import { chooseOption, type PermissionAnswer, type QueuedPermission } from './permission-queue.js';
import { evaluateRules } from './policy.js';
import { isTerminal, type PermissionMode, type Session, type ToolContent, type ToolKind } from './schemas.js';
import { applyToSession } from './session-record.js';
import { reduceStatus } from './state-machine.js';
import type { AegisStore } from './store.js';
import type { TranscriptEntryDraft } from './transcript.js';

export type PermissionVerdict = {
  decision: 'allow' | 'deny' | 'ask';
  rule: string;
  scope?: 'once' | 'always';
};
/** Server-side policy: answers a permission request before a human is asked (`ask` or undefined defers). */
export type PermissionPolicy = (context: {
  session: Session;
  request: PermissionRequest;
}) => PermissionVerdict | undefined | Promise<PermissionVerdict | undefined>;

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

interface QueuedQuestion {
  questionId: string;
  request: QuestionRequest;
  askedAt: number;
  announced: boolean;
  settle(answer: QuestionAnswer, decidedBy: Decider): void;
}

/** What `/answer` sends: one value for a single question, or values keyed by question id. */
export interface QuestionReply {
  answer?: string | string[] | undefined;
  answers?: Record<string, string | string[]> | undefined;
}

interface QueuedPrompt {
  text: string;
  enqueuedAt: number;
  delivery: { delivered: boolean; queued: boolean; position: number | null; attempts: number };
}

interface ToolState {
  toolCallId: string;
  title: string;
  kind: ToolKind | null;
  status: string;
  input?: unknown;
  output?: unknown;
  content: ToolContent[];
  locations: { path: string; line?: number | null | undefined }[];
}

const HOLD = { hold: true } as const;

/** Events that write the session row (others only append to the log). */
const QUIET: ReadonlySet<EventType> = new Set(['message.delta', 'thought.delta', 'tool.updated']);

/** The running side of one session: its agent, turn, prompt queue and permission queue. */
export class LiveSession {
  readonly session: Session;
  #handle: AgentHandle | undefined;
  #queue: QueuedPrompt[] = [];
  #turn: { id: string; startedAt: number; lastActivity: number } | null = null;
  #questions: QueuedQuestion[] = [];
  /** `Date.now()` of the last recorded event: what idle reaping measures inactivity from. */
  lastEventAt = Date.now();
  #open: { kind: 'message' | 'thought'; id: string; text: string } | null = null;
  #permissions: QueuedPermission[] = [];
  #tools = new Map<string, ToolState>();
  #announced: Promise<void> = Promise.resolve();
  readonly #deps: LiveSessionDeps;

  constructor(session: Session, deps: LiveSessionDeps) {
    this.session = session;
    this.#deps = deps;
  }

  snapshot(): Session {
    return structuredClone(this.session);
  }

  /**
   * Records an event: reduces the state (throws on an illegal transition, before anything is
   * written), appends it durably, and announces it to subscribers only after the write resolves.
   */
  emit(body: EventBody, extra?: { reason?: string; note?: string }): Promise<void> {
    const from = this.session.status;
    const to = reduceStatus(from, body);
    this.lastEventAt = Date.now();
    const at = this.#deps.now().toISOString();
    const events: EventDraft[] = [];
    const transcript: TranscriptEntryDraft[] = [];
    const push = (b: EventBody) => {
      applyToSession(this.session, b, at);
      this.session.lastSeq += 1;
      events.push({ sessionId: this.session.id, seq: this.session.lastSeq, at, ...b } as EventDraft);
      return this.session.lastSeq;
    };
    const isDeltaOfOpen =
      (body.type === 'message.delta' &&
        this.#open?.kind === 'message' &&
        this.#open.id === body.data.messageId) ||
      (body.type === 'thought.delta' &&
        this.#open?.kind === 'thought' &&
        this.#open.id === body.data.messageId);
    if (this.#open && !isDeltaOfOpen) this.#closeOpen(push, transcript, at);

    const seq = push(body);
    this.#track(body, seq, at, transcript);
    if (extra?.note) transcript.push(this.#entry(seq, at, 'system', extra.note));
    if (to !== from) {
      this.session.status = to;
      push({ type: 'session.state_changed', data: { from, to, reason: extra?.reason ?? reasonFor(body) } });
    }
    const sessions = QUIET.has(body.type) && to === from ? [] : [this.snapshot()];
    // Everything but the first event is held in order while the store fails (disk full, lock), so
    // the log gets no gap; `session.created` fails at once so that creating a session answers.
    const written = this.#deps.store.write(
      { sessions, events, transcript },
      body.type === 'session.created' ? undefined : HOLD,
    );
    // Published straight from the write's own settlement: the store commits and settles writes in
    // one FIFO, so subscribers see events in global id order across sessions (a per-session
    // promise chain took a different number of hops per session and reordered them).
    this.#announced = written.then(
      (res) => this.#deps.hub.publish(res.events),
      (err) => this.#deps.onError(err, `storing events of session ${this.session.id}`),
    );
    return written.then(() => undefined);
  }

  /** Like `emit`, for things the agent reports: an illegal or failed event is logged, not thrown. */
  #emitSafe(body: EventBody, note?: string): void {
    try {
      this.emit(body, note ? { note } : undefined).catch((err) =>
        this.#deps.onError(err, `recording ${body.type}`),
      );
    } catch (err) {
      if (!isTerminal(this.session.status)) this.#deps.onError(err, `dropping ${body.type}`);
    }
  }

  #closeOpen(push: (b: EventBody) => number, transcript: TranscriptEntryDraft[], at: string): void {
    const open = this.#open;
    if (!open) return;
    this.#open = null;
    if (open.kind === 'message') {
      const seq = push({ type: 'message.completed', data: { messageId: open.id, text: open.text } });
      transcript.push(this.#entry(seq, at, 'assistant', open.text));
    } else {
      transcript.push(this.#entry(this.session.lastSeq, at, 'thought', open.text));
    }
  }

  #entry(seq: number, at: string, role: TranscriptEntryDraft['role'], text: string): TranscriptEntryDraft {
    return { sessionId: this.session.id, seq, at, role, text };
  }

  /** Keeps the running message and tool state that transcript entries are made from. */
  #track(body: EventBody, seq: number, at: string, transcript: TranscriptEntryDraft[]): void {
    switch (body.type) {
      case 'message.delta':
      case 'thought.delta': {
        const kind = body.type === 'message.delta' ? 'message' : 'thought';
        if (this.#open) this.#open.text += body.data.text;
        else this.#open = { kind, id: body.data.messageId, text: body.data.text };
        break;
      }
      case 'turn.started':
        transcript.push(this.#entry(seq, at, 'user', body.data.text));
        break;
      case 'tool.started':
      case 'tool.updated':
      case 'tool.completed': {
        const d = body.data;
        const prev = this.#tools.get(d.toolCallId);
        const next: ToolState = {
          toolCallId: d.toolCallId,
          title: d.title ?? prev?.title ?? 'tool call',
          kind: d.kind ?? prev?.kind ?? null,
          status: d.status ?? prev?.status ?? 'pending',
          input: d.input !== undefined ? d.input : prev?.input,
          output: d.output !== undefined ? d.output : prev?.output,
          content: d.content ?? prev?.content ?? [],
          locations: d.locations ?? prev?.locations ?? [],
        };
        if (body.type === 'tool.completed') {
          this.#tools.delete(d.toolCallId);
          transcript.push({ ...this.#entry(seq, at, 'tool', next.title), tool: next });
        } else {
          this.#tools.set(d.toolCallId, next);
        }
        break;
      }
      case 'permission.resolved': {
        const req = this.#resolvedRequests.get(body.data.requestId);
        this.#resolvedRequests.delete(body.data.requestId);
        transcript.push({
          ...this.#entry(seq, at, 'permission', req?.title ?? 'permission'),
          permission: {
            requestId: body.data.requestId,
            title: req?.title ?? 'permission',
            options: req?.options ?? [],
            outcome: body.data.outcome,
            optionKind: body.data.optionKind,
            decidedBy: body.data.decidedBy,
          },
        });
        break;
      }
      case 'plan.updated':
        transcript.push({ ...this.#entry(seq, at, 'plan', 'plan'), plan: body.data.entries });
        break;
      case 'question.asked':
        this.#askedText.set(body.data.questionId, body.data.message);
        break;
      case 'question.answered': {
        const asked = this.#askedText.get(body.data.questionId) ?? 'question';
        this.#askedText.delete(body.data.questionId);
        const values = Object.values(body.data.answers).flat().join(', ');
        const text =
          body.data.outcome === 'answered'
            ? `${asked} — answered: ${values}`
            : `${asked} — ${body.data.outcome}`;
        transcript.push(this.#entry(seq, at, 'system', text));
        break;
      }
      case 'turn.failed':
        transcript.push(this.#entry(seq, at, 'system', body.data.problem.message));
        break;
      case 'session.ended':
        transcript.push(this.#entry(seq, at, 'system', `Session ${body.data.status}: ${body.data.reason}`));
        break;
      default:
        break;
    }
  }

  #resolvedRequests = new Map<string, PermissionRequest>();
  #askedText = new Map<string, string>();

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
      this.#emitSafe({ type: 'session.ended', data: { status: 'crashed', reason, exit } });
      await this.#recorded(this.#announced);
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
    await this.#recorded(
      this.emit(
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
      this.#emitSafe({ type: 'commands.updated', data: { commands: info.commands } });
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
        this.#emitSafe(body);
      },
      requestPermission: (request, signal) => this.#requestPermission(request, signal),
      askQuestion: (request, signal) => this.#askQuestion(request, signal),
      exited: (exit) => {
        if (isTerminal(this.session.status)) return;
        this.#cancelPermissions('agent exited');
        this.#cancelQuestions('agent exited');
        const status = exit.expected ? 'completed' : 'crashed';
        const code = exit.exitCode ?? exit.signal ?? 'unknown';
        const reason = exit.expected ? 'agent exited' : `agent process exited unexpectedly (${code})`;
        if (!exit.expected) this.session.problem = { code: 'AGENT_CRASHED', message: reason };
        this.#emitSafe({
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
    this.#cancelPermissions(reason);
    this.#cancelQuestions(reason);
    for (const q of this.#queue.splice(0)) q.delivery.queued = false;
    this.session.queuedPrompts = 0;
    await this.#recorded(this.emit({ type: 'session.ended', data: { status, reason, exit: null } }));
    await this.#handle?.close().catch((err) => this.#deps.onError(err, 'closing agent'));
    await this.#recorded(this.#announced);
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
    this.#emitSafe({
      type: 'turn.failed',
      data: { turnId: turn.id, problem, rateLimited: false, durationMs: Date.now() - turn.startedAt },
    });
    this.#cancelPermissions('store unavailable');
    this.#cancelQuestions('store unavailable');
    void this.#handle
      ?.cancel()
      .catch((err) => this.#deps.onError(err, 'cancelling a turn (store unavailable)'));
    return true;
  }

  /**
   * After a server that died without a shutdown: records what it left open before the agent is
   * reopened — a pending permission or question is cancelled and the running turn failed, saying
   * so (the agent process that ran it is gone).
   */
  async closeInterrupted(cut: {
    turn: { turnId: string; at: string } | null;
    message: { id: string; text: string } | null;
  }): Promise<void> {
    const { turn } = cut;
    const now = Date.now();
    // The message cut off mid-stream is completed (and enters the transcript) with the next event.
    if (cut.message) this.#open = { kind: 'message', id: cut.message.id, text: cut.message.text };
    const decidedBy = SYSTEM('server restart');
    const permission = this.session.pendingPermission;
    if (permission) {
      this.#resolvedRequests.set(permission.requestId, permission);
      this.#emitSafe({
        type: 'permission.resolved',
        data: {
          requestId: permission.requestId,
          outcome: 'cancelled',
          optionId: null,
          optionKind: null,
          decidedBy,
          waitedMs: Math.max(0, now - Date.parse(permission.requestedAt)),
        },
      });
    }
    this.session.pendingPermissionCount = 0;
    const question = this.session.pendingQuestion;
    if (question) {
      this.#askedText.set(question.questionId, question.message);
      this.#emitSafe({
        type: 'question.answered',
        data: {
          questionId: question.questionId,
          outcome: 'cancelled',
          answers: {},
          decidedBy,
          waitedMs: Math.max(0, now - Date.parse(question.askedAt)),
        },
      });
    }
    const queued = this.session.queuedPrompts;
    this.session.queuedPrompts = 0;
    if (RUNNING.has(this.session.status)) {
      this.#emitSafe({
        type: 'turn.failed',
        data: {
          turnId: turn?.turnId ?? 'unknown',
          problem: {
            code: 'AGENT_CRASHED',
            message: `${RESTART} This turn was cut off with it; its output so far is in the transcript.${queued > 0 ? ` ${queued} queued prompt(s) were not delivered.` : ''}`,
            hint: 'Send the prompt again to continue.',
          },
          rateLimited: false,
          durationMs: turn ? Math.max(0, now - Date.parse(turn.at)) : 0,
        },
      });
    }
    await this.#recorded(this.#announced);
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
      await this.#recorded(this.emit({ type: 'mode.changed', data: { mode } }));
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
    this.#emitSafe({
      type: 'turn.started',
      data: { turnId, text: item.text, queuedMs: startedAt - item.enqueuedAt },
    });
    try {
      const result = await handle.prompt(item.text);
      if (this.#turn !== turn) return; // timed out: already failed and cancelled
      this.#emitSafe({
        type: 'turn.completed',
        data: { turnId, stopReason: result.stopReason, durationMs: Date.now() - startedAt },
      });
    } catch (err) {
      if (this.#turn !== turn) return;
      const e = AegisError.fromUnknown(err, 'AGENT_PROTOCOL_ERROR');
      const retryAfterMs = typeof e.details?.retryAfterMs === 'number' ? e.details.retryAfterMs : undefined;
      const hint = typeof e.details?.hint === 'string' ? e.details.hint : undefined;
      this.#emitSafe({
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
        this.#cancelPermissions('turn ended');
        this.#cancelQuestions('turn ended');
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
      this.#emitSafe({ type: 'turn.stalled', data: { turnId: turn.id, silentMs } });
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
    this.#emitSafe({
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
    this.#cancelPermissions('prompt timeout');
    this.#cancelQuestions('prompt timeout');
    void this.#handle?.cancel().catch((err) => this.#deps.onError(err, 'cancelling a timed-out turn'));
    this.#drain();
  }

  /** Milliseconds since the last recorded event, when the session could be reaped (idle or error). */
  inactiveMs(): number | null {
    if (this.#turn || this.#queue.length > 0) return null;
    if (this.session.status !== 'idle' && this.session.status !== 'error') return null;
    return Date.now() - this.lastEventAt;
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
      this.#emitSafe(
        {
          type: 'prompts.dropped',
          data: { count, texts: dropped.map((q) => q.text.slice(0, 200)), reason: 'interrupted' },
        },
        `${count} queued prompt${count === 1 ? ' was' : 's were'} dropped by an interrupt and will not run.`,
      );
    }
    if (!this.#turn || !this.#handle) return { interrupted: false, droppedPrompts: dropped.length };
    this.#cancelPermissions('interrupted');
    this.#cancelQuestions('interrupted');
    await this.#handle.cancel();
    return { interrupted: true, droppedPrompts: dropped.length };
  }

  // ---- permissions ---------------------------------------------------------------------------

  #requestPermission(request: PermissionRequest, signal: AbortSignal): Promise<PermissionDecision> {
    return new Promise((resolve) => {
      let settled = false;
      const q: QueuedPermission = {
        requestId: globalThis.crypto.randomUUID(),
        request,
        requestedAt: Date.now(),
        announced: false,
        settle: (decision, decidedBy) => {
          if (settled) return;
          settled = true;
          const i = this.#permissions.indexOf(q);
          if (i >= 0) this.#permissions.splice(i, 1);
          this.session.pendingPermissionCount = this.#permissions.length;
          if (q.announced) {
            const option =
              decision.outcome === 'selected'
                ? request.options.find((o) => o.optionId === decision.optionId)
                : undefined;
            this.#resolvedRequests.set(q.requestId, request);
            this.#emitSafe({
              type: 'permission.resolved',
              data: {
                requestId: q.requestId,
                outcome: decision.outcome,
                optionId: option?.optionId ?? null,
                optionKind: option?.kind ?? null,
                decidedBy,
                waitedMs: Date.now() - q.requestedAt,
              },
            });
          }
          if (this.#turn) this.#turn.lastActivity = Date.now();
          resolve(decision);
          this.#announceNext();
        },
      };
      if (signal.aborted) return resolve({ outcome: 'cancelled' });
      signal.addEventListener('abort', () => q.settle({ outcome: 'cancelled' }, SYSTEM('agent cancelled')), {
        once: true,
      });
      this.#permissions.push(q);
      this.session.pendingPermissionCount = this.#permissions.length;
      this.#announceNext();
    });
  }

  /**
   * One wait for a human at a time: the oldest unannounced permission request or question is
   * announced once nothing announced is open. Parallel tool calls can ask for a permission while a
   * question is open (or the reverse); the later one waits in order instead of being lost.
   */
  #announceNext(): void {
    const p = this.#permissions[0];
    const q = this.#questions[0];
    if (p?.announced || q?.announced) return;
    if (p && (!q || p.requestedAt <= q.askedAt)) this.#activate(p);
    else if (q) this.#announceQuestion(q);
  }

  #activate(q: QueuedPermission): void {
    q.announced = true;
    const r = q.request;
    this.#emitSafe({
      type: 'permission.requested',
      data: {
        requestId: q.requestId,
        toolCallId: r.toolCallId,
        title: r.title,
        kind: r.kind,
        input: r.input,
        content: r.content,
        options: r.options,
      },
    });
    const own = evaluateRules(this.session.policies ?? [], r, this.session.workDir);
    const policy = this.#deps.policy;
    if (!own && !policy) return;
    Promise.resolve(policy?.({ session: this.snapshot(), request: r }))
      .then((server) => {
        const decided = strictestVerdict(server, own);
        if (!decided || decided.verdict.decision === 'ask') return;
        const { verdict, source } = decided;
        const option = chooseOption(r.options, {
          approve: verdict.decision === 'allow',
          scope: verdict.scope,
        });
        q.settle(
          { outcome: 'selected', optionId: option.optionId },
          { type: 'policy', actor: null, rule: verdict.rule, source },
        );
      })
      .catch((err) => this.#deps.onError(err, 'permission policy'));
  }

  answerPermission(answer: PermissionAnswer, decidedBy: Decider) {
    const q = this.#permissions[0];
    if (!q?.announced) throw AegisError.nothingPending(this.session.id);
    const option = chooseOption(q.request.options, answer);
    q.settle({ outcome: 'selected', optionId: option.optionId }, decidedBy);
    return { requestId: q.requestId, optionId: option.optionId, optionKind: option.kind };
  }

  /**
   * Dismisses what the session waits on without cancelling the turn: a pending permission is
   * rejected (the agent goes on without the tool), a pending question is declined (the agent is
   * told the user skipped it). 409 `NOTHING_PENDING` when neither waits.
   */
  escape(decidedBy: Decider): { dismissed: 'permission' | 'question'; requestId: string } {
    const q = this.#questions[0];
    if (q?.announced) {
      q.settle({ outcome: 'declined' }, decidedBy);
      return { dismissed: 'question', requestId: q.questionId };
    }
    const p = this.#permissions[0];
    if (!p?.announced) throw AegisError.nothingPending(this.session.id);
    const reject = p.request.options.find((o) => o.kind === 'reject_once' || o.kind === 'reject_always');
    p.settle(
      reject ? { outcome: 'selected', optionId: reject.optionId } : { outcome: 'cancelled' },
      decidedBy,
    );
    return { dismissed: 'permission', requestId: p.requestId };
  }

  // ---- questions -----------------------------------------------------------------------------

  #askQuestion(request: QuestionRequest, signal: AbortSignal): Promise<QuestionAnswer> {
    return new Promise((resolve) => {
      let settled = false;
      const q: QueuedQuestion = {
        questionId: globalThis.crypto.randomUUID(),
        request,
        askedAt: Date.now(),
        announced: false,
        settle: (answer, decidedBy) => {
          if (settled) return;
          settled = true;
          const i = this.#questions.indexOf(q);
          if (i >= 0) this.#questions.splice(i, 1);
          if (q.announced) {
            this.#emitSafe({
              type: 'question.answered',
              data: {
                questionId: q.questionId,
                outcome: answer.outcome,
                answers: answer.outcome === 'answered' ? answer.answers : {},
                decidedBy,
                waitedMs: Date.now() - q.askedAt,
              },
            });
          }
          if (this.#turn) this.#turn.lastActivity = Date.now();
          resolve(answer);
          this.#announceNext();
        },
      };
      if (signal.aborted) return resolve({ outcome: 'cancelled' });
      signal.addEventListener('abort', () => q.settle({ outcome: 'cancelled' }, SYSTEM('agent cancelled')), {
        once: true,
      });
      this.#questions.push(q);
      this.#announceNext();
    });
  }

  #announceQuestion(q: QueuedQuestion): void {
    q.announced = true;
    this.#emitSafe({
      type: 'question.asked',
      data: {
        questionId: q.questionId,
        toolCallId: q.request.toolCallId,
        message: q.request.message,
        questions: q.request.questions,
      },
    });
  }

  /**
   * Answers the pending question. `answer` fills the first question (an option's value or label,
   * or free text where allowed); `answers` is keyed by question id.
   */
  answerQuestion(
    reply: QuestionReply,
    decidedBy: Decider,
  ): { questionId: string; answers: Record<string, string | string[]> } {
    const q = this.#questions[0];
    if (!q?.announced) throw AegisError.nothingPending(this.session.id);
    const answers = resolveAnswers(q.request, reply);
    q.settle({ outcome: 'answered', answers }, decidedBy);
    return { questionId: q.questionId, answers };
  }

  #cancelQuestions(reason: string): void {
    for (const q of this.#questions.splice(0)) q.settle({ outcome: 'cancelled' }, SYSTEM(reason));
  }

  #cancelPermissions(reason: string): void {
    const all = this.#permissions.splice(0);
    for (const q of all) q.settle({ outcome: 'cancelled' }, SYSTEM(reason));
  }
}

const SYSTEM = (rule: string): Decider => ({ type: 'system', actor: null, rule });
const RESTART =
  'Aegis stopped without a shutdown while this session was live; its agent process went with it.';
/** States with a turn in progress. */
const RUNNING: ReadonlySet<string> = new Set(['working', 'permission_prompt', 'asking', 'stalled']);

/** Maps a reply onto the question's fields, accepting an option's value or label (case-insensitive). */
function resolveAnswers(request: QuestionRequest, reply: QuestionReply): Record<string, string | string[]> {
  const raw: Record<string, string | string[]> = { ...(reply.answers ?? {}) };
  const first = request.questions[0];
  if (reply.answer !== undefined) {
    if (!first)
      throw AegisError.validation('The agent asked no question field to put `answer` in; send `answers`.');
    raw[first.id] = reply.answer;
  }
  if (Object.keys(raw).length === 0) {
    throw AegisError.validation(
      'Send `answer` (for the first question) or `answers` keyed by question id; use /escape to skip.',
    );
  }
  const out: Record<string, string | string[]> = {};
  for (const [id, value] of Object.entries(raw)) {
    const field = request.questions.find((f) => f.id === id);
    if (!field) {
      throw AegisError.validation(
        `No question "${id}"; the questions are ${request.questions.map((f) => f.id).join(', ') || '(none)'}.`,
      );
    }
    const pick = (v: string): string => {
      const opt = field.options.find(
        (o) =>
          o.value === v ||
          o.label.toLowerCase() === v.toLowerCase() ||
          o.value.toLowerCase() === v.toLowerCase(),
      );
      if (opt) return opt.value;
      if (field.allowCustom || field.options.length === 0) return v;
      throw AegisError.validation(
        `"${v}" is not an option of "${field.question}"; options: ${field.options.map((o) => o.label).join(', ')}.`,
      );
    };
    if (Array.isArray(value)) {
      if (!field.multiSelect)
        throw AegisError.validation(`"${field.question}" takes one answer, not a list.`);
      out[id] = value.map(pick);
    } else out[id] = field.multiSelect ? [pick(value)] : pick(value);
  }
  return out;
}

function reasonFor(body: EventBody): string | null {
  switch (body.type) {
    case 'turn.failed':
      return body.data.problem.message;
    case 'session.ended':
      return body.data.reason;
    case 'turn.completed':
      return `turn ended: ${body.data.stopReason}`;
    default:
      return body.type;
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

const STRICTNESS = { allow: 0, ask: 1, deny: 2 } as const;

/**
 * Combines the server's verdict with the session's own: the server's rules are a ceiling, so the
 * stricter verdict wins (deny over ask over allow) — a session `allow` never lifts a server `deny`
 * or `ask`, while a session may always be stricter. On a tie the server's rule decides, except that
 * two allows keep the session's (its scope is the narrower, more specific choice).
 */
export function strictestVerdict(
  server: PermissionVerdict | undefined,
  session: PermissionVerdict | undefined,
): { verdict: PermissionVerdict; source: 'server' | 'session' } | undefined {
  if (!server) return session && { verdict: session, source: 'session' };
  if (!session) return { verdict: server, source: 'server' };
  const a = STRICTNESS[server.decision];
  const b = STRICTNESS[session.decision];
  if (b > a || (a === b && server.decision === 'allow')) return { verdict: session, source: 'session' };
  return { verdict: server, source: 'server' };
}
