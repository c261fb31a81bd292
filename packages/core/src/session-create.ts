import { assertSessionEnv } from './agent-env-rules.js';
import type { Budget } from './budget.js';
import { type ClusterNodeRuntime, elsewhere } from './cluster.js';
import type { AgentDriver } from './driver.js';
import { AegisError } from './errors.js';
import type { KeyBudgets } from './key-budgets.js';
import { LiveSession, type LiveSessionDeps } from './live-session.js';
import {
  isTerminal,
  type PermissionMode,
  type SandboxRequest,
  type Session,
  SessionSandbox,
} from './schemas.js';
import { placeElsewhere, reusable, reusableElsewhere, reuseKey } from './session-placement.js';
import { newSession } from './session-record.js';
import type { Actor, CreateSessionInput, CreateSessionResult } from './sessions-api-types.js';
import type { AegisStore } from './store.js';

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

/** What creating a session needs from the rest of the sessions API. */
export interface SessionCreateHelpers {
  getSession(id: string, actor: Actor): Promise<Session>;
  assertModeAllowed(mode: PermissionMode, actor: Actor): void;
  budgetOf(budget: Budget | null | undefined): Budget | null;
}

/**
 * `sessions.create` (start, or reuse an idle session of the same owner in the same folder) and
 * `sessions.startsNew` (whether a create would start an agent), over the engine's live sessions.
 */
export function createSessionStarter(ctx: SessionsApiContext, helpers: SessionCreateHelpers) {
  const { options, live, deps, now, cluster, refuseWhileStoreFails, closing } = ctx;
  const { checkRoom, makeRoom } = ctx.capacity;
  const { getSession, assertModeAllowed, budgetOf } = helpers;

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

  /** Creates that would reuse each other's session, keyed by owner and folder, while one starts. */
  const starts = new Map<string, Promise<void>>();
  /** Keys of `starts` whose create brings no prompt: the session will be idle, and reused by the waiters. */
  const quietStarts = new Set<string>();

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
        const promptDelivery = input.prompt ? { ...(await s.enqueuePrompt(input.prompt)) } : null;
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
          envNames: Object.keys(input.env ?? {}),
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
    const promptDelivery = input.prompt ? await session.enqueuePrompt(input.prompt) : null;
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

  async function startsNew(input: CreateSessionInput, actor: Actor = LOCAL, claimed = new Set<string>()) {
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
  }

  return { createSession, startsNew };
}
