import pg from 'pg';
import type {
  ClaimedSession,
  ClusterNode,
  ClusterNodeInput,
  ClusterStore,
  NodeReport,
  SessionOwner,
} from '../cluster-store.js';
import type { PipelineStore } from '../orchestration/resource-store.js';
import { type Session, TERMINAL_STATUSES } from '../schemas.js';
import type { ConversationStore } from '../store.js';
import { createPgClusterShared, joinedNode } from './cluster-shared.js';
import { free, LIVE, LIVE_SESSION_SQL } from './cluster-sql.js';
import { type FenceState, iso, leaseEnd, leaseLost, markLost } from './fence.js';

const NOW = iso('clock_timestamp()');
const ENDED = [...TERMINAL_STATUSES];
/** Channel of the "events stored" hints, one per schema (schemas of one database do not cross-talk). */
export const eventsChannel = (schema: string) => `aegis_events_${schema}`;

interface ClaimRow {
  data: Session;
  owner_epoch: number;
  from_node: string | null;
}

/**
 * The PostgreSQL side of {@link ClusterStore}. The `LISTEN` connection is a client of its own (never
 * from the pool, never through a transaction-pooling proxy); when it breaks it is opened again, and
 * the engine's poll covers what was missed meanwhile.
 */
export function createPgCluster(opts: {
  pool: pg.Pool;
  url: string;
  schema: string;
  isClosed: () => boolean;
}) {
  const { pool } = opts;
  const lostListeners = new Set<(sessionId: string) => void>();
  /** Ownership once the store joined a cluster: every write is fenced by it. */
  const state: FenceState = {
    node: null,
    leaseMs: 30_000,
    owned: new Map(),
    lost: new Set(),
    onFenced: (id) => {
      for (const l of lostListeners) l(id);
    },
  };
  /**
   * Other nodes learn that events were stored through a NOTIFY hint (they then read the log). At
   * most one per 20 ms: NOTIFY serialises committing transactions, so a busy node sends tens per
   * second, not one per event. Only once the store joined a cluster.
   */
  let hintTimer: NodeJS.Timeout | undefined;
  let lastHint = 0;
  const sendHint = () => {
    hintTimer = undefined;
    lastHint = Date.now();
    pool.query('select pg_notify($1, $2)', [eventsChannel(opts.schema), '']).catch(() => {});
  };
  const hintListeners = new Set<() => void>();
  const shared = createPgClusterShared(pool, state);
  let listener: pg.Client | null = null;
  let listening = false;
  let reconnect: NodeJS.Timeout | undefined;

  const me = () => joinedNode(state);

  async function listen(): Promise<void> {
    if (listening || opts.isClosed()) return;
    listening = true;
    const client = new pg.Client({ connectionString: opts.url, application_name: 'aegis-listen' });
    client.on('error', () => {});
    client.on('notification', () => {
      for (const l of hintListeners) l();
    });
    client.on('end', () => {
      if (listener !== client) return;
      listener = null;
      listening = false;
      if (!opts.isClosed() && hintListeners.size > 0) {
        reconnect = setTimeout(() => void listen().catch(() => {}), 1_000);
        reconnect.unref();
      }
    });
    try {
      await client.connect();
      await client.query(`listen "${eventsChannel(opts.schema)}"`);
      listener = client;
      // Whatever was stored while not listening is found by the reader now.
      for (const l of hintListeners) l();
    } catch {
      listening = false;
      await client.end().catch(() => {});
      if (!opts.isClosed()) {
        reconnect = setTimeout(() => void listen().catch(() => {}), 1_000);
        reconnect.unref();
      }
    }
  }

  function toClaimed(r: ClaimRow): ClaimedSession {
    state.owned.set(r.data.id, r.owner_epoch);
    state.lost.delete(r.data.id);
    return { session: r.data, fromNode: r.from_node, epoch: r.owner_epoch };
  }

  const cluster: ClusterStore = {
    async join(node: ClusterNodeInput, joinOpts) {
      state.node = node.id;
      state.leaseMs = joinOpts.leaseMs;
      await pool.query(
        `insert into "nodes" ("id", "address", "capacity", "heartbeat_at", "state", "started_at", "info")
         values ($1, $2, $3, ${NOW}, 'active', ${NOW}, $4::json)
         on conflict ("id") do update set "address" = excluded."address", "capacity" = excluded."capacity",
           "heartbeat_at" = excluded."heartbeat_at", "state" = 'active', "started_at" = excluded."started_at",
           "info" = excluded."info"`,
        [node.id, node.address, node.capacity, JSON.stringify(node.info)],
      );
    },

    async reclaimOwn() {
      const { rows } = await pool.query<ClaimRow>(LIVE_SESSION_SQL.reclaimOwn, [LIVE, me(), state.leaseMs]);
      return rows.map(toClaimed);
    },

    async heartbeat(report: NodeReport) {
      const node = me();
      await pool.query(
        `update "nodes" set "heartbeat_at" = ${NOW}, "state" = $2, "capacity" = $3, "info" = $4::json where "id" = $1`,
        [node, report.state, report.capacity, JSON.stringify(report.info)],
      );
      const { rows } = await pool.query<{ id: string; owner_epoch: number }>(LIVE_SESSION_SQL.renewLeases, [
        LIVE,
        node,
        state.leaseMs,
      ]);
      await shared.renewPipelines();
      const held = new Map(rows.map((r) => [r.id, r.owner_epoch]));
      const lost: string[] = [];
      const unsure = [...state.owned].filter(([id, epoch]) => held.get(id) !== epoch).map(([id]) => id);
      if (unsure.length > 0) {
        // Not renewed: ended (still ours), or taken over (lost).
        const check = await pool.query<{
          id: string;
          owner_node: string | null;
          owner_epoch: number;
          status: string;
        }>(
          'select "id", "owner_node", "owner_epoch", "status" from "sessions" where "id" = any($1::text[])',
          [unsure],
        );
        const rowsById = new Map(check.rows.map((r) => [r.id, r]));
        for (const id of unsure) {
          const r = rowsById.get(id);
          if (!r) continue; // not stored yet (its first write is in flight)
          if (r.owner_node === node && r.owner_epoch === state.owned.get(id)) {
            // Ended: nothing more to hold (a late write for it is refused like any other).
            if (ENDED.includes(r.status as Session['status'])) state.owned.delete(id);
            continue;
          }
          state.owned.delete(id);
          markLost(state, id);
          lost.push(id);
        }
      }
      return { lost };
    },

    async adoptable(limit) {
      const { rows } = await pool.query<{ data: Session }>(LIVE_SESSION_SQL.adoptable, [LIVE, me(), limit]);
      return rows.map((r) => r.data);
    },

    async claim(sessionId) {
      // A bound on the row lock: a node paused inside a write holds it, and adoption must not hang on it.
      const client = await pool.connect();
      let rows: ClaimRow[];
      try {
        await client.query('begin; set local lock_timeout = 2000');
        rows = (
          await client.query<ClaimRow>(
            `with prev as (select "id", "owner_node" from "sessions" where "id" = $3)
         update "sessions" s set "owner_node" = $2, "owner_epoch" = s."owner_epoch" + 1,
           "lease_until" = ${leaseEnd('$4')}
         from prev where s."id" = prev."id" and ${free('s.')}
         returning s."data", s."owner_epoch", prev."owner_node" as "from_node"`,
            [LIVE, me(), sessionId, state.leaseMs],
          )
        ).rows;
        await client.query('commit');
      } catch (err) {
        await client.query('rollback').catch(() => {});
        if ((err as { code?: string }).code === '55P03') return null; // locked: try again next round
        throw err;
      } finally {
        client.release();
      }
      const row = rows[0];
      return row ? toClaimed(row) : null;
    },

    async owner(sessionId): Promise<SessionOwner | undefined> {
      const { rows } = await pool.query<{
        owner_node: string | null;
        owner_epoch: number;
        status: Session['status'];
        leased: boolean;
        address: string | null;
      }>(
        `select s."owner_node", s."owner_epoch", s."status", n."address",
           (s."lease_until" is not null and s."lease_until"::timestamptz >= clock_timestamp()) as "leased"
         from "sessions" s left join "nodes" n on n."id" = s."owner_node" where s."id" = $1`,
        [sessionId],
      );
      const r = rows[0];
      if (!r) return undefined;
      return {
        node: r.owner_node,
        address: r.address,
        epoch: r.owner_epoch,
        leased: r.owner_node !== null && r.leased,
        status: r.status,
      };
    },

    async release(sessionIds) {
      const node = me();
      const ids = sessionIds ? [...sessionIds] : [...state.owned.keys()];
      for (const id of ids) {
        state.owned.delete(id);
        markLost(state, id);
      }
      if (ids.length === 0) return;
      await pool.query(
        `update "sessions" set "owner_node" = null, "lease_until" = null
         where "owner_node" = $1 and "id" = any($2::text[])`,
        [node, ids],
      );
    },

    owns(sessionId) {
      return state.owned.has(sessionId);
    },

    onLost(l) {
      lostListeners.add(l);
      return () => lostListeners.delete(l);
    },

    onEventsHint(l) {
      hintListeners.add(l);
      void listen().catch(() => {});
      return () => {
        hintListeners.delete(l);
      };
    },

    async headEventId() {
      const { rows } = await pool.query<{ id: string | null }>('select max("id") as "id" from "events"');
      return Number(rows[0]?.id ?? 0);
    },

    async nodes(): Promise<ClusterNode[]> {
      const { rows } = await pool.query<{
        id: string;
        address: string;
        capacity: number;
        state: ClusterNode['state'];
        started_at: string | null;
        heartbeat_at: string;
        info: Record<string, unknown> | null;
        age_ms: number;
      }>(
        `select "id", "address", "capacity", "state", "started_at", "heartbeat_at", "info",
           (extract(epoch from clock_timestamp() - "heartbeat_at"::timestamptz) * 1000)::float8 as "age_ms"
         from "nodes" order by "id"`,
      );
      return rows.map((r) => ({
        id: r.id,
        address: r.address,
        capacity: r.capacity,
        state: r.state,
        startedAt: r.started_at,
        heartbeatAt: r.heartbeat_at,
        heartbeatAgeMs: Math.max(0, Math.round(r.age_ms)),
        alive: r.state !== 'gone' && r.age_ms <= state.leaseMs,
        info: r.info ?? {},
      }));
    },

    async sessionCounts() {
      const { rows } = await pool.query<{ owner_node: string | null; n: number }>(
        LIVE_SESSION_SQL.liveByNode,
        [LIVE],
      );
      return Object.fromEntries(rows.map((r) => [r.owner_node ?? '', r.n]));
    },

    async leave() {
      if (!state.node) return;
      await pool.query(`update "nodes" set "state" = 'gone', "heartbeat_at" = ${NOW} where "id" = $1`, [
        state.node,
      ]);
    },

    claimPipelines: shared.claimPipelines,
    releasePipelines: shared.releasePipelines,
    countRequest: shared.countRequest,
    forwardingSecret: shared.forwardingSecret,

    holdLease: shared.holdLease,
    releaseLease: shared.releaseLease,

    async noteUnadoptable(sessionId, problem) {
      await pool.query(
        `update "sessions" set "data" = ("data"::jsonb || jsonb_build_object('problem', $2::jsonb))::json
         where "id" = $1 and ("data"::jsonb -> 'problem') is distinct from $2::jsonb`,
        [sessionId, JSON.stringify(problem)],
      );
    },
  };

  return {
    cluster,
    state,
    /** After a commit that appended events: tell the other nodes (throttled). */
    hint(): void {
      if (!state.node || hintTimer || opts.isClosed()) return;
      const wait = lastHint + 20 - Date.now();
      if (wait <= 0) sendHint();
      else hintTimer = setTimeout(sendHint, wait);
    },
    /** The conversation store, fenced like every other write: a node that lost a session must not replace its snapshot. */
    fenceConversations(
      store: ConversationStore,
      read: <T>(fn: () => Promise<T>) => Promise<T>,
    ): ConversationStore {
      const fenced = async (sessionId: string): Promise<void> => {
        const epoch = state.owned.get(sessionId);
        const { rows } = await read(() =>
          pool.query<{ owner_node: string | null; owner_epoch: number }>(
            'select "owner_node", "owner_epoch" from "sessions" where "id" = $1',
            [sessionId],
          ),
        );
        const row = rows[0];
        if (epoch === undefined || (row && (row.owner_node !== state.node || row.owner_epoch !== epoch))) {
          throw leaseLost(sessionId, row?.owner_node ?? null);
        }
      };
      const { append } = store;
      return {
        get: (sessionId) => store.get(sessionId),
        async put(sessionId, snapshot) {
          if (state.node) await fenced(sessionId);
          return store.put(sessionId, snapshot);
        },
        ...(append && {
          async append(sessionId, snapshot) {
            if (state.node) await fenced(sessionId);
            return append(sessionId, snapshot);
          },
        }),
      };
    },
    /** The pipeline store, fenced once joined: a pipeline another node took over is not written. */
    fencePipelines(store: PipelineStore, write: <T>(fn: () => Promise<T>) => Promise<T>): PipelineStore {
      return {
        ...store,
        put: (record) => (state.node ? write(() => shared.putPipeline(record)) : store.put(record)),
      };
    },
    async close(): Promise<void> {
      clearTimeout(hintTimer);
      clearTimeout(reconnect);
      hintListeners.clear();
      const l = listener;
      listener = null;
      await l?.end().catch(() => {});
    },
  };
}
