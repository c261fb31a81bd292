import { assertSessionEnv } from './agent-env-rules.js';
import { type ClusterNodeRuntime, type ClusterOptions, createClusterNode, elsewhere } from './cluster.js';
import type { AgentDriver } from './driver.js';
import { AegisError } from './errors.js';
import { EventHub, type EventListener } from './event-hub.js';
import type { AegisEvent, Decider } from './events.js';
import {
  LiveSession,
  type LiveSessionDeps,
  type PermissionPolicy,
  type QuestionReply,
} from './live-session.js';
import { createOrchestration } from './orchestration/index.js';
import type { PermissionAnswer } from './permission-queue.js';
import { recoverSessions } from './recovery.js';
import {
  isTerminal,
  type PermissionMode,
  type PolicyRule,
  type Session,
  type SessionStatus,
} from './schemas.js';
import { newSession } from './session-record.js';
import type { AegisStore } from './store.js';
import { createStoreGuard } from './store-guard.js';
import type { TranscriptEntry, TranscriptRole } from './transcript.js';

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
   * An idle session's agent process is closed after this long without an event (the session stays
   * `idle`, dormant: `agentResident: false`; the next prompt resumes it). Default 600 000 (10 min);
   * 0 = never.
   */
  idleEvictMs?: number | undefined;
  /**
   * At most this many agent processes at once. When a create or resume needs one more, the least
   * recently used idle session is evicted first; when every one is busy, `CAPACITY_EXHAUSTED` (429).
   * Default: no limit (the server sets one from the machine's memory).
   */
  maxResidentAgents?: number | undefined;
  /**
   * While the store fails (disk full, I/O error, a lock held elsewhere), live sessions' events are
   * held in memory, in order, and written once it recovers. After this long — or once
   * `storeHoldBytes` are held — running turns are stopped (cancelled at the agent, `turn.failed`
   * saying why) so the backlog stops growing. Default 60 000.
   */
  storeHoldMs?: number | undefined;
  /** See `storeHoldMs`. Default 64 MiB; agents that keep streaming past twice this are stopped. */
  storeHoldBytes?: number | undefined;
  /**
   * Run as one node of several sharing the store (it must offer `cluster`: PostgreSQL). Sessions
   * are owned through leases; requests for a session another node owns throw `SESSION_ELSEWHERE`
   * (the server forwards them). See `cluster.ts`.
   */
  cluster?: ClusterOptions | undefined;
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
  /**
   * Another node forwarded this request here (cluster): it is handled on this node or refused,
   * never sent on again.
   */
  forwarded?: boolean | undefined;
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
    driver: options.agent,
    makeRoom: (requester) => makeRoom(requester),
  };
  const idleEvictMs = options.idleEvictMs ?? 600_000;
  const maxResident = options.maxResidentAgents ?? Number.POSITIVE_INFINITY;

  function residentCount(except?: LiveSession): number {
    let n = 0;
    for (const s of live.values()) if (s !== except && s.holdsProcess) n += 1;
    return n;
  }

  /** The idle resident session used least recently: what is evicted to make room. */
  function leastRecentlyUsed(except?: LiveSession): LiveSession | undefined {
    let best: LiveSession | undefined;
    for (const s of live.values()) {
      if (s === except || !s.evictable) continue;
      if (!best || s.lastEventAt < best.lastEventAt) best = s;
    }
    return best;
  }

  function capacityError(): AegisError {
    return new AegisError(
      'CAPACITY_EXHAUSTED',
      `All ${maxResident} agent processes this server may run (maxResidentAgents) are busy with running turns or waits for a person; none is idle to evict.`,
      {
        details: {
          maxResidentAgents: maxResident,
          retryAfter: 5,
          hint: 'Retry in a few seconds, or raise maxResidentAgents if the machine has memory for more agents (about 450 MiB each).',
        },
      },
    );
  }

  /** Refuses at once (429) when a new agent process could not get room; else room will be made. */
  function checkRoom(requester?: LiveSession): void {
    if (residentCount(requester) >= maxResident && !leastRecentlyUsed(requester)) throw capacityError();
  }

  /** Evicts least recently used idle sessions until `requester` fits under `maxResidentAgents`. */
  async function makeRoom(requester: LiveSession): Promise<void> {
    while (residentCount(requester) >= maxResident) {
      const victim = leastRecentlyUsed(requester);
      if (!victim) throw capacityError();
      await victim.evict(
        `room was needed for another session's agent (maxResidentAgents ${maxResident}); this one was the least recently used idle session`,
      );
    }
  }
  const idleTimeoutMs = options.idleTimeoutMs ?? 0;
  const storeHoldMs = options.storeHoldMs ?? 60_000;
  const storeHoldBytes = options.storeHoldBytes ?? 64 * 1024 * 1024;
  const shortest = Math.min(
    stallThresholdMs,
    (options.promptTimeoutMs ?? 0) || Number.POSITIVE_INFINITY,
    idleTimeoutMs || Number.POSITIVE_INFINITY,
    (options.idleEvictMs ?? 600_000) || Number.POSITIVE_INFINITY,
    storeHoldMs,
  );

  const storeGuard = createStoreGuard({
    store: options.store,
    live,
    onError,
    holdMs: storeHoldMs,
    holdBytes: storeHoldBytes,
  });
  const refuseWhileStoreFails = storeGuard.refuseNewWork;

  if (options.cluster && !options.store.cluster) {
    throw new AegisError(
      'BAD_REQUEST',
      'Running as a cluster node needs a store several nodes can share: use the PostgreSQL store (AEGIS_SESSION_STORE=postgres).',
    );
  }
  const cluster: ClusterNodeRuntime | null =
    options.cluster && options.store.cluster
      ? createClusterNode(
          {
            store: options.store,
            driver: options.agent,
            live,
            deps,
            now,
            cluster: options.store.cluster,
            onError,
            resume: () => resumeOnStart,
            resolveWorkDir: options.resolveWorkDir,
            load: () => ({
              ...residency(),
              busy: busyCount(),
              capacity: Number.isFinite(maxResident) ? maxResident : 1_000_000,
            }),
          },
          options.cluster,
        )
      : null;
  let resumeOnStart = true;

  const stallTimer = setInterval(
    () => {
      storeGuard.check();
      for (const s of live.values()) {
        s.checkStall();
        s.checkTimeout();
        const inactive = idleTimeoutMs > 0 ? s.inactiveMs() : null;
        if (inactive !== null && inactive >= idleTimeoutMs) {
          const reason = `no activity for ${Math.round(inactive / 1000)} s (idleTimeoutMs ${idleTimeoutMs})`;
          live.delete(s.session.id);
          s.end('completed', reason).catch((err) => onError(err, 'reaping an idle session'));
          continue;
        }
        const idleMs = Date.now() - s.lastEventAt;
        if (idleEvictMs > 0 && s.evictable && idleMs >= idleEvictMs) {
          s.evict(`idle for ${Math.round(idleMs / 1000)} s (idleEvictMs ${idleEvictMs})`).catch((err) =>
            onError(err, `evicting the agent of session ${s.session.id}`),
          );
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

  /** Creates that would reuse each other's session, keyed by owner and folder, while one starts. */
  const starts = new Map<string, Promise<void>>();
  /** Keys of `starts` whose create brings no prompt: the session will be idle, and reused by the waiters. */
  const quietStarts = new Set<string>();
  function reuseKey(workDir: string, input: CreateSessionInput, actor: Actor): string | null {
    if (input.env !== undefined || input.policies !== undefined || input.parentId !== undefined) return null;
    return JSON.stringify([
      actor.id,
      workDir,
      input.agent ?? null,
      input.model ?? null,
      input.permissionMode ?? null,
    ]);
  }

  /** An idle session `create` would reuse that another node owns (cluster). */
  async function reusableElsewhere(workDir: string, input: CreateSessionInput, actor: Actor) {
    if (reuseKey(workDir, input, actor) === null) return undefined;
    const { sessions: idle } = await options.store.listSessions({
      status: ['idle'],
      workDir,
      ownerId: actor.id ?? undefined,
      limit: 20,
      offset: 0,
    });
    return idle.find((s) => !live.has(s.id) && s.node && reusable(s, workDir, input, actor)) as
      | (Session & { node: string })
      | undefined;
  }

  /** Sessions with a running turn. */
  function busyCount(): number {
    let n = 0;
    for (const s of live.values()) if (s.busy) n += 1;
    return n;
  }

  function residency() {
    let dormant = 0;
    for (const s of live.values()) if (s.dormant) dormant += 1;
    return {
      resident: residentCount(),
      dormant,
      maxResidentAgents: Number.isFinite(maxResident) ? maxResident : null,
      idleEvictMs,
    };
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
    // Another node runs it: taken on here if its owner's lease ran out, else SESSION_ELSEWHERE.
    if (cluster && !isTerminal(stored.status)) return cluster.locate(stored);
    throw AegisError.terminated(id, stored.status);
  }

  /** In a cluster: where a new session goes when this node is draining or full (none: `null`). */
  async function placeElsewhere(actor: Actor, why: 'draining' | 'full'): Promise<void> {
    if (!cluster || actor.forwarded) return;
    const node = await cluster.nodeWithRoom();
    if (node) throw elsewhere(null, node.id, node.address);
    if (why === 'full') {
      throw new AegisError(
        'CAPACITY_EXHAUSTED',
        'Every node of the cluster runs its maximum of agent processes (maxResidentAgents) with running turns or waits for a person; none has room.',
        { details: { retryAfter: 5, hint: 'Retry in a few seconds, or add a node.' } },
      );
    }
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
      if (cluster?.state === 'draining') {
        await placeElsewhere(actor, 'draining');
        throw new AegisError(
          'SHUTTING_DOWN',
          `Node ${cluster.nodeId} is draining and takes no new sessions, and no other node has room; retry shortly.`,
        );
      }
      assertSessionEnv(input.env);
      if (input.permissionMode !== undefined) assertModeAllowed(input.permissionMode, actor);
      const workDir = options.resolveWorkDir ? await options.resolveWorkDir(input.workDir) : input.workDir;
      // A create for the same owner and folder still starting its agent: wait for it, then reuse it
      // (two concurrent creates in a new folder would otherwise start two sessions).
      const key = input.reuse === false ? null : reuseKey(workDir, input, actor);
      const starting = key ? starts.get(key) : undefined;
      if (starting) {
        await starting.catch(() => {});
        return sessions.create(input, actor);
      }
      for (const s of input.reuse === false ? [] : live.values()) {
        if (reusable(s.session, workDir, input, actor)) {
          if (input.prompt) refuseWhileStoreFails();
          if (input.prompt && s.dormant) checkRoom(s);
          const promptDelivery = input.prompt ? { ...s.enqueuePrompt(input.prompt) } : null;
          return { session: s.snapshot(), reused: true, promptDelivery };
        }
      }
      if (cluster && !actor.forwarded && input.reuse !== false) {
        // An idle session to reuse may live on another node: the create goes there.
        const other = await reusableElsewhere(workDir, input, actor);
        if (other) throw elsewhere(other.id, other.node, null);
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
        node: cluster?.nodeId ?? null,
      });
      try {
        checkRoom();
      } catch (err) {
        if ((err as AegisError).code === 'CAPACITY_EXHAUSTED') await placeElsewhere(actor, 'full');
        throw err;
      }
      const session = new LiveSession(record, deps, { env: input.env });
      live.set(record.id, session);
      let started: () => void = () => {};
      if (key) {
        if (!input.prompt) quietStarts.add(key);
        starts.set(
          key,
          new Promise<void>((r) => {
            started = r;
          }),
        );
      }
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
        if (key) starts.delete(key);
        if (key) quietStarts.delete(key);
        started();
        throw err;
      }
      const promptDelivery = input.prompt ? session.enqueuePrompt(input.prompt) : null;
      try {
        await makeRoom(session).catch(async (err) => {
          await session.end('killed', `no room for its agent: ${(err as Error).message}`);
          throw err;
        });
        await session.start({
          permissionMode: input.permissionMode ?? options.defaultPermissionMode,
          model: input.model,
        });
      } finally {
        if (isTerminal(session.session.status)) live.delete(record.id);
        if (key) starts.delete(key);
        if (key) quietStarts.delete(key);
        started();
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
      // A create for the same owner and folder is starting a session that will be idle: this one
      // waits for it and reuses it.
      const key = reuseKey(workDir, input, actor);
      if (key && quietStarts.has(key)) return false;
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
      if (session.dormant) checkRoom(session);
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
      let running = live.get(id);
      if (!running) {
        const stored = await getSession(id, actor);
        if (isTerminal(stored.status)) return stored;
        if (!cluster) throw AegisError.terminated(id, stored.status);
        running = await cluster.locate(stored);
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

  const orchestration = createOrchestration({
    store: options.store,
    sessions,
    resolveWorkDir: options.resolveWorkDir,
    // On a cluster a pipeline follows its stages' sessions wherever they run (failover moves them).
    subscribe: (listener) => (cluster ? cluster.feed.subscribe(listener) : hub.subscribe(listener)),
    fenced: cluster !== null,
    now,
    onError,
  });
  cluster?.runPipelines(orchestration.pipelines);

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
    /**
     * Listens to events as they become durable. Returns an unsubscribe function. By default only
     * the events this process records; with `cluster: true`, on a cluster node, every node's
     * events, in the log's global id order (what streams to clients want).
     */
    subscribe(listener: EventListener, filter: { sessionId?: string; cluster?: boolean } = {}): () => void {
      if (filter.cluster && cluster) return cluster.feed.subscribe(listener, filter.sessionId);
      return hub.subscribe(listener, filter.sessionId);
    },
    /**
     * Deals with sessions a previous process left live (see {@link recoverSessions}): each one is
     * taken on dormant — no agent starts until its next prompt — or marked `crashed` saying why.
     * Call once at start-up, before serving requests.
     */
    recover(opts: { resume?: boolean } = {}): Promise<{ crashed: string[]; dormant: string[] }> {
      resumeOnStart = opts.resume !== false;
      // A cluster node takes back only its own sessions (others' are adopted once their lease runs out).
      if (cluster) return cluster.start();
      return recoverSessions({ store: options.store, driver: options.agent, live, deps, now }, opts);
    },
    /** This node in a cluster (`null` on a single server). */
    get node(): { id: string; state: 'active' | 'draining'; leaseMs: number } | null {
      return cluster ? { id: cluster.nodeId, state: cluster.state, leaseMs: cluster.leaseMs } : null;
    },
    /** The nodes sharing the store, with their health and load (`[]` on a single server). */
    async nodes() {
      return cluster ? cluster.nodes() : [];
    },
    /** Sessions not ended per owner node (`''`: owned by none), on a cluster; `{}` otherwise. */
    async nodeSessionCounts(): Promise<Record<string, number>> {
      return cluster ? (options.store.cluster?.sessionCounts() ?? {}) : {};
    },
    /**
     * For a graceful stop of a cluster node: new sessions go to other nodes from now on; running
     * turns get up to `waitMs` to finish (the rest are cut off by `close()`, which then hands every
     * session over for adoption). Resolves with how many turns were still running at the bound.
     */
    async drain(opts: { waitMs?: number } = {}): Promise<{ running: number }> {
      await cluster?.drain();
      const deadline = Date.now() + (opts.waitMs ?? 30_000);
      while (busyCount() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      return { running: busyCount() };
    },
    /** Number of sessions with an agent process (starting, up, or being evicted). */
    get liveCount(): number {
      return residentCount();
    },
    /** Agent processes against the limit, and sessions kept without one. */
    residency,
    /**
     * Stops every agent and closes the store. Sessions never end here: a running turn fails saying
     * the server shut down, waits are cancelled, and each session is left dormant — the next start
     * finds it and its next prompt resumes the conversation. Resolves with how many were suspended.
     */
    async close(): Promise<{ suspended: number }> {
      if (closing) return { suspended: 0 };
      closing = true;
      clearInterval(stallTimer);
      const all = [...live.values()];
      await Promise.allSettled(all.map((s) => s.suspend('Aegis shut down')));
      live.clear();
      // Handed over: another node adopts each one at once (no lease to wait out).
      await cluster?.stop();
      await orchestration.pipelines.close();
      await options.agent.close?.();
      await options.store.close();
      return { suspended: all.length };
    },
  };
}

export type Aegis = ReturnType<typeof createAegis>;
