import type { ClusterNode, ClusterStore } from './cluster-store.js';
import { AegisError } from './errors.js';
import { EventHub } from './event-hub.js';
import type { LiveSession } from './live-session.js';
import type { PipelineRecord } from './orchestration/resource-store.js';
import { type RecoveryContext, takeOn } from './recovery.js';
import type { Session } from './schemas.js';

export interface ClusterOptions {
  /** This node's id: stable across restarts, so a restarted node takes its own sessions back at once. */
  nodeId: string;
  /** Where the other nodes reach this one (`http://host:port`); read when the node joins. */
  address: string | (() => string);
  /**
   * How long a node's hold on its sessions lasts without a heartbeat. When it runs out (the node
   * died, hangs or is cut off) another node adopts them. Default 30 000.
   */
  leaseMs?: number | undefined;
  /** Heartbeat (and lease renewal) period. Default a third of the lease. */
  heartbeatMs?: number | undefined;
  /** How often adoptable sessions are looked for. Default 2 000 (at most the heartbeat). */
  adoptIntervalMs?: number | undefined;
  /** Events other nodes store are read at least this often, besides the NOTIFY hints. Default 1 000. */
  pollMs?: number | undefined;
  /**
   * Why this node cannot take `session` on (e.g. its workDir does not exist here), or `null`.
   * Default: the workDir is checked by the engine's `resolveWorkDir`.
   */
  cannotAdopt?: ((session: Session) => Promise<string | null>) | undefined;
  /** Reported in the node's row (`GET /v1/nodes`). */
  version?: string | undefined;
}

export interface ClusterContext extends RecoveryContext {
  cluster: ClusterStore;
  onError: (err: unknown, context: string) => void;
  /** This node's load, reported in each heartbeat. */
  load: () => { capacity: number; resident: number; dormant: number; busy: number };
  resume: () => boolean;
  /** The engine's workDir check: a session whose workDir it refuses is not adopted here. */
  resolveWorkDir?: ((workDir: string) => Promise<string>) | undefined;
}

/**
 * This node's part in a cluster of Aegis servers sharing one database (see `cluster-store.ts` for
 * the model): it joins, heartbeats (renewing its leases), adopts sessions whose owner's lease ran
 * out, stops the agents of sessions another node took over, and tails the shared event log so
 * streams on this node see every node's events, in the log's commit order.
 */
export function createClusterNode(ctx: ClusterContext, options: ClusterOptions) {
  const { cluster, live, onError } = ctx;
  const nodeId = options.nodeId;
  const leaseMs = options.leaseMs ?? 30_000;
  const heartbeatMs = options.heartbeatMs ?? Math.max(50, Math.floor(leaseMs / 3));
  const adoptMs = options.adoptIntervalMs ?? Math.min(2_000, heartbeatMs);
  const pollMs = options.pollMs ?? 1_000;
  /** Every node's events, in global id order, read from the store (streams subscribe here). */
  const feed = new EventHub();
  let state: 'active' | 'draining' = 'active';
  let stopped = false;
  let cursor = 0;
  const timers: NodeJS.Timeout[] = [];
  const report = () => {
    const { capacity, resident, dormant, busy } = ctx.load();
    return { capacity, info: { resident, dormant, busy, version: options.version ?? null } };
  };
  const cannotAdopt =
    options.cannotAdopt ??
    (async (s: Session): Promise<string | null> => {
      if (!ctx.resolveWorkDir) return null;
      try {
        await ctx.resolveWorkDir(s.workDir);
        return null;
      } catch (err) {
        return `its workDir ${s.workDir} is not usable here (${(err as Error).message}); failover needs the workDir at the same path on every node (a shared volume or a checkout step)`;
      }
    });
  /** Goes on with pipelines this node took over (set by the engine once its pipeline service exists). */
  let pipelines: { adopt(records: PipelineRecord[]): void } | null = null;
  async function claimPipelines(own: boolean): Promise<void> {
    if (!pipelines || state !== 'active' || stopped) return;
    const records = await cluster.claimPipelines(own ? 1_000 : 20, { own });
    if (records.length > 0) pipelines.adopt(records);
  }
  /** Sessions being taken on here, so two paths (the loop and a request) do not race for one. */
  const adopting = new Map<string, Promise<LiveSession | null>>();

  function lose(id: string, why: string): void {
    const s = live.get(id);
    if (!s) return;
    live.delete(id);
    s.abandon(why).catch((err) => onError(err, `stopping the agent of session ${id}, taken over elsewhere`));
  }

  async function heartbeat(): Promise<void> {
    const { capacity, info } = report();
    const { lost } = await cluster.heartbeat({ state, capacity, info });
    for (const id of lost) {
      lose(id, `another node took session ${id} over after this node's lease on it ran out`);
    }
  }

  async function adoptOne(stored: Session, how: string): Promise<LiveSession | null> {
    const running = adopting.get(stored.id);
    if (running) return running;
    const work = (async () => {
      const refusal = await cannotAdopt(stored);
      if (refusal) {
        await cluster
          .noteUnadoptable(stored.id, {
            code: 'NOT_ADOPTABLE',
            message: `Node ${nodeId} cannot adopt it: ${refusal}`,
          })
          .catch(() => {});
        return null;
      }
      const claimed = await cluster.claim(stored.id);
      if (!claimed) return null;
      const from = claimed.fromNode;
      const why = from
        ? `Node ${from}, which ran this session, ${how}; node ${nodeId} adopted it.`
        : `Node ${nodeId} adopted this session, which no node held.`;
      await takeOn(
        ctx,
        { ...claimed.session, node: nodeId },
        {
          resume: ctx.resume(),
          why,
          adopted: { fromNode: from, node: nodeId },
        },
      );
      return live.get(stored.id) ?? null;
    })().finally(() => adopting.delete(stored.id));
    adopting.set(stored.id, work);
    return work;
  }

  async function adoptLoop(): Promise<void> {
    if (state !== 'active') return;
    const candidates = await cluster.adoptable(20);
    for (const s of candidates) {
      if (live.has(s.id)) continue;
      await adoptOne(s, 'stopped answering (its lease ran out)').catch((err) =>
        onError(err, `adopting session ${s.id}`),
      );
    }
    await claimPipelines(false);
  }

  let reading: Promise<void> | null = null;
  let again = false;
  /** Reads the log past the cursor and hands it to the feed; one reader at a time. */
  function readLog(): Promise<void> {
    if (reading) {
      again = true;
      return reading;
    }
    reading = (async () => {
      do {
        again = false;
        for (;;) {
          const page = await ctx.store.listEvents({ after: cursor, limit: 500 });
          if (page.length === 0) break;
          cursor = page[page.length - 1]?.id ?? cursor;
          feed.publish(page);
          if (page.length < 500) break;
        }
      } while (again && !stopped);
    })()
      .catch((err) => onError(err, 'reading events stored by other nodes'))
      .finally(() => {
        reading = null;
      });
    return reading;
  }

  function every(ms: number, fn: () => Promise<void>, what: string): void {
    let busy = false;
    const t = setInterval(() => {
      if (busy || stopped) return;
      busy = true;
      fn()
        .catch((err) => onError(err, what))
        .finally(() => {
          busy = false;
        });
    }, ms);
    t.unref();
    timers.push(t);
  }

  return {
    nodeId,
    leaseMs,
    feed,
    get state() {
      return state;
    },

    /**
     * Joins: registers the node, takes back (dormant) the sessions a previous process under this id
     * owned, starts the heartbeat, the adoption loop and the log tail.
     */
    async start(): Promise<{ dormant: string[]; crashed: string[] }> {
      const { capacity, info } = report();
      const address = typeof options.address === 'function' ? options.address() : options.address;
      await cluster.join({ id: nodeId, address, capacity, info }, { leaseMs });
      cursor = await cluster.headEventId();
      const dormant: string[] = [];
      const crashed: string[] = [];
      for (const claimed of await cluster.reclaimOwn()) {
        if (live.has(claimed.session.id)) continue;
        const outcome = await takeOn(ctx, claimed.session, {
          resume: ctx.resume(),
          why: `Aegis on node ${nodeId} stopped without a shutdown while this session was live; its agent process went with it.`,
        });
        (outcome === 'crashed' ? crashed : dormant).push(claimed.session.id);
      }
      cluster.onLost((id) => lose(id, `another node took session ${id} over; this node's write was refused`));
      cluster.onEventsHint(() => void readLog());
      every(heartbeatMs, heartbeat, 'cluster heartbeat');
      every(adoptMs, adoptLoop, 'adopting sessions of nodes that stopped');
      every(pollMs, readLog, 'reading the shared event log');
      await adoptLoop().catch((err) => onError(err, 'adopting sessions of nodes that stopped'));
      await claimPipelines(true).catch((err) => onError(err, 'taking back this node’s pipelines'));
      return { dormant, crashed };
    },

    /**
     * For a request about a session this node does not run: takes it on when nobody holds it (its
     * owner's lease ran out); otherwise says where it lives (`SESSION_ELSEWHERE`, which the server
     * forwards).
     */
    async locate(stored: Session): Promise<LiveSession> {
      const here = live.get(stored.id) ?? (await adopting.get(stored.id));
      if (here) return here;
      let owner = await cluster.owner(stored.id);
      if (owner && !owner.leased && state === 'active') {
        const adopted = await adoptOne(stored, 'stopped answering (its lease ran out)');
        if (adopted) return adopted;
        // Another node got there first (or this one may not take it): ask again who holds it.
        owner = await cluster.owner(stored.id);
      }
      if (owner?.node === nodeId) {
        const mine = live.get(stored.id) ?? (await adopting.get(stored.id));
        if (mine) return mine;
      }
      throw elsewhere(stored.id, owner?.node ?? null, owner?.address ?? null, owner?.leased ?? false);
    },

    /** A live node with room for one more agent, other than this one (most room first). */
    async nodeWithRoom(): Promise<ClusterNode | undefined> {
      const nodes = await cluster.nodes();
      return nodes
        .filter((n) => n.id !== nodeId && n.alive && n.state === 'active')
        .map((n) => ({ n, room: n.capacity - Number(n.info.resident ?? 0) }))
        .filter((x) => x.room > 0)
        .sort((a, b) => b.room - a.room)[0]?.n;
    },

    async nodes(): Promise<ClusterNode[]> {
      return cluster.nodes();
    },

    /** Stops taking new sessions (they are placed on other nodes); the heartbeat says so. */
    async drain(): Promise<void> {
      state = 'draining';
      await heartbeat().catch((err) => onError(err, 'cluster heartbeat'));
      // Its pipelines go on elsewhere at once (their next write from here is refused, so this node
      // starts no more of their stages).
      await cluster.releasePipelines().catch((err) => onError(err, 'releasing pipelines'));
    },

    /** The engine's pipeline service: pipelines of nodes that stopped go on here. */
    runPipelines(service: { adopt(records: PipelineRecord[]): void }): void {
      pipelines = service;
    },

    /** Stops the loops, gives every session and pipeline up for adoption and marks the node gone. */
    async stop(): Promise<void> {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await cluster.release().catch((err) => onError(err, 'releasing sessions'));
      await cluster.releasePipelines().catch((err) => onError(err, 'releasing pipelines'));
      await cluster.leave().catch((err) => onError(err, 'leaving the cluster'));
    },
  };
}

export type ClusterNodeRuntime = ReturnType<typeof createClusterNode>;

/** `SESSION_ELSEWHERE` (421): the server forwards the request to `address`. */
export function elsewhere(
  sessionId: string | null,
  node: string | null,
  address: string | null,
  leased = true,
) {
  return new AegisError(
    'SESSION_ELSEWHERE',
    node
      ? `${sessionId ? `Session ${sessionId}` : 'This request'} is handled by node ${node}${address ? ` (${address})` : ''}.`
      : `Session ${sessionId} is being taken over by another node; retry in a moment.`,
    { details: { sessionId, node, address, leased } },
  );
}
