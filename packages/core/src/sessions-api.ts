import { SpanStatusCode } from '@opentelemetry/api';
import { assertSessionEnv } from './agent-env-rules.js';
import { Budget } from './budget.js';
import { type ClusterNodeRuntime, elsewhere } from './cluster.js';
import type { AgentDriver } from './driver.js';
import { AegisError } from './errors.js';
import type { Decider } from './events.js';
import type { KeyBudgets } from './key-budgets.js';
import { LiveSession, type LiveSessionDeps, type QuestionReply } from './live-session.js';
import type { PermissionAnswer } from './permission-queue.js';
import {
  isTerminal,
  type PermissionMode,
  type SandboxRequest,
  type Session,
  SessionSandbox,
} from './schemas.js';
import { placeElsewhere, reusable, reusableElsewhere, reuseKey } from './session-placement.js';
import { newSession } from './session-record.js';
import type {
  Actor,
  CreateSessionInput,
  CreateSessionResult,
  ListSessionsInput,
  PromptDelivery,
  SessionsApi,
  TranscriptPage,
} from './sessions-api-types.js';
import type { AegisStore } from './store.js';
import { coreTracer, TraceAttr } from './tracing.js';
import type { TranscriptRole } from './transcript.js';

const LOCAL: Actor = { id: null, admin: true };

export interface SessionsApiContext {
  /** The engine's options the sessions API reads. */
  options: {
    agent: AgentDriver;
    store: AegisStore;
    resolveWorkDir?: ((workDir: string) => Promise<string>) | undefined;
    resolveSandbox?: ((requested: SandboxRequest | undefined) => Promise<Session['sandbox']>) | undefined;
    defaultPermissionMode?: PermissionMode | undefined;
    permissionModesFor?: ((actor: Actor) => readonly PermissionMode[] | undefined) | undefined;
  };
  live: Map<string, LiveSession>;
  deps: LiveSessionDeps;
  now: () => Date;
  cluster: ClusterNodeRuntime | null;
  /** See `createCapacity`. */
  capacity: { checkRoom(requester?: LiveSession): void; makeRoom(requester: LiveSession): Promise<void> };
  /** Throws `STORE_UNAVAILABLE` while the store fails (see `createStoreGuard`). */
  refuseWhileStoreFails: () => void;
  /** Whether the engine is closing: creates are refused. */
  closing: () => boolean;
  /** Owners' daily budgets (checked before a prompt is taken). */
  keyBudgets?: KeyBudgets | undefined;
}

/** Builds `aegis.sessions` (see {@link SessionsApi}) over the engine's live sessions and store. */
export function createSessionsApi(ctx: SessionsApiContext): SessionsApi {
  const { options, live, deps, now, cluster, refuseWhileStoreFails, closing } = ctx;
  const { checkRoom, makeRoom } = ctx.capacity;

  /**
   * The sandbox a new session gets: the engine's `resolveSandbox` (the server's policy) decides;
   * without one, a session is sandboxed when it asks.
   */
  async function sandboxOf(requested: SandboxRequest | undefined): Promise<Session['sandbox']> {
    if (options.resolveSandbox) return options.resolveSandbox(requested);
    if (!requested || requested.enabled === false) return null;
    const { enabled: _enabled, ...spec } = requested;
    return SessionSandbox.parse(spec);
  }

  /** A budget given by an embedding caller is checked as the API checks it (a negative limit is refused). */
  function budgetOf(budget: Budget | null | undefined): Budget | null {
    if (budget === undefined || budget === null) return null;
    const parsed = Budget.safeParse(budget);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw AegisError.validation(`budget.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }

  function visible(session: Session | undefined, actor: Actor): session is Session {
    return !!session && (actor.admin === true || session.ownerId === actor.id);
  }

  async function getSession(id: string, actor: Actor = LOCAL): Promise<Session> {
    const running = live.get(id);
    const session = running ? running.snapshot() : await options.store.getSession(id);
    if (!visible(session, actor)) throw AegisError.sessionNotFound(id);
    return session;
  }

  /** Creates that would reuse each other's session, keyed by owner and folder, while one starts. */
  const starts = new Map<string, Promise<void>>();
  /** Keys of `starts` whose create brings no prompt: the session will be idle, and reused by the waiters. */
  const quietStarts = new Set<string>();

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

  function assertModeAllowed(mode: PermissionMode, actor: Actor): void {
    const allowed = options.permissionModesFor?.(actor);
    if (!allowed || allowed.includes(mode)) return;
    throw new AegisError(
      'FORBIDDEN',
      `Permission mode ${mode} may not be chosen with ${actor.role ? `the ${actor.role} role` : 'this identity'}; choose one of ${allowed.join(', ') || '(none)'}, or ask an administrator (the server's operatorPermissionModes setting decides).`,
      { details: { permissionMode: mode, allowed: [...allowed] } },
    );
  }

  /** Creates (or reuses) a session; see `SessionsApi.create`. */
  async function createSession(input: CreateSessionInput, actor: Actor): Promise<CreateSessionResult> {
    if (closing()) throw new AegisError('SHUTTING_DOWN', 'Aegis is shutting down; retry on the next start.');
    if (cluster?.state === 'draining') {
      await placeElsewhere(cluster, actor, 'draining');
      throw new AegisError(
        'SHUTTING_DOWN',
        `Node ${cluster.nodeId} is draining and takes no new sessions, and no other node has room; retry shortly.`,
      );
    }
    assertSessionEnv(input.env);
    const budget = budgetOf(input.budget);
    if (input.prompt) await ctx.keyBudgets?.assertWithin(actor.id);
    if (input.permissionMode !== undefined) assertModeAllowed(input.permissionMode, actor);
    const workDir = options.resolveWorkDir ? await options.resolveWorkDir(input.workDir) : input.workDir;
    const sandbox = await sandboxOf(input.sandbox);
    // A create for the same owner and folder still starting its agent: wait for it, then reuse it
    // (two concurrent creates in a new folder would otherwise start two sessions).
    const key = input.reuse === false ? null : reuseKey(workDir, input, actor);
    const starting = key ? starts.get(key) : undefined;
    if (starting) {
      await starting.catch(() => {});
      return createSession(input, actor);
    }
    for (const s of input.reuse === false ? [] : live.values()) {
      if (reusable(s.session, workDir, input, actor, sandbox)) {
        if (input.prompt) refuseWhileStoreFails();
        if (input.prompt) s.assertPromptAllowed();
        if (input.prompt && s.dormant) checkRoom(s);
        const promptDelivery = input.prompt ? { ...s.enqueuePrompt(input.prompt) } : null;
        return { session: s.snapshot(), reused: true, promptDelivery };
      }
    }
    if (cluster && !actor.forwarded && input.reuse !== false) {
      // An idle session to reuse may live on another node: the create goes there.
      const other = await reusableElsewhere(options.store, live, workDir, input, actor, sandbox);
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
      sandbox,
      templateId: input.templateId ?? null,
      budget,
      now: now().toISOString(),
      node: cluster?.nodeId ?? null,
    });
    try {
      checkRoom();
    } catch (err) {
      if ((err as AegisError).code === 'CAPACITY_EXHAUSTED') await placeElsewhere(cluster, actor, 'full');
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
  }

  const tracer = deps.tracer ?? coreTracer();

  const sessions: SessionsApi = {
    /** {@link createSession} inside an `aegis.session.create` span (the parent of its first turn). */
    create(input: CreateSessionInput, actor: Actor = LOCAL): Promise<CreateSessionResult> {
      return tracer.startActiveSpan('aegis.session.create', async (span) => {
        try {
          const result = await createSession(input, actor);
          span.setAttributes({
            [TraceAttr.sessionId]: result.session.id,
            [TraceAttr.agent]: result.session.agent,
            [TraceAttr.reused]: result.reused,
          });
          return result;
        } catch (err) {
          span.recordException(err as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
          throw err;
        } finally {
          span.end();
        }
      });
    },

    async startsNew(input: CreateSessionInput, actor: Actor = LOCAL, claimed = new Set<string>()) {
      let workDir: string;
      let sandbox: Session['sandbox'];
      try {
        workDir = options.resolveWorkDir ? await options.resolveWorkDir(input.workDir) : input.workDir;
        sandbox = await sandboxOf(input.sandbox);
      } catch {
        return false;
      }
      if (input.reuse === false) return true;
      // A create for the same owner and folder is starting a session that will be idle: this one
      // waits for it and reuses it.
      const key = reuseKey(workDir, input, actor);
      if (key && quietStarts.has(key)) return false;
      for (const s of live.values()) {
        if (!claimed.has(s.session.id) && reusable(s.session, workDir, input, actor, sandbox)) {
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

    async prompt(id: string, text: string, actor: Actor = LOCAL): Promise<PromptDelivery> {
      const session = await requireLive(id, actor);
      refuseWhileStoreFails();
      await ctx.keyBudgets?.prime(session.session.ownerId);
      session.assertPromptAllowed();
      if (session.dormant) checkRoom(session);
      return { ...session.enqueuePrompt(text) };
    },

    async respondPermission(
      id: string,
      answer: PermissionAnswer,
      actor: Actor = LOCAL,
    ): Promise<{ requestId: string; optionId: string; optionKind: string }> {
      const decidedBy: Decider = { type: 'human', actor: actor.id ?? 'local' };
      return (await requireLive(id, actor)).answerPermission(answer, decidedBy);
    },

    async interrupt(id: string, actor: Actor = LOCAL) {
      return (await requireLive(id, actor)).interrupt();
    },

    async answerQuestion(id: string, reply: QuestionReply, actor: Actor = LOCAL) {
      const decidedBy: Decider = { type: 'human', actor: actor.id ?? 'local' };
      return (await requireLive(id, actor)).answerQuestion(reply, decidedBy);
    },

    async escape(id: string, actor: Actor = LOCAL) {
      const decidedBy: Decider = { type: 'human', actor: actor.id ?? 'local', rule: 'escape' };
      return (await requireLive(id, actor)).escape(decidedBy);
    },

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

    async liveness(id: string, actor: Actor = LOCAL): Promise<{ alive: boolean; inactiveMs: number | null }> {
      await getSession(id, actor);
      const running = live.get(id);
      return {
        alive: running?.alive ?? false,
        inactiveMs: running ? Date.now() - running.lastEventAt : null,
      };
    },

    async setBudget(id: string, budget: Budget | null, actor: Actor = LOCAL): Promise<Session> {
      const s = await requireLive(id, actor);
      await s.setBudget(budgetOf(budget), actor.id);
      return s.snapshot();
    },

    async setMode(id: string, mode: PermissionMode, actor: Actor = LOCAL): Promise<Session> {
      const s = await requireLive(id, actor);
      assertModeAllowed(mode, actor);
      await s.setMode(mode);
      return s.snapshot();
    },

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

    async events(id: string, opts: { after?: number; limit?: number } = {}, actor: Actor = LOCAL) {
      await getSession(id, actor);
      return options.store.listEvents({ sessionId: id, after: opts.after ?? 0, limit: opts.limit ?? 1000 });
    },
  };
  return sessions;
}
