import type { PipelineRecord } from './orchestration/resource-store.js';
import type { Session } from './schemas.js';

/**
 * Several Aegis nodes sharing one database. A store that can be shared (PostgreSQL) offers this;
 * the engine drives it (see `cluster.ts`). The model:
 *
 * - Each node registers (`join`) and heartbeats its row; the heartbeat also renews the lease of
 *   every session the node owns, in one statement.
 * - A session is owned by one node at a time: `owner_node`, `lease_until` and a fencing
 *   `owner_epoch`, bumped on every takeover. Once joined, every write the store makes for a session
 *   is conditional on the epoch this node holds; a write for a session another node took over
 *   fails `LEASE_LOST` and nothing of its batch is written.
 * - A node adopts sessions whose lease ran out (their node died or was cut off) with a conditional
 *   update, so two nodes racing for one session get one winner.
 * - Lease times come from the database's clock, so nodes with skewed clocks agree on them.
 * - Pipelines are run (their stages started) by one node at a time, under the same kind of lease,
 *   renewed by the heartbeat; a pipeline's writes from a node that lost it are refused.
 */
export interface ClusterStore {
  /** Registers this node (or re-registers it after a restart) and turns fencing on. */
  join(node: ClusterNodeInput, opts: { leaseMs: number }): Promise<void>;
  /**
   * Sessions this node owned under its id before it (re)started: claimed again with a new epoch,
   * so writes of a previous process under the same id are fenced off.
   */
  reclaimOwn(): Promise<ClaimedSession[]>;
  /**
   * Moves the heartbeat and renews the lease of every session this node owns. Resolves with the
   * sessions this node thought it owned but does not any more (another node adopted them).
   */
  heartbeat(report: NodeReport): Promise<{ lost: string[] }>;
  /** Up to `limit` sessions that are not ended and whose owner's lease ran out (or that have none). */
  adoptable(limit: number): Promise<Session[]>;
  /**
   * Takes a session over when it is still adoptable (unowned, or its lease ran out); `null` when
   * another node holds it or got there first.
   */
  claim(sessionId: string): Promise<ClaimedSession | null>;
  /** Who owns a session; `undefined` when there is no such session. */
  owner(sessionId: string): Promise<SessionOwner | undefined>;
  /**
   * Gives sessions up (all this node owns when no ids are given): unowned, another node may adopt
   * them at once. Their later writes from here are fenced.
   */
  release(sessionIds?: readonly string[]): Promise<void>;
  /** Whether this node holds the session (as far as it knows). */
  owns(sessionId: string): boolean;
  /** Told when a write was refused because another node took the session over. */
  onLost(listener: (sessionId: string) => void): () => void;
  /** Told (as a hint, possibly late or dropped) when another node may have stored events. */
  onEventsHint(listener: () => void): () => void;
  /** The global event id stored last (where a node's tail of the log starts). */
  headEventId(): Promise<number>;
  nodes(): Promise<ClusterNode[]>;
  /** Sessions per node that are not ended (owned, dormant or not). */
  sessionCounts(): Promise<Record<string, number>>;
  /** Marks this node gone; its heartbeats stop. */
  leave(): Promise<void>;
  /** Records why a session cannot be adopted here (its workDir is missing), without taking it. */
  noteUnadoptable(sessionId: string, problem: { code: string; message: string }): Promise<void>;
  /**
   * Running pipelines whose runner's hold ran out (or that have none) — with `own`, also those
   * this node id ran before it restarted — taken over by this node, up to `limit`.
   */
  claimPipelines(limit: number, opts?: { own?: boolean }): Promise<PipelineRecord[]>;
  /** Gives up the pipelines this node runs (a clean stop): another node takes them on at once. */
  releasePipelines(): Promise<void>;
  /**
   * Counts one request of `key` in the current fixed window of `windowMs`, across every node:
   * the count so far (this one included) and the milliseconds until the window ends.
   */
  countRequest(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  /** A secret every node of the cluster shares, to sign the requests they forward to each other. */
  forwardingSecret(): Promise<string>;
  /**
   * Takes or renews the cluster-wide lease `name` for `ms` (the database's clock): work one node at
   * a time does for the whole cluster, such as `channels` (the Telegram poller and the outbox's
   * delivery). It is taken when nobody holds it or its holder's lease ran out (`epoch` + 1); the
   * holder renews it by calling again well within `ms`. Resolves with who holds it now.
   */
  holdLease(name: string, ms: number): Promise<ClusterLease>;
  /** Gives the lease up if this node holds it (a clean stop): another node may take it at once. */
  releaseLease(name: string): Promise<void>;
}

/** Who holds a cluster-wide lease (see {@link ClusterStore.holdLease}). */
export interface ClusterLease {
  /** This node holds it now. */
  held: boolean;
  holder: string | null;
  /** Bumped each time another node takes the lease. */
  epoch: number;
  /** ISO time the holder's lease runs out (the database's clock). */
  until: string | null;
}

export interface ClusterNodeInput {
  id: string;
  /** Where peers reach it, `http://host:port`. */
  address: string;
  /** Agent processes it may run at once. */
  capacity: number;
  info: Record<string, unknown>;
}

export interface NodeReport {
  state: 'active' | 'draining';
  capacity: number;
  info: Record<string, unknown>;
}

export interface ClaimedSession {
  session: Session;
  /** The node that held it before (`null`: nobody). */
  fromNode: string | null;
  epoch: number;
}

export interface SessionOwner {
  node: string | null;
  address: string | null;
  epoch: number;
  /** The lease still runs: the owner is taken to be alive. */
  leased: boolean;
  status: Session['status'];
}

export interface ClusterNode {
  id: string;
  address: string;
  capacity: number;
  state: 'active' | 'draining' | 'gone';
  startedAt: string | null;
  heartbeatAt: string;
  /** Milliseconds since its last heartbeat, by the database's clock. */
  heartbeatAgeMs: number;
  /** Heartbeat within the lease: the node is taken to be alive. */
  alive: boolean;
  info: Record<string, unknown>;
}
