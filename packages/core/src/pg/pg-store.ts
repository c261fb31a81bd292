import type pg from 'pg';
import type { ClusterStore } from '../cluster-store.js';
import type { AegisEvent } from '../events.js';
import type { Session } from '../schemas.js';
import { createWriteBatcher, type ItemOutcome } from '../sqlite/write-batcher.js';
import type {
  AegisStore,
  EventQuery,
  SessionQuery,
  StoreWrite,
  StoreWriteResult,
  TranscriptQuery,
} from '../store.js';
import type { TranscriptEntry, TranscriptRole } from '../transcript.js';
import { createPgCluster, fence, leaseEnd } from './cluster.js';
import { guarded } from './guard.js';
import { createPgIdempotencyStore } from './idempotency-store.js';
import {
  DEFAULT_PG_SCHEMA,
  LOCK_NAMESPACE,
  LOCKS,
  openPgDatabase,
  type PgOpenOptions,
} from './open-database.js';
import { createPgResourceStores } from './resource-stores.js';
import { createPgApiKeyStore, createPgAuditStore, createPgConversationStore } from './security-store.js';
import {
  callerError,
  closedError,
  isCallerError,
  isConnectionError,
  isTransientError,
  unavailable,
} from './store-errors.js';

export interface PostgresStoreOptions extends PgOpenOptions {
  /**
   * How long a write that is not held keeps retrying while the failure is transient (the
   * connection is lost or refused, a serialization failure), before it fails `STORE_UNAVAILABLE`.
   * Later writes queue behind it, in order. Default 10000.
   */
  retryMs?: number | undefined;
  /**
   * How long one write transaction waits for a lock held elsewhere (a table lock, another node's
   * append) before the attempt fails and is retried as transient. Default 5000.
   */
  lockTimeoutMs?: number | undefined;
  /** How long `close()` waits for held writes while the store still fails. Default 3000. */
  closeWaitMs?: number | undefined;
}

/** One batch turned into statement parameters (serialised before anything is sent). */
interface Rows {
  sessions: Session[];
  events: [sessionId: string, seq: number, at: string, type: string, data: string][];
  transcript: [sessionId: string, seq: number, at: string, role: string, body: string][];
  batch: StoreWrite;
}

function toRows(batch: StoreWrite): Rows {
  return {
    batch,
    sessions: batch.sessions ?? [],
    events: (batch.events ?? []).map((d) => [d.sessionId, d.seq, d.at, d.type, JSON.stringify(d.data)]),
    transcript: (batch.transcript ?? []).map((draft) => {
      const { sessionId, seq, at, role, ...body } = draft;
      return [sessionId, seq, at, role, JSON.stringify(body)];
    }),
  };
}

/** Rough bytes a write holds in memory while it waits (only computed while the store fails). */
function approximateSize(batch: StoreWrite): number {
  let bytes = 0;
  for (const e of batch.events ?? []) bytes += 120 + JSON.stringify(e.data).length;
  for (const t of batch.transcript ?? []) bytes += 120 + JSON.stringify(t).length;
  return bytes + (batch.sessions?.length ?? 0) * 2048;
}

const column = <T extends unknown[], K extends number>(rows: T[], k: K): T[K][] => rows.map((r) => r[k]);

// A row it inserts belongs to this node (`$8`, epoch 1, leased for `$9` ms) once the store joined
// a cluster; an update leaves ownership alone (the cluster code moves it).
const UPSERT_SESSIONS = `insert into "sessions" ("id", "owner_id", "work_dir", "status", "created_at", "updated_at", "data",
    "owner_node", "owner_epoch", "lease_until")
  select u.id, u.owner_id, u.work_dir, u.status, u.created_at, u.updated_at, u.data::json,
    $8::text, case when $8::text is null then 0 else 1 end,
    case when $8::text is null then null else ${leaseEnd('$9')} end
  from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
    as u(id, owner_id, work_dir, status, created_at, updated_at, data)
  on conflict ("id") do update set "owner_id" = excluded."owner_id", "work_dir" = excluded."work_dir",
    "status" = excluded."status", "created_at" = excluded."created_at",
    "updated_at" = excluded."updated_at", "data" = excluded."data"`;

// RETURNING yields the rows in the order the SELECT produced them, i.e. array order, so the i-th id
// belongs to the i-th draft.
const INSERT_EVENTS = `insert into "events" ("session_id", "seq", "at", "type", "data")
  select u.session_id, u.seq, u.at, u.type, u.data::json
  from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[]) as u(session_id, seq, at, type, data)
  returning "id"`;

const INSERT_TRANSCRIPT = `insert into "transcript_entries" ("session_id", "seq", "at", "role", "body")
  select u.session_id, u.seq, u.at, u.role, u.body::json
  from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[]) as u(session_id, seq, at, role, body)
  returning "id"`;

/**
 * Global ids commit in id order. The event log's `id` is the cursor of the global stream
 * (`listEvents` without `sessionId`, `/v1/events`). A plain identity column is not a safe cursor
 * once several connections (or nodes) write: transaction A takes id 103, B takes 104 and commits
 * first; a reader paging `id > cursor` sees 104, moves its cursor past 103, and never sees A's row.
 *
 * So every transaction that appends events or transcript entries first takes a transaction-level
 * advisory lock (`pg_advisory_xact_lock`, one per schema) and only then draws ids. The lock is held
 * until the transaction ends, and PostgreSQL makes a commit visible before it releases the
 * transaction's locks; so the next writer draws larger ids and its commit becomes visible after the
 * previous one. Ids therefore become visible in increasing order: a reader that has seen id N has
 * already been able to see every committed id below N, and a cursor can never skip a row. Ids may
 * have gaps (a rolled-back transaction) but are never filled in later.
 *
 * The price is that appends are serialised across the whole database: one short transaction at a
 * time (a group of batches per store, several statements each). The write batcher groups a node's
 * concurrent writes, so this is one lock hand-off per group, not per event.
 */
const LOCK_APPENDS = `select pg_advisory_xact_lock(${LOCK_NAMESPACE + LOCKS.events}, hashtext(current_schema()))`;

/**
 * A durable {@link AegisStore} in PostgreSQL (drizzle-orm + node-postgres), migrated on open. Same
 * behaviour as the SQLite store: `write` calls made in the same event-loop turn share one
 * transaction; each resolves with its own ids once it has committed; one caller's bad batch is
 * rejected alone; held writes are retried in order while the database is unreachable.
 *
 * @example
 * const store = await openPostgresStore({ url: 'postgres://aegis@db:5432/aegis', schema: 'aegis' });
 */
export async function openPostgresStore(
  options: PostgresStoreOptions,
): Promise<AegisStore & { readonly cluster: ClusterStore }> {
  const { db, where } = await openPgDatabase(options);
  const pool = db.$client;
  let closed = false;
  // Ownership and fencing once the store joined a cluster, and the NOTIFY hints (see cluster.ts).
  const {
    cluster,
    state: fencing,
    hint,
    fenceConversations,
    fencePipelines,
    close: closeCluster,
  } = createPgCluster({
    pool,
    url: options.url,
    schema: options.schema ?? DEFAULT_PG_SCHEMA,
    isClosed: () => closed,
  });
  /** Set when close() gives held writes up: an attempt still in flight then rejects instead of retrying. */
  let gaveUp: unknown;
  const lockTimeoutMs = Math.max(1, Math.round(options.lockTimeoutMs ?? 5000));
  // One round trip: BEGIN, and a bound on lock waits so a write that cannot proceed fails (and is
  // held or retried, visible in pressure()) instead of waiting unseen.
  const BEGIN = `begin; set local lock_timeout = ${lockTimeoutMs}`;
  /** The same, then the append lock (before any id is drawn), still one round trip. */
  const BEGIN_APPENDS = `${BEGIN}; ${LOCK_APPENDS}`;

  /** Runs inside a transaction begun with {@link BEGIN_APPENDS} when the group appends anything. */
  async function writeRows(client: pg.PoolClient, group: Rows[]): Promise<StoreWriteResult[]> {
    // One upsert per session id (the last write of it wins): an upsert cannot touch a row twice.
    const latest = new Map<string, Session>();
    for (const r of group) for (const s of r.sessions) latest.set(s.id, s);
    if (fencing.node) {
      const touched = new Set(latest.keys());
      for (const r of group) {
        for (const e of r.events) touched.add(e[0]);
        for (const t of r.transcript) touched.add(t[0]);
      }
      await fence(client, fencing, touched);
    }
    if (latest.size > 0) {
      const list = [...latest.values()];
      await client.query(UPSERT_SESSIONS, [
        list.map((s) => s.id),
        list.map((s) => s.ownerId ?? null),
        list.map((s) => s.workDir),
        list.map((s) => s.status),
        list.map((s) => s.createdAt),
        list.map((s) => s.updatedAt),
        list.map((s) => JSON.stringify(s)),
        fencing.node,
        fencing.leaseMs,
      ]);
    }
    const events = group.flatMap((r) => r.events);
    const eventIds = events.length
      ? (
          await client.query<{ id: string }>(INSERT_EVENTS, [
            column(events, 0),
            column(events, 1),
            column(events, 2),
            column(events, 3),
            column(events, 4),
          ])
        ).rows.map((r) => Number(r.id))
      : [];
    const entries = group.flatMap((r) => r.transcript);
    const entryIds = entries.length
      ? (
          await client.query<{ id: string }>(INSERT_TRANSCRIPT, [
            column(entries, 0),
            column(entries, 1),
            column(entries, 2),
            column(entries, 3),
            column(entries, 4),
          ])
        ).rows.map((r) => Number(r.id))
      : [];
    let e = 0;
    let t = 0;
    return group.map(({ batch }) => ({
      events: (batch.events ?? []).map((draft) => ({ ...draft, id: eventIds[e++] }) as AegisEvent),
      transcript: (batch.transcript ?? []).map((draft) => ({ ...draft, id: entryIds[t++] as number })),
    }));
  }

  /** One transaction for the group; if one batch breaks a constraint, again with a savepoint per batch. */
  async function commit(batches: StoreWrite[]): Promise<ItemOutcome<StoreWriteResult>[]> {
    if (gaveUp) return batches.map(() => ({ ok: false, error: gaveUp }));
    const outcomes: ItemOutcome<StoreWriteResult>[] = new Array(batches.length);
    const ready: { index: number; rows: Rows }[] = [];
    batches.forEach((batch, index) => {
      try {
        ready.push({ index, rows: toRows(batch) });
      } catch (err) {
        outcomes[index] = { ok: false, error: callerError(err) };
      }
    });
    if (ready.length === 0) return outcomes;
    const begin = ready.some((r) => r.rows.events.length > 0 || r.rows.transcript.length > 0)
      ? BEGIN_APPENDS
      : BEGIN;
    const client = await pool.connect();
    let broken: unknown;
    try {
      try {
        await client.query(begin);
        const results = await writeRows(
          client,
          ready.map((r) => r.rows),
        );
        await client.query('commit');
        ready.forEach((r, i) => {
          outcomes[r.index] = { ok: true, value: results[i] as StoreWriteResult };
        });
        if (begin === BEGIN_APPENDS) hint();
        return outcomes;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        if (!isCallerError(err)) throw err;
      }
      await client.query(begin);
      for (const r of ready) {
        await client.query('savepoint batch');
        try {
          const [value] = await writeRows(client, [r.rows]);
          await client.query('release savepoint batch');
          outcomes[r.index] = { ok: true, value: value as StoreWriteResult };
        } catch (err) {
          if (!isCallerError(err)) throw err;
          await client.query('rollback to savepoint batch');
          outcomes[r.index] = { ok: false, error: callerError(err) };
        }
      }
      await client.query('commit');
      if (begin === BEGIN_APPENDS) hint();
      return outcomes;
    } catch (err) {
      await client.query('rollback').catch(() => {});
      if (isConnectionError(err)) broken = err;
      throw err;
    } finally {
      // A connection that failed is thrown away instead of going back to the pool.
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  // Known limit: if the connection breaks after COMMIT was sent but before its answer, the outcome
  // is unknown and the group is retried. Its events then meet their own (session_id, seq) rows and
  // the retry fails CONFLICT, though the first attempt committed; a transcript entry could be stored
  // twice. Rare (a network cut in that instant); an idempotent retry is left for the multi-node work.
  const batcher = createWriteBatcher<StoreWrite, StoreWriteResult>(
    commit,
    (err) =>
      unavailable(
        where,
        'write to',
        err,
        'Nothing from this batch was written; check that PostgreSQL is running and reachable, then retry.',
      ),
    { isRetryable: isTransientError, forMs: options.retryMs ?? 10_000 },
    approximateSize,
  );

  async function read<T>(fn: () => Promise<T>): Promise<T> {
    if (closed) throw closedError(where);
    try {
      return await fn();
    } catch (err) {
      throw unavailable(where, 'read from', err, 'Check that PostgreSQL is running and reachable.');
    }
  }

  type EventRow = { id: string; session_id: string; seq: number; at: string; type: string; data: unknown };
  const toEvent = (r: EventRow) =>
    ({
      id: Number(r.id),
      sessionId: r.session_id,
      seq: r.seq,
      at: r.at,
      type: r.type,
      data: r.data,
    }) as AegisEvent;
  type EntryRow = { id: string; session_id: string; seq: number; at: string; role: string; body: object };
  // Fields set on the parsed body (same key order as the SQLite store).
  const toEntry = (r: EntryRow): TranscriptEntry =>
    Object.assign(r.body, {
      id: Number(r.id),
      sessionId: r.session_id,
      seq: r.seq,
      at: r.at,
      role: r.role as TranscriptRole,
    }) as TranscriptEntry;

  const isClosed = () => closed;
  const resources = createPgResourceStores(db, { where, isClosed });
  return {
    cluster,
    apiKeys: createPgApiKeyStore(db, { where, isClosed }),
    audit: createPgAuditStore(db, { where, isClosed }),
    conversations: fenceConversations(createPgConversationStore(db, { where, isClosed }), read),
    ...resources,
    pipelines: fencePipelines(resources.pipelines, (fn) => guarded({ where, isClosed }, 'write to', fn)),
    idempotency: createPgIdempotencyStore(db, { where, isClosed }),

    write(batch, writeOptions) {
      if (closed) return Promise.reject(closedError(where));
      return batcher.push(batch, writeOptions);
    },

    pressure() {
      const held = batcher.held();
      if (!held) return null;
      const err = held.error;
      return {
        since: new Date(held.since).toISOString(),
        forMs: Date.now() - held.since,
        reason: err instanceof Error ? err.message || String((err as { code?: unknown }).code) : String(err),
        code: (err as { code?: unknown } | null)?.code?.toString() ?? null,
        transient: held.transient,
        failing: held.failing,
        heldWrites: held.items,
        heldBytes: held.bytes,
        location: where,
      };
    },

    getSession(id) {
      return read(async () => {
        const { rows } = await pool.query<{ data: Session }>(
          'select "data" from "sessions" where "id" = $1',
          [id],
        );
        return rows[0]?.data;
      });
    },

    listSessions(q: SessionQuery) {
      return read(async () => {
        const status = q.status && [...new Set(q.status)];
        if (status?.length === 0) return { sessions: [], total: 0 };
        const params: unknown[] = [];
        const conditions: string[] = [];
        if (status) conditions.push(`"status" = any($${params.push(status)}::text[])`);
        if (q.workDir !== undefined) conditions.push(`"work_dir" = $${params.push(q.workDir)}`);
        if (q.ownerId !== undefined) conditions.push(`"owner_id" = $${params.push(q.ownerId)}`);
        const where = conditions.length ? `where ${conditions.join(' and ')}` : '';
        const limit = params.push(q.limit);
        const offset = params.push(q.offset);
        // One statement, so page and total come from the same snapshot.
        const { rows } = await pool.query<{ total: number; data: Session | null }>(
          `select t.total, p.data from (select count(*)::int as total from "sessions" ${where}) t
           left join lateral (
             select "data", "created_at", "id" from "sessions" ${where}
             order by "created_at" desc, "id" asc limit $${limit} offset $${offset}
           ) p on true
           order by p."created_at" desc, p."id" asc`,
          params,
        );
        return {
          sessions: rows.flatMap((r) => (r.data ? [r.data] : [])),
          total: rows[0]?.total ?? 0,
        };
      });
    },

    listEvents(q: EventQuery) {
      return read(async () => {
        const { rows } =
          q.sessionId !== undefined
            ? await pool.query<EventRow>(
                'select "id", "session_id", "seq", "at", "type", "data" from "events" where "session_id" = $1 and "seq" > $2 order by "seq" asc limit $3',
                [q.sessionId, q.after ?? 0, q.limit],
              )
            : await pool.query<EventRow>(
                'select "id", "session_id", "seq", "at", "type", "data" from "events" where "id" > $1 order by "id" asc limit $2',
                [q.after ?? 0, q.limit],
              );
        return rows.map(toEvent);
      });
    },

    listTranscript(q: TranscriptQuery) {
      return read(async () => {
        const roles = q.roles && [...new Set(q.roles)];
        if (roles?.length === 0) return [];
        const newestFirst = q.before !== undefined;
        const params: unknown[] = [q.sessionId, newestFirst ? q.before : (q.after ?? 0), q.limit];
        const roleFilter = roles ? `and "role" = any($${params.push(roles)}::text[])` : '';
        const { rows } = await pool.query<EntryRow>(
          `select "id", "session_id", "seq", "at", "role", "body" from "transcript_entries"
           where "session_id" = $1 and "id" ${newestFirst ? '<' : '>'} $2 ${roleFilter}
           order by "id" ${newestFirst ? 'desc' : 'asc'} limit $3`,
          params,
        );
        return rows.map(toEntry);
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      await closeCluster();
      // Held writes get a last chance while the store still fails; then they are given up, loudly.
      const deadline = Date.now() + (options.closeWaitMs ?? 3000);
      const drained = batcher.drain().then(() => true);
      for (;;) {
        let tick: NodeJS.Timeout | undefined;
        const done = await Promise.race([
          drained,
          new Promise<false>((r) => {
            tick = setTimeout(() => r(false), 100);
          }),
        ]);
        clearTimeout(tick);
        if (done) break;
        const held = batcher.held();
        if (held?.failing && Date.now() >= deadline) {
          gaveUp = unavailable(
            where,
            'write to',
            held.error,
            'The store was closed while it kept failing; these writes were given up.',
          );
          batcher.abandon(gaveUp);
          break;
        }
      }
      await pool.end();
    },
  };
}
