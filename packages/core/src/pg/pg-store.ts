import type { TracerProvider } from '@opentelemetry/api';
import type { ClusterStore } from '../cluster-store.js';
import type { AegisEvent } from '../events.js';
import type { Session, SessionStatus } from '../schemas.js';
import { createWriteBatcher, type ItemOutcome } from '../sqlite/write-batcher.js';
import type {
  AegisStore,
  EventQuery,
  SessionQuery,
  StoreWrite,
  StoreWriteResult,
  TranscriptQuery,
} from '../store.js';
import { coreTracer } from '../tracing.js';
import type { TranscriptEntry, TranscriptRole } from '../transcript.js';
import { usageGroups, usageSql } from '../usage-sql.js';
import { createPgChannelOutbox } from './channel-outbox-store.js';
import { createPgCluster } from './cluster.js';
import { createPgConversationStore } from './conversation-store.js';
import { knownLost, leaseLost } from './fence.js';
import { guarded } from './guard.js';
import { createPgIdempotencyStore } from './idempotency-store.js';
import { DEFAULT_PG_SCHEMA, openPgDatabase, type PgOpenOptions } from './open-database.js';
import { createPgResourceStores } from './resource-stores.js';
import { createPgRoutineStore } from './routine-store.js';
import { createPgApiKeyStore, createPgAuditStore } from './security-store.js';
import {
  callerError,
  closedError,
  isCallerError,
  isConnectionError,
  isTransientError,
  unavailable,
} from './store-errors.js';
import { LOCK_APPENDS, type Rows, toRows, touchedIds, writeRows } from './write-rows.js';

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
  closeWaitMs?:
    | number
    | undefined /** Where the `aegis.store.write_batch` spans go. Default: the global OpenTelemetry provider. */;
  tracerProvider?: TracerProvider | undefined;
}

/** Rough bytes a write holds in memory while it waits (only computed while the store fails). */
function approximateSize(batch: StoreWrite): number {
  let bytes = 0;
  for (const e of batch.events ?? []) bytes += 120 + JSON.stringify(e.data).length;
  for (const t of batch.transcript ?? []) bytes += 120 + JSON.stringify(t).length;
  return bytes + (batch.sessions?.length ?? 0) * 2048;
}

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

  /** One transaction for the group; if one batch breaks a constraint, again with a savepoint per batch. */
  async function commit(batches: StoreWrite[]): Promise<ItemOutcome<StoreWriteResult>[]> {
    if (gaveUp) return batches.map(() => ({ ok: false, error: gaveUp }));
    const outcomes: ItemOutcome<StoreWriteResult>[] = new Array(batches.length);
    const ready: { index: number; rows: Rows }[] = [];
    batches.forEach((batch, index) => {
      try {
        const rows = toRows(batch);
        // A session this node lost is refused here, before the transaction and its append lock.
        const lost = knownLost(fencing, touchedIds(rows));
        if (lost) outcomes[index] = { ok: false, error: leaseLost(lost, null) };
        else ready.push({ index, rows });
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
          fencing,
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
          const [value] = await writeRows(client, fencing, [r.rows]);
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
    { tracer: coreTracer(options.tracerProvider), system: 'postgresql' },
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
    usage: {
      query: (q) =>
        read(async () => {
          const { text, values } = usageSql(q, (i) => `$${i}`);
          const { rows } = await pool.query<Record<string, unknown>>(text, values);
          return usageGroups(rows, q);
        }),
    },
    routines: createPgRoutineStore(db, { where, isClosed }),
    channelOutbox: createPgChannelOutbox(db, { where, isClosed }),

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

    countSessionsByStatus() {
      return read(async () => {
        const { rows } = await pool.query<{ status: SessionStatus; n: number }>(
          'select "status", count(*)::int as "n" from "sessions" group by "status"',
        );
        return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Partial<Record<SessionStatus, number>>;
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
