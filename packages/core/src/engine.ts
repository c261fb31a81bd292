import { assertSessionEnv } from './agent-env-rules.js';
import type { AgentDriver } from './driver.js';
import { AegisError } from './errors.js';
import { EventHub, type EventListener } from './event-hub.js';
import type { AegisEvent, Decider, EventDraft } from './events.js';
import {
  LiveSession,
  type LiveSessionDeps,
  type PermissionPolicy,
  type QuestionReply,
} from './live-session.js';
import { createOrchestration } from './orchestration/index.js';
import type { PermissionAnswer } from './permission-queue.js';
import {
  isTerminal,
  type PermissionMode,
  type PolicyRule,
  type Session,
  type SessionStatus,
} from './schemas.js';
import { newSession } from './session-record.js';
import type { AegisStore, StorePressure } from './store.js';
import type { TranscriptEntry, TranscriptEntryDraft, TranscriptRole } from './transcript.js';

export interface CreateAegisOptions {
  agent: AgentDriver;
  store: AegisStore;
  /** Decides permission requests before a human is asked. */
  policy?: PermissionPolicy | undefined;
  /** Resolves and checks a requested workDir; throws `WORKDIR_DENIED`. Default: accepts as given. */
  resolveWorkDir?: ((workDir: string) => Promise<string>) | undefined;
  /** Permission mode for sessions that do not ask for one. Default `default`. */
  defaultPermissionMode?: PermissionMode | undefined;
  /**
   * The permission modes `actor` may choose (at create, through a template, or by changing the
   * mode); `undefined` = any. Another mode is `FORBIDDEN`. The server limits operators with it.
   */
  permissionModesFor?: ((actor: Actor) => readonly PermissionMode[] | undefined) | undefined;
  /** A working session with no agent update for this long becomes `stalled`. Default 120 s. */
  stallThresholdMs?: number | undefined;
  /** How often stalls are checked. Default: a quarter of the threshold, at most 5 s. */
  stallCheckIntervalMs?: number | undefined;
  now?: (() => Date) | undefined;
  onError?: ((err: unknown, context: string) => void) | undefined;
  /** A turn with no agent update for this long is cancelled and fails `AGENT_TIMEOUT`. Default 0 (off). */
  promptTimeoutMs?: number | undefined;
  /** An idle (or error) session with no event for this long is ended `completed`. Default 0 (off). */
  idleTimeoutMs?: number | undefined;
  /**
   * While the store fails (disk full, I/O error, a lock held elsewhere), live sessions' events are
   * held in memory, in order, and written once it recovers. After this long — or once
   * `storeHoldBytes` are held — running turns are stopped (cancelled at the agent, `turn.failed`
   * saying why) so the backlog stops growing. Default 60 000.
   */
  storeHoldMs?: number | undefined;
  /** See `storeHoldMs`. Default 64 MiB; agents that keep streaming past twice this are stopped. */
  storeHoldBytes?: number | undefined;
}

export interface CreateSessionInput {
  workDir: string;
  name?: string | undefined;
  prompt?: string | undefined;
  permissionMode?: PermissionMode | undefined;
  model?: string | undefined;
  agent?: string | undefined;
  env?: Record<string, string> | undefined;
  parentId?: string | undefined;
  /** `false`: always start a new session, even when an idle one works in `workDir`. Default true. */
  reuse?: boolean | undefined;
  /** Per-session permission rules; the server's policy is a ceiling (the stricter verdict wins). */
  policies?: PolicyRule[] | undefined;
}

export interface Actor {
  /** Owner identity (an API key id); `null` for the unauthenticated local user. */
  id: string | null;
  /** Admins see every owner's sessions. */
  admin?: boolean;
  /** The caller's role when authenticated by an API key (`admin`, `operator`, `viewer`). */
  role?: string | undefined;
}

export interface PromptDelivery {
  /** The prompt has been handed to the agent (its turn started). */
  delivered: boolean;
  /** The prompt waits behind a running turn or agent start-up, in order. */
  queued: boolean;
  /** Position in the queue (1 = next), when queued. */
  position: number | null;
  attempts: number;
}

export interface CreateSessionResult {
  session: Session;
  reused: boolean;
  promptDelivery: PromptDelivery | null;
}

export interface ListSessionsInput {
  status?: SessionStatus[] | undefined;
  workDir?: string | undefined;
  page?: number | undefined;
  limit?: number | undefined;
}

export interface TranscriptPage {
  messages: TranscriptEntry[];
  has_more: boolean;
  oldest_id: number | null;
  newest_id: number | null;
}

const LOCAL: Actor = { id: null, admin: true };

/** What a dead server left unfinished in a session's log. */
interface Interrupted {
  /** The last turn started (the running one, if the session was working). */
  turn: { turnId: string; at: string } | null;
  /** A message whose deltas were streamed but never completed. */
  message: { id: string; text: string } | null;
}

/**
 * Creates an Aegis engine: sessions, prompts, permissions and events, with the agent driver and the
 * store injected. Embeddable in any Node service; no HTTP involved.
 *
 * @example
 * const aegis = createAegis({ agent: createAcpDriver(), store: createSqliteStore({ path }) });
 * const { session } = await aegis.sessions.create({ workDir: process.cwd(), prompt: 'hi' });
 * aegis.subscribe((e) => console.log(e.type), { sessionId: session.id });
 */
export function createAegis(options: CreateAegisOptions) {
  const now = options.now ?? (() => new Date());
  const hub = new EventHub();
  const live = new Map<string, LiveSession>();
  const onError =
    options.onError ??
    ((err: unknown, context: string) => {
      console.error(`[aegis] ${context}:`, err);
    });
  const stallThresholdMs = options.stallThresholdMs ?? 120_000;
  let closing = false;

  const deps: LiveSessionDeps = {
    store: options.store,
    hub,
    now,
    policy: options.policy,
    onError,
    stallThresholdMs,
    promptTimeoutMs: options.promptTimeoutMs ?? 0,
  };
  const idleTimeoutMs = options.idleTimeoutMs ?? 0;
  const storeHoldMs = options.storeHoldMs ?? 60_000;
  const storeHoldBytes = options.storeHoldBytes ?? 64 * 1024 * 1024;
  const shortest = Math.min(
    stallThresholdMs,
    (options.promptTimeoutMs ?? 0) || Number.POSITIVE_INFINITY,
    idleTimeoutMs || Number.POSITIVE_INFINITY,
    storeHoldMs,
  );

  /** Set once running turns were stopped because the store kept failing; cleared when it recovers. */
  let storeStop: { at: number; problem: { code: string; message: string; hint: string } } | null = null;

  function storeProblem(p: StorePressure): { code: string; message: string; hint: string } {
    const where = p.location ?? 'the state directory';
    const secs = p.forMs < 10_000 ? (p.forMs / 1000).toFixed(1) : String(Math.round(p.forMs / 1000));
    if (p.code === 'SQLITE_FULL') {
      return {
        code: 'STORE_UNAVAILABLE',
        message: `Storage full: free disk space in ${where}. Writes failed for ${secs} s, so the turn was stopped; every event up to here is kept and stored once there is space.`,
        hint: `Free disk space in ${where}, then send the prompt again.`,
      };
    }
    return {
      code: 'STORE_UNAVAILABLE',
      message: `The session store in ${where} could not be written for ${secs} s (${p.reason}), so the turn was stopped; every event up to here is kept and stored once it works again.`,
      hint: 'Check the disk and whether another process holds the database lock, then send the prompt again.',
    };
  }

  /** Reacts to a store that keeps failing: bounds the held backlog by stopping what produces it. */
  function checkStore(): void {
    const pressure = options.store.pressure?.() ?? null;
    if (!pressure) {
      storeStop = null;
      return;
    }
    if (!storeStop && (pressure.forMs >= storeHoldMs || pressure.heldBytes >= storeHoldBytes)) {
      if (!pressure.failing) return; // catching up: it works again
      const problem = storeProblem(pressure);
      storeStop = { at: Date.now(), problem };
      let stopped = 0;
      for (const s of live.values()) if (s.stopForStore(problem)) stopped += 1;
      onError(
        new AegisError('STORE_UNAVAILABLE', problem.message, { details: { ...pressure } }),
        `store failing: stopped ${stopped} running turn(s)`,
      );
      return;
    }
    if (storeStop && pressure.heldBytes >= 2 * storeHoldBytes) {
      // Agents that ignored the cancel and keep streaming: stop them, or memory grows without bound.
      for (const s of [...live.values()]) {
        if (s.lastEventAt <= storeStop.at) continue;
        live.delete(s.session.id);
        s.end(
          'killed',
          `${storeStop.problem.message} The agent kept sending updates, so it was stopped.`,
        ).catch((err) => onError(err, 'stopping an agent while the store fails'));
      }
    }
  }

  /** New work is refused while the store fails for a reason that does not pass by itself. */
  function refuseWhileStoreFails(): void {
    const pressure = options.store.pressure?.();
    if (!pressure?.failing || (pressure.transient && !storeStop)) return;
    const problem = storeStop?.problem ?? storeProblem(pressure);
    throw new AegisError(
      'STORE_UNAVAILABLE',
      `${pressure.code === 'SQLITE_FULL' ? `Storage full: free disk space in ${pressure.location ?? 'the state directory'}` : `The session store cannot be written (${pressure.reason})`}; no new prompt is accepted until it works again.`,
      { details: { hint: problem.hint, since: pressure.since, heldWrites: pressure.heldWrites } },
    );
  }

  const stallTimer = setInterval(
    () => {
      checkStore();
      for (const s of live.values()) {
        s.checkStall();
        s.checkTimeout();
        const inactive = idleTimeoutMs > 0 ? s.inactiveMs() : null;
        if (inactive !== null && inactive >= idleTimeoutMs) {
          const reason = `no activity for ${Math.round(inactive / 1000)} s (idleTimeoutMs ${idleTimeoutMs})`;
          live.delete(s.session.id);
          s.end('completed', reason).catch((err) => onError(err, 'reaping an idle session'));
        }
      }
    },
    options.stallCheckIntervalMs ?? Math.min(5_000, Math.max(10, shortest / 4)),
  );
  stallTimer.unref();

  function visible(session: Session | undefined, actor: Actor): session is Session {
    return !!session && (actor.admin === true || session.ownerId === actor.id);
  }

  async function getSession(id: string, actor: Actor = LOCAL): Promise<Session> {
    const running = live.get(id);
    const session = running ? running.snapshot() : await options.store.getSession(id);
    if (!visible(session, actor)) throw AegisError.sessionNotFound(id);
    return session;
  }

  /**
   * An idle session of the same owner in the same folder is reused, unless the request asks for
   * something it does not have: another agent, model or permission mode, its own env or policies.
   */
  function reusable(s: Session, workDir: string, input: CreateSessionInput, actor: Actor): boolean {
    if (s.workDir !== workDir || s.ownerId !== actor.id || s.status !== 'idle') return false;
    if (input.agent !== undefined && input.agent !== s.agent) return false;
    if (input.model !== undefined && input.model !== s.model) return false;
    if (input.permissionMode !== undefined && input.permissionMode !== s.permissionMode) return false;
    if (input.parentId !== undefined && input.parentId !== s.parentId) return false;
    return input.env === undefined && input.policies === undefined;
  }

  function liveSession(id: string, actor: Actor): LiveSession {
    const running = live.get(id);
    if (!running || !visible(running.session, actor)) throw AegisError.sessionNotFound(id);
    return running;
  }

  async function requireLive(id: string, actor: Actor): Promise<LiveSession> {
    const running = live.get(id);
    if (running && visible(running.session, actor)) {
      if (isTerminal(running.session.status)) throw AegisError.terminated(id, running.session.status);
      return running;
    }
    const stored = await getSession(id, actor);
    throw AegisError.terminated(id, stored.status);
  }

  function assertModeAllowed(mode: PermissionMode, actor: Actor): void {
    const allowed = options.permissionModesFor?.(actor);
    if (!allowed || allowed.includes(mode)) return;
    throw new AegisError(
      'FORBIDDEN',
      `Permission mode ${mode} may not be chosen with ${actor.role ? `the ${actor.role} role` : 'this identity'}; choose one of ${allowed.join(', ') || '(none)'}, or ask an administrator (the server's operatorPermissionModes setting decides).`,
      { details: { permissionMode: mode, allowed: [...allowed] } },
    );
  }

  const sessions = {
    /**
     * Creates a session (or reuses an idle one of the same owner in the same workDir) and resolves
     * once its agent is ready. A given `prompt` is delivered (or queued) right away.
     */
    async create(input: CreateSessionInput, actor: Actor = LOCAL): Promise<CreateSessionResult> {
      if (closing) throw new AegisError('SHUTTING_DOWN', 'Aegis is shutting down; retry on the next start.');
      assertSessionEnv(input.env);
      if (input.permissionMode !== undefined) assertModeAllowed(input.permissionMode, actor);
      const workDir = options.resolveWorkDir ? await options.resolveWorkDir(input.workDir) : input.workDir;
      for (const s of input.reuse === false ? [] : live.values()) {
        if (reusable(s.session, workDir, input, actor)) {
          if (input.prompt) refuseWhileStoreFails();
          const promptDelivery = input.prompt ? { ...s.enqueuePrompt(input.prompt) } : null;
          return { session: s.snapshot(), reused: true, promptDelivery };
        }
      }
      // A parent the caller cannot see is SESSION_NOT_FOUND, as reading it would be.
      if (input.parentId) await getSession(input.parentId, actor);
      const agentName = input.agent ?? options.agent.agents[0];
      if (!agentName || !options.agent.agents.includes(agentName)) {
        throw new AegisError(
          'UNKNOWN_AGENT',
          `Unknown agent "${input.agent}". Configured agents: ${options.agent.agents.join(', ') || '(none)'}.`,
          { details: { agents: [...options.agent.agents] } },
        );
      }
      const record = newSession({
        id: globalThis.crypto.randomUUID(),
        name: input.name ?? null,
        workDir,
        agent: agentName,
        permissionMode: input.permissionMode ?? options.defaultPermissionMode ?? 'default',
        model: input.model ?? null,
        ownerId: actor.id,
        parentId: input.parentId ?? null,
        policies: input.policies,
        now: now().toISOString(),
      });
      const session = new LiveSession(record, deps);
      live.set(record.id, session);
      try {
        await session.emit({
          type: 'session.created',
          data: {
            name: record.name,
            workDir,
            agent: agentName,
            permissionMode: record.permissionMode,
            model: record.model,
            parentId: record.parentId,
          },
        });
      } catch (err) {
        // Not recorded (e.g. the store is unavailable): no agent was started, so nothing is live.
        live.delete(record.id);
        throw err;
      }
      const promptDelivery = input.prompt ? session.enqueuePrompt(input.prompt) : null;
      try {
        await session.start(options.agent, {
          env: input.env,
          permissionMode: input.permissionMode ?? options.defaultPermissionMode,
          model: input.model,
        });
      } finally {
        if (isTerminal(session.session.status)) live.delete(record.id);
      }
      return {
        session: session.snapshot(),
        reused: false,
        promptDelivery: promptDelivery ? { ...promptDelivery } : null,
      };
    },

    /**
     * Whether `create(input)` would start a new session (an agent process) rather than reuse an
     * idle one — what session caps count. `claimed` holds idle sessions earlier items of the same
     * request would reuse; a reuse found here is added to it. A workDir that does not resolve
     * starts nothing (create answers with the error).
     */
    async startsNew(input: CreateSessionInput, actor: Actor = LOCAL, claimed = new Set<string>()) {
      let workDir: string;
      try {
        workDir = options.resolveWorkDir ? await options.resolveWorkDir(input.workDir) : input.workDir;
      } catch {
        return false;
      }
      if (input.reuse === false) return true;
      for (const s of live.values()) {
        if (!claimed.has(s.session.id) && reusable(s.session, workDir, input, actor)) {
          claimed.add(s.session.id);
          return false;
        }
      }
      return true;
    },

    get: getSession,

    async list(input: ListSessionsInput = {}, actor: Actor = LOCAL) {
      const limit = input.limit ?? 20;
      const page = input.page ?? 1;
      const result = await options.store.listSessions({
        status: input.status,
        workDir: input.workDir,
        ownerId: actor.admin ? undefined : (actor.id ?? undefined),
        limit,
        offset: (page - 1) * limit,
      });
      const sessions = result.sessions.map((s) => live.get(s.id)?.snapshot() ?? s);
      return { sessions, total: result.total, page, limit };
    },

    /** Sends a prompt: delivered now when idle, otherwise queued in order behind the running turn. */
    async prompt(id: string, text: string, actor: Actor = LOCAL): Promise<PromptDelivery> {
      const session = await requireLive(id, actor);
      refuseWhileStoreFails();
      return { ...session.enqueuePrompt(text) };
    },

    /** Answers the oldest pending permission request. 409 `NOTHING_PENDING` when none is. */
    async respondPermission(
      id: string,
      answer: PermissionAnswer,
      actor: Actor = LOCAL,
    ): Promise<{ requestId: string; optionId: string; optionKind: string }> {
      const decidedBy: Decider = { type: 'human', actor: actor.id ?? 'local' };
      return (await requireLive(id, actor)).answerPermission(answer, decidedBy);
    },

    /** Cancels the running turn (answering open permission requests `cancelled`) and drops queued prompts. */
    async interrupt(id: string, actor: Actor = LOCAL) {
      return (await requireLive(id, actor)).interrupt();
    },

    /** Answers the pending question (state `asking`). 409 `NOTHING_PENDING` when none is. */
    async answerQuestion(id: string, reply: QuestionReply, actor: Actor = LOCAL) {
      const decidedBy: Decider = { type: 'human', actor: actor.id ?? 'local' };
      return (await requireLive(id, actor)).answerQuestion(reply, decidedBy);
    },

    /** Dismisses a pending question (declined) or permission (rejected) without cancelling the turn. */
    async escape(id: string, actor: Actor = LOCAL) {
      const decidedBy: Decider = { type: 'human', actor: actor.id ?? 'local', rule: 'escape' };
      return (await requireLive(id, actor)).escape(decidedBy);
    },

    /**
     * The agent's slash commands (from `available_commands_update`). Waits up to `waitMs` for a live
     * agent that has not announced them yet.
     */
    async discoverCommands(id: string, opts: { waitMs?: number } = {}, actor: Actor = LOCAL) {
      const deadline = Date.now() + (opts.waitMs ?? 3_000);
      for (;;) {
        const session = await getSession(id, actor);
        const running = live.get(id);
        if (session.availableCommands.length > 0 || !running?.alive || Date.now() >= deadline) {
          return { commands: session.availableCommands, session };
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },

    /** Whether the session's agent process is up, and how long it has been without an event. */
    async liveness(id: string, actor: Actor = LOCAL): Promise<{ alive: boolean; inactiveMs: number | null }> {
      await getSession(id, actor);
      const running = live.get(id);
      return {
        alive: running?.alive ?? false,
        inactiveMs: running ? Date.now() - running.lastEventAt : null,
      };
    },

    async setMode(id: string, mode: PermissionMode, actor: Actor = LOCAL): Promise<Session> {
      const s = await requireLive(id, actor);
      assertModeAllowed(mode, actor);
      await s.setMode(mode);
      return s.snapshot();
    },

    /** Stops the agent and marks the session `killed`; it stays in the store for audit. */
    async kill(id: string, actor: Actor = LOCAL): Promise<Session> {
      const running = live.get(id);
      if (!running) {
        const stored = await getSession(id, actor);
        if (isTerminal(stored.status)) return stored;
        throw AegisError.terminated(id, stored.status);
      }
      liveSession(id, actor);
      await running.end('killed', 'killed through the API');
      live.delete(id);
      return running.snapshot();
    },

    /** Transcript entries after a client-held cursor, oldest first. */
    async read(id: string, opts: { after?: number; limit?: number } = {}, actor: Actor = LOCAL) {
      const session = await getSession(id, actor);
      const limit = opts.limit ?? 200;
      // One row past the page says whether more follow (a full last page is not "more").
      const rows = await options.store.listTranscript({
        sessionId: id,
        after: opts.after ?? 0,
        limit: limit + 1,
      });
      const entries = rows.length > limit ? rows.slice(0, limit) : rows;
      const last = entries.at(-1);
      return {
        status: session.status,
        session,
        entries,
        cursor: last ? last.id : (opts.after ?? 0),
        has_more: rows.length > limit,
      };
    },

    /** Pages the transcript backwards from `before` (newest first within a page, returned oldest first). */
    async transcriptPage(
      id: string,
      opts: { before?: number; limit?: number; role?: TranscriptRole[] } = {},
      actor: Actor = LOCAL,
    ): Promise<TranscriptPage> {
      await getSession(id, actor);
      const limit = opts.limit ?? 50;
      const rows = await options.store.listTranscript({
        sessionId: id,
        before: opts.before ?? Number.MAX_SAFE_INTEGER,
        roles: opts.role,
        limit: limit + 1,
      });
      const has_more = rows.length > limit;
      const messages = rows.slice(0, limit).reverse();
      return {
        messages,
        has_more,
        oldest_id: messages[0]?.id ?? null,
        newest_id: messages.at(-1)?.id ?? null,
      };
    },

    /** Stored events of one session after `after` (by seq). */
    async events(id: string, opts: { after?: number; limit?: number } = {}, actor: Actor = LOCAL) {
      await getSession(id, actor);
      return options.store.listEvents({ sessionId: id, after: opts.after ?? 0, limit: opts.limit ?? 1000 });
    },
  };

  /** Marks a session a dead server left live as `crashed`, appending after its last stored event. */
  async function markCrashed(
    stored: Session,
    lastSeq: number,
    message: Interrupted['message'],
  ): Promise<void> {
    const at = now().toISOString();
    const reason = 'Aegis stopped without a shutdown while this session was live; its agent is gone';
    const from = stored.status;
    // A message cut off mid-stream is completed with what arrived, so the transcript has it.
    const completed: EventDraft[] = message
      ? [
          {
            sessionId: stored.id,
            seq: ++lastSeq,
            at,
            type: 'message.completed',
            data: { messageId: message.id, text: message.text },
          },
        ]
      : [];
    const partial: TranscriptEntryDraft[] = message
      ? [{ sessionId: stored.id, seq: lastSeq, at, role: 'assistant', text: message.text }]
      : [];
    const session: Session = {
      ...stored,
      status: 'crashed',
      lastSeq: lastSeq + 2,
      updatedAt: at,
      pendingPermission: null,
      pendingPermissionCount: 0,
      pendingQuestion: null,
      queuedPrompts: 0,
      problem: { code: 'AGENT_CRASHED', message: reason },
    };
    await options.store.write({
      sessions: [session],
      events: [
        ...completed,
        {
          sessionId: stored.id,
          seq: lastSeq + 1,
          at,
          type: 'session.ended',
          data: { status: 'crashed', reason, exit: null },
        },
        {
          sessionId: stored.id,
          seq: lastSeq + 2,
          at,
          type: 'session.state_changed',
          data: { from, to: 'crashed', reason },
        },
      ],
      transcript: [
        ...partial,
        {
          sessionId: stored.id,
          seq: lastSeq + 1,
          at,
          role: 'system',
          text: `Session crashed: ${reason}`,
        },
      ],
    });
  }

  const orchestration = createOrchestration({
    store: options.store,
    sessions,
    resolveWorkDir: options.resolveWorkDir,
    subscribe: (listener) => hub.subscribe(listener),
    now,
    onError,
  });

  return {
    sessions,
    /** Session templates (four built-ins plus your own); `resolve` turns `templateId` into session input. */
    templates: orchestration.templates,
    /** Key/value memory shared between sessions. */
    memory: orchestration.memory,
    /** Create or kill many sessions at once, with per-item results. */
    batch: orchestration.batch,
    /** Stages of sessions run in dependency order. */
    pipelines: orchestration.pipelines,
    /** Global stored events after a global `id`. */
    async events(opts: { after?: number; limit?: number } = {}): Promise<AegisEvent[]> {
      return options.store.listEvents({ after: opts.after ?? 0, limit: opts.limit ?? 1000 });
    },
    /** Listens to events as they become durable. Returns an unsubscribe function. */
    subscribe(listener: EventListener, filter: { sessionId?: string } = {}): () => void {
      return hub.subscribe(listener, filter.sessionId);
    },
    /**
     * Deals with sessions that were live when a previous process died (no graceful shutdown), so no
     * stored session claims to be running without an agent. With `resume` (default true), a session
     * whose agent can reopen it (`agentSession.resumable`) is reopened in a new agent process: what
     * the dead server left open is recorded first (a running turn `turn.failed`, a pending
     * permission or question cancelled), then `agent.ready` moves it to `idle`, ready for the next
     * prompt. Every other one — and any whose reopening fails — is marked `crashed`, saying why.
     * Call once at start-up, before serving requests.
     */
    async recover(opts: { resume?: boolean } = {}): Promise<{ crashed: string[]; resumed: string[] }> {
      const crashed: string[] = [];
      const resumed: string[] = [];
      const seen = new Set<string>();
      const toResume: { stored: Session; lastSeq: number; cut: Interrupted }[] = [];
      const liveStates: SessionStatus[] = [
        'pending',
        'idle',
        'working',
        'permission_prompt',
        'asking',
        'stalled',
        'rate_limit',
        'error',
      ];
      const canResume = opts.resume !== false && typeof options.agent.resume === 'function';
      // Collected first, then changed: marking one crashed moves it out of the pages being read.
      const stale: Session[] = [];
      for (;;) {
        const page = await options.store.listSessions({
          status: liveStates,
          limit: 100,
          offset: stale.length,
        });
        stale.push(...page.sessions.filter((s) => !seen.has(s.id)));
        for (const s of page.sessions) seen.add(s.id);
        if (page.sessions.length < 100) break;
      }
      for (const stored of stale) {
        const resumable =
          canResume &&
          stored.status !== 'pending' &&
          stored.agentSession?.resumable === true &&
          options.agent.agents.includes(stored.agent);
        // Read the whole log: it is the truth about where seq goes on, which turn was running and
        // which message was cut off mid-stream.
        let lastSeq = 0;
        const cut: Interrupted = { turn: null, message: null };
        for (;;) {
          const page = await options.store.listEvents({ sessionId: stored.id, after: lastSeq, limit: 1000 });
          if (page.length === 0) break;
          for (const e of page) {
            if (e.type === 'turn.started') cut.turn = { turnId: e.data.turnId, at: e.at };
            else if (e.type === 'message.delta') {
              if (cut.message?.id === e.data.messageId) cut.message.text += e.data.text;
              else cut.message = { id: e.data.messageId, text: e.data.text };
            } else if (e.type === 'message.completed') cut.message = null;
          }
          lastSeq = page.at(-1)?.seq ?? lastSeq;
        }
        lastSeq = Math.max(lastSeq, stored.lastSeq);
        if (resumable) {
          toResume.push({ stored, lastSeq, cut });
          continue;
        }
        await markCrashed(stored, lastSeq, cut.message);
        crashed.push(stored.id);
      }
      // A few at a time: each is an agent process starting up.
      const queue = toResume.slice();
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const { stored, lastSeq, cut } = next;
          const record: Session = structuredClone({ ...stored, lastSeq });
          const session = new LiveSession(record, deps);
          live.set(record.id, session);
          try {
            await session.closeInterrupted(cut);
            await session.start(options.agent, {
              permissionMode: record.permissionMode,
              model: record.model ?? undefined,
              resume: { agentSessionId: stored.agentSession!.id },
            });
            resumed.push(record.id);
          } catch (err) {
            onError(err, `resuming session ${record.id} after a restart`);
            crashed.push(record.id);
          } finally {
            if (isTerminal(session.session.status)) live.delete(record.id);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(4, toResume.length) }, worker));
      return { crashed, resumed };
    },
    /** Number of sessions with a running agent. */
    get liveCount(): number {
      return live.size;
    },
    /** Stops every agent (sessions end `completed`, reason "server shutdown") and closes the store. */
    async close(): Promise<void> {
      if (closing) return;
      closing = true;
      clearInterval(stallTimer);
      await Promise.allSettled(
        [...live.values()].map((s) => s.end('completed', 'Aegis shut down while the session was live')),
      );
      live.clear();
      await orchestration.pipelines.close();
      await options.agent.close?.();
      await options.store.close();
    },
  };
}

export type Aegis = ReturnType<typeof createAegis>;
