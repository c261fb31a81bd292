import type { TracerProvider } from '@opentelemetry/api';
import type { Budget, BudgetUse } from './budget.js';
import { type ClusterNodeRuntime, type ClusterOptions, createClusterNode } from './cluster.js';
import type { ClusterNode } from './cluster-store.js';
import type { AgentDriver } from './driver.js';
import { AegisError } from './errors.js';
import { EventHub, type EventListener } from './event-hub.js';
import type { AegisEvent } from './events.js';
import { KeyBudgets } from './key-budgets.js';
import type { LiveSession, LiveSessionDeps, PermissionPolicy } from './live-session.js';
import type { BatchService } from './orchestration/batch.js';
import { createOrchestration } from './orchestration/index.js';
import type { MemoryService } from './orchestration/memory.js';
import type { PipelineService } from './orchestration/pipelines.js';
import type { TemplateService } from './orchestration/templates.js';
import { recoverSessions } from './recovery.js';
import type { RoutineService } from './routines/service.js';
import type { PermissionMode, SandboxRequest, Session } from './schemas.js';
import { type AgentResidency, createCapacity } from './session-placement.js';
import { startSessionSweep } from './session-sweep.js';
import { createSessionsApi } from './sessions-api.js';
import type { Actor, SessionsApi } from './sessions-api-types.js';
import type { AegisStore } from './store.js';
import { createStoreGuard } from './store-guard.js';
import { coreTracer } from './tracing.js';
import type { PriceTable, UsageGroup, UsageQuery } from './usage.js';

export interface CreateAegisOptions {
  agent: AgentDriver;
  store: AegisStore;
  /** Decides permission requests before a human is asked. */
  policy?: PermissionPolicy | undefined;
  /** Resolves and checks a requested workDir; throws `WORKDIR_DENIED`. Default: accepts as given. */
  resolveWorkDir?: ((workDir: string) => Promise<string>) | undefined;
  /**
   * Decides a new session's sandbox from what it asked (`null`: unconfined); throws to refuse.
   * Default: sandboxed exactly when the request says so. The server applies its `sandbox.mode`.
   */
  resolveSandbox?: ((requested: SandboxRequest | undefined) => Promise<Session['sandbox']>) | undefined;
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
  /**
   * Prices per model (US dollars per million tokens) for turns whose agent reports no cost; a `*`
   * entry prices any other model. Without a price such turns are recorded with cost `null`.
   */
  prices?: PriceTable | undefined;
  /** The daily budget of an owner (API key id; `null`: the local user), if it has one. */
  keyBudget?: ((ownerId: string | null) => Budget | undefined) | undefined;
  /**
   * Where the engine's spans go (session create, turns, tool calls, waits on people). Default: the
   * global OpenTelemetry provider, a no-op unless an SDK was registered. A turn's span is a child
   * of the active context its prompt was sent in (`context.with(...)` around `sessions.prompt`).
   */
  tracerProvider?: TracerProvider | undefined;
}

/**
 * An Aegis engine, made by {@link createAegis}: sessions and what is built on them (templates,
 * memory, batches, pipelines), the event log and its live feed, recovery after a restart, the
 * cluster node, and shutdown.
 */
export interface Aegis {
  /** Create, prompt, answer, interrupt, read and kill sessions. */
  sessions: SessionsApi;
  /** Session templates (four built-ins plus your own); `resolve` turns `templateId` into session input. */
  templates: TemplateService;
  /** Key/value memory shared between sessions. */
  memory: MemoryService;
  /** Create or kill many sessions at once, with per-item results. */
  batch: BatchService;
  /** Stages of sessions run in dependency order. */
  pipelines: PipelineService;
  /** The usage ledger, grouped: an actor that is not an admin sees only its own sessions' turns. */
  usage: {
    query(query: UsageQuery, actor?: Actor): Promise<UsageGroup[]>;
    /** An owner's daily budget and today's use (`null`: it has no daily budget). */
    keyStanding(ownerId: string | null): Promise<{ budget: Budget; use: BudgetUse } | null>;
  };
  /** Sessions and pipelines started on a schedule; the server starts `routines.startScheduler()`. */
  routines: RoutineService;
  /** Global stored events after a global `id`. */
  events(opts?: { after?: number; limit?: number }): Promise<AegisEvent[]>;
  /**
   * Listens to events as they become durable. Returns an unsubscribe function. By default only
   * the events this process records; with `cluster: true`, on a cluster node, every node's
   * events, in the log's global id order (what streams to clients want).
   */
  subscribe(listener: EventListener, filter?: { sessionId?: string; cluster?: boolean }): () => void;
  /**
   * Deals with sessions a previous process left live (see {@link recoverSessions}): each one is
   * taken on dormant — no agent starts until its next prompt — or marked `crashed` saying why.
   * Call once at start-up, before serving requests.
   */
  recover(opts?: { resume?: boolean }): Promise<{ crashed: string[]; dormant: string[] }>;
  /** This node in a cluster (`null` on a single server). */
  readonly node: { id: string; state: 'active' | 'draining'; leaseMs: number } | null;
  /** The nodes sharing the store, with their health and load (`[]` on a single server). */
  nodes(): Promise<ClusterNode[]>;
  /** Sessions not ended per owner node (`''`: owned by none), on a cluster; `{}` otherwise. */
  nodeSessionCounts(): Promise<Record<string, number>>;
  /**
   * For a graceful stop of a cluster node: new sessions go to other nodes from now on; running
   * turns get up to `waitMs` to finish (the rest are cut off by `close()`, which then hands every
   * session over for adoption). Resolves with how many turns were still running at the bound.
   */
  drain(opts?: { waitMs?: number }): Promise<{ running: number }>;
  /** Number of sessions with an agent process (starting, up, or being evicted). */
  readonly liveCount: number;
  /** Agent processes against the limit, and sessions kept without one. */
  residency(): AgentResidency;
  /**
   * Stops every agent and closes the store. Sessions never end here: a running turn fails saying
   * the server shut down, waits are cancelled, and each session is left dormant — the next start
   * finds it and its next prompt resumes the conversation. Resolves with how many were suspended.
   */
  close(): Promise<{ suspended: number }>;
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
export function createAegis(options: CreateAegisOptions): Aegis {
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

  const keyBudgets = new KeyBudgets(options.store, options.keyBudget ?? (() => undefined), now);
  const deps: LiveSessionDeps = {
    tracer: coreTracer(options.tracerProvider),
    prices: options.prices,
    keyBudgets,
    onUsage: (row) => keyBudgets.add(row),
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

  const { residentCount, checkRoom, makeRoom, busyCount, residency } = createCapacity({
    live,
    maxResident,
    idleEvictMs,
  });
  const idleTimeoutMs = options.idleTimeoutMs ?? 0;
  const storeHoldMs = options.storeHoldMs ?? 60_000;
  const storeHoldBytes = options.storeHoldBytes ?? 64 * 1024 * 1024;

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
      'Running as a cluster node needs a store several nodes can share: use the PostgreSQL store (openPostgresStore from @aegis/core/pg).',
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

  // Sweep period (unless stallCheckIntervalMs): a quarter of the shortest bound it checks, 10 ms to 5 s.
  const shortest = Math.min(
    stallThresholdMs,
    (options.promptTimeoutMs ?? 0) || Number.POSITIVE_INFINITY,
    idleTimeoutMs || Number.POSITIVE_INFINITY,
    idleEvictMs || Number.POSITIVE_INFINITY,
    storeHoldMs,
  );
  const stallTimer = startSessionSweep({
    live,
    storeGuard,
    idleTimeoutMs,
    idleEvictMs,
    intervalMs: options.stallCheckIntervalMs ?? Math.min(5_000, Math.max(10, shortest / 4)),
    onError,
  });

  const sessions = createSessionsApi({
    options,
    live,
    deps,
    now,
    cluster,
    capacity: { checkRoom, makeRoom },
    refuseWhileStoreFails,
    closing: () => closing,
    keyBudgets,
  });

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
    templates: orchestration.templates,
    memory: orchestration.memory,
    batch: orchestration.batch,
    pipelines: orchestration.pipelines,
    usage: {
      query(query, actor = { id: null, admin: true }) {
        return options.store.usage.query(actor.admin ? query : { ...query, ownerId: actor.id });
      },
      async keyStanding(ownerId) {
        await keyBudgets.prime(ownerId);
        return keyBudgets.readingFor(ownerId);
      },
    },
    routines: orchestration.routines,
    async events(opts: { after?: number; limit?: number } = {}): Promise<AegisEvent[]> {
      return options.store.listEvents({ after: opts.after ?? 0, limit: opts.limit ?? 1000 });
    },
    subscribe(listener: EventListener, filter: { sessionId?: string; cluster?: boolean } = {}): () => void {
      if (filter.cluster && cluster) return cluster.feed.subscribe(listener, filter.sessionId);
      return hub.subscribe(listener, filter.sessionId);
    },
    recover(opts: { resume?: boolean } = {}): Promise<{ crashed: string[]; dormant: string[] }> {
      resumeOnStart = opts.resume !== false;
      // A cluster node takes back only its own sessions (others' are adopted once their lease runs out).
      if (cluster) return cluster.start();
      return recoverSessions({ store: options.store, driver: options.agent, live, deps, now }, opts);
    },
    get node(): { id: string; state: 'active' | 'draining'; leaseMs: number } | null {
      return cluster ? { id: cluster.nodeId, state: cluster.state, leaseMs: cluster.leaseMs } : null;
    },
    async nodes(): Promise<ClusterNode[]> {
      return cluster ? cluster.nodes() : [];
    },
    async nodeSessionCounts(): Promise<Record<string, number>> {
      return cluster ? (options.store.cluster?.sessionCounts() ?? {}) : {};
    },
    async drain(opts: { waitMs?: number } = {}): Promise<{ running: number }> {
      await cluster?.drain();
      const deadline = Date.now() + (opts.waitMs ?? 30_000);
      while (busyCount() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      return { running: busyCount() };
    },
    get liveCount(): number {
      return residentCount();
    },
    residency,
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
