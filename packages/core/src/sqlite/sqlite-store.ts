import { dirname, resolve } from 'node:path';
import type { TracerProvider } from '@opentelemetry/api';
import { and, asc, count, desc, eq, gt, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { AegisEvent } from '../events.js';
import type { Session, SessionStatus } from '../schemas.js';
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
import { createSqliteChannelOutbox } from './channel-outbox-store.js';
import { createSqliteConversationStore } from './conversation-store.js';
import { createSqliteIdempotencyStore } from './idempotency-store.js';
import { DEFAULT_BUSY_TIMEOUT_MS, openDatabase } from './open-database.js';
import { createSqliteResourceStores } from './resource-stores.js';
import { createSqliteRoutineStore } from './routine-store.js';
import { sessions, transcriptEntries } from './schema.js';
import { createSqliteApiKeyStore, createSqliteAuditStore } from './security-store.js';
import { closedError, isLockError, unavailable } from './store-errors.js';
import { createWriteBatcher } from './write-batcher.js';
import { createRowWriter } from './write-rows.js';

export interface SqliteStoreOptions {
  /** Database file; its directory is created if missing. `':memory:'` for a throwaway store. */
  path: string;
  /** How long a read (or opening) waits for another connection's lock before failing. Default 5000. */
  busyTimeoutMs?: number | undefined;
  /**
   * How long a write keeps retrying while another connection holds the lock before it fails
   * `STORE_UNAVAILABLE`. Retries wait asynchronously (the event loop keeps running) and keep later
   * writes queued behind, in order, so a passing lock loses no event. Default: `busyTimeoutMs` when
   * given, else 30000.
   */
  lockWaitMs?: number | undefined;
  /** Where the drizzle-kit migrations live. Defaults to the `drizzle/` folder shipped with the package. */
  migrationsFolder?: string | undefined;
  /**
   * How long `close()` waits for held writes (see `StoreWriteOptions.hold`) while the store still
   * fails, before giving them up. Default 3000.
   */
  closeWaitMs?:
    | number
    | undefined /** Where the `aegis.store.write_batch` spans go. Default: the global OpenTelemetry provider. */;
  tracerProvider?: TracerProvider | undefined;
}

const p = sql.placeholder;

const isFileStore = (path: string): boolean =>
  path !== ':memory:' && path !== '' && !path.startsWith('file:');

/** Rough bytes a write holds in memory while it waits (only computed while the store fails). */
function approximateSize(batch: StoreWrite): number {
  let bytes = 0;
  for (const e of batch.events ?? []) bytes += 120 + JSON.stringify(e.data).length;
  for (const t of batch.transcript ?? []) bytes += 120 + JSON.stringify(t).length;
  return bytes + (batch.sessions?.length ?? 0) * 2048;
}
/** How long one write attempt may block the thread waiting for a lock held elsewhere. */
const WRITE_ATTEMPT_BUSY_MS = 50;

/** A transcript row in better-sqlite3's raw (array) mode: id, sessionId, seq, at, role, body JSON. */
type RawEntry = [number, string, number, string, string, string];

/**
 * A durable {@link AegisStore} in one SQLite file (better-sqlite3 + drizzle), migrated on open.
 * `write` calls made in the same event-loop turn share one transaction; each resolves with its own
 * ids once that transaction has committed, or they all reject with `STORE_UNAVAILABLE`.
 *
 * @example
 * const store = createSqliteStore({ path: join(stateDir, 'aegis.db') });
 * const { events } = await store.write({ sessions: [session], events: [draft] });
 * await store.close();
 */
export function createSqliteStore(options: SqliteStoreOptions): AegisStore {
  const db = openDatabase(options);
  const client = db.$client;
  let closed = false;

  // Hot reads (SSE replay, transcript pages, every request's session lookup) go to better-sqlite3
  // directly in raw (array) mode, building objects in drizzle's key order: its per-row mapping, and
  // better-sqlite3's own row objects, cost more than the query.
  const selectSessionRaw = client.prepare('select "data" from "sessions" where "id" = ?');
  const eventColumns = '"id", "session_id" as "sessionId", "seq", "at", "type", "data"';
  const sessionEventsRaw = client
    .prepare(
      `select ${eventColumns} from "events" where "session_id" = ? and "seq" > ? order by "seq" asc limit ?`,
    )
    .raw(true);
  const globalEventsRaw = client
    .prepare(`select ${eventColumns} from "events" where "id" > ? order by "id" asc limit ?`)
    .raw(true);
  const entryColumns = '"id", "session_id" as "sessionId", "seq", "at", "role", "body"';
  const transcriptBeforeRaw = client
    .prepare(
      `select ${entryColumns} from "transcript_entries" where "session_id" = ? and "id" < ? order by "id" desc limit ?`,
    )
    .raw(true);
  // Over the status index, without reading a session row.
  const countByStatus = client
    .prepare('select "status", count(*) from "sessions" group by "status"')
    .raw(true);
  const transcriptAfterRaw = client
    .prepare(
      `select ${entryColumns} from "transcript_entries" where "session_id" = ? and "id" > ? order by "id" asc limit ?`,
    )
    .raw(true);

  // Queries whose shape depends on optional filters are prepared once per shape.
  type Prepared<T> = {
    all(values: Record<string, unknown>): T[];
    /** Rows as arrays of raw column values, without drizzle's per-row mapping. */
    values(values: Record<string, unknown>): unknown[][];
  };
  const shapes = new Map<string, Prepared<unknown>>();
  const prepared = <T>(key: string, build: () => Prepared<T>) => {
    let stmt = shapes.get(key);
    if (!stmt) shapes.set(key, (stmt = build()));
    return stmt as Prepared<T>;
  };
  const indexed = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const indexedValues = (prefix: string, list: readonly string[] = []) =>
    Object.fromEntries(list.map((v, i) => [`${prefix}${i}`, v]));

  const commitAll = createRowWriter(client);

  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const batcher = createWriteBatcher<StoreWrite, StoreWriteResult>(
    // IMMEDIATE takes the write lock up front, so a busy database fails before anything runs
    // instead of midway through the group. Each attempt blocks the thread only briefly; the batcher
    // retries asynchronously for up to lockWaitMs.
    (batches) => {
      client.pragma(`busy_timeout = ${WRITE_ATTEMPT_BUSY_MS}`);
      try {
        return commitAll(batches);
      } finally {
        client.pragma(`busy_timeout = ${busyTimeoutMs}`);
      }
    },
    (err) =>
      unavailable(
        options.path,
        'write to',
        err,
        'Nothing from this batch was written; check free disk space and whether another process holds the database lock, then retry.',
      ),
    { isRetryable: isLockError, forMs: options.lockWaitMs ?? options.busyTimeoutMs ?? 30_000 },
    approximateSize,
    { tracer: coreTracer(options.tracerProvider), system: 'sqlite' },
  );
  const location = isFileStore(options.path) ? dirname(resolve(options.path)) : null;

  const usageStatements = new Map<string, ReturnType<typeof client.prepare>>();

  function read<T>(fn: () => T): Promise<T> {
    if (closed) return Promise.reject(closedError(options.path));
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(
        unavailable(options.path, 'read from', err, 'Check that the file is readable and not corrupted.'),
      );
    }
  }

  return {
    apiKeys: createSqliteApiKeyStore(db),
    audit: createSqliteAuditStore(db, {
      busyTimeoutMs,
      lockWaitMs: options.lockWaitMs ?? options.busyTimeoutMs ?? 30_000,
    }),
    ...createSqliteResourceStores(db, { path: options.path, isClosed: () => closed }),
    conversations: createSqliteConversationStore(db, { path: options.path, isClosed: () => closed }),
    idempotency: createSqliteIdempotencyStore(db, { path: options.path, isClosed: () => closed }),
    usage: {
      query: (q) =>
        read(() => {
          const { text, values } = usageSql(q, () => '?');
          let stmt = usageStatements.get(text);
          if (!stmt) usageStatements.set(text, (stmt = client.prepare(text)));
          return usageGroups(stmt.all(values) as Record<string, unknown>[], q);
        }),
    },
    routines: createSqliteRoutineStore(db, { path: options.path, isClosed: () => closed }),
    channelOutbox: createSqliteChannelOutbox(db, { path: options.path, isClosed: () => closed }),
    write(batch, writeOptions) {
      if (closed) return Promise.reject(closedError(options.path));
      return batcher.push(batch, writeOptions);
    },

    pressure() {
      const held = batcher.held();
      if (!held) return null;
      const err = held.error;
      return {
        since: new Date(held.since).toISOString(),
        forMs: Date.now() - held.since,
        reason: err instanceof Error ? err.message : String(err),
        code: (err as { code?: unknown } | null)?.code?.toString() ?? null,
        transient: held.transient,
        failing: held.failing,
        heldWrites: held.items,
        heldBytes: held.bytes,
        location,
      };
    },

    getSession(id) {
      return read(() => {
        const row = selectSessionRaw.get(id) as { data: string } | undefined;
        return row && (JSON.parse(row.data) as Session);
      });
    },

    listSessions(q: SessionQuery) {
      return read(() => {
        const status = q.status && [...new Set(q.status)];
        // `IN ()` is not portable SQL; an empty status list simply matches nothing.
        if (status?.length === 0) return { sessions: [], total: 0 };
        const statuses = indexed('status', status?.length ?? 0);
        // The conditions are built once per shape, with the statement (drizzle's builders cost more
        // than the query on a small table).
        const conditions = () => {
          const all: SQL[] = [];
          if (status)
            all.push(
              inArray(
                sessions.status,
                statuses.map((n) => p(n)),
              ),
            );
          if (q.workDir !== undefined) all.push(eq(sessions.workDir, p('workDir')));
          if (q.ownerId !== undefined) all.push(eq(sessions.ownerId, p('ownerId')));
          return and(...all);
        };
        const key = `${statuses.length}:${q.workDir !== undefined}:${q.ownerId !== undefined}`;
        const values = { workDir: q.workDir, ownerId: q.ownerId, ...indexedValues('status', status) };
        const pageQuery = prepared<{ data: Session }>(`sessions:${key}`, () =>
          db
            .select({ data: sessions.data })
            .from(sessions)
            .where(conditions())
            .orderBy(desc(sessions.createdAt), asc(sessions.id))
            .limit(p('limit'))
            .offset(p('offset'))
            .prepare(),
        );
        const totalQuery = prepared<{ total: number }>(`sessions-total:${key}`, () =>
          db.select({ total: count() }).from(sessions).where(conditions()).prepare(),
        );
        // One read transaction, so page and total come from the same snapshot even if another
        // process writes in between.
        const { page, totalRow } = client.transaction(() => ({
          page: pageQuery.values({ ...values, limit: q.limit, offset: q.offset }),
          totalRow: totalQuery.all(values)[0],
        }))();
        return {
          sessions: page.map(([data]) => JSON.parse(data as string) as Session),
          total: totalRow?.total ?? 0,
        };
      });
    },

    countSessionsByStatus() {
      return read(() => {
        const counts: Partial<Record<SessionStatus, number>> = {};
        for (const [status, n] of countByStatus.all() as [SessionStatus, number][]) counts[status] = n;
        return counts;
      });
    },

    listEvents(q: EventQuery) {
      return read(() => {
        const rows = (
          q.sessionId !== undefined
            ? sessionEventsRaw.all(q.sessionId, q.after ?? 0, q.limit)
            : globalEventsRaw.all(q.after ?? 0, q.limit)
        ) as [number, string, number, string, string, string][];
        return rows.map(
          ([id, sessionId, seq, at, type, data]) =>
            ({ id, sessionId, seq, at, type, data: JSON.parse(data) }) as AegisEvent,
        );
      });
    },

    listTranscript(q: TranscriptQuery) {
      return read(() => {
        const roleFilter = q.roles && [...new Set(q.roles)];
        if (roleFilter?.length === 0) return [];
        const roles = indexed('role', roleFilter?.length ?? 0);
        const newestFirst = q.before !== undefined;
        if (roles.length === 0) {
          // The common page (no role filter) skips drizzle's per-row mapping.
          const stmt = newestFirst ? transcriptBeforeRaw : transcriptAfterRaw;
          const raw = stmt.all(q.sessionId, newestFirst ? q.before : (q.after ?? 0), q.limit) as RawEntry[];
          // Fields set on the parsed body (same key order as spreading body, then the columns).
          return raw.map(([id, sessionId, seq, at, role, body]) => {
            const entry = JSON.parse(body) as TranscriptEntry;
            entry.id = id;
            entry.sessionId = sessionId;
            entry.seq = seq;
            entry.at = at;
            entry.role = role as TranscriptRole;
            return entry;
          });
        }
        const rows = prepared<typeof transcriptEntries.$inferSelect>(
          `transcript:${newestFirst}:${roles.length}`,
          () =>
            db
              .select()
              .from(transcriptEntries)
              .where(
                and(
                  eq(transcriptEntries.sessionId, p('sessionId')),
                  newestFirst ? lt(transcriptEntries.id, p('cursor')) : gt(transcriptEntries.id, p('cursor')),
                  roles.length > 0
                    ? inArray(
                        transcriptEntries.role,
                        roles.map((n) => p(n)),
                      )
                    : undefined,
                ),
              )
              .orderBy(newestFirst ? desc(transcriptEntries.id) : asc(transcriptEntries.id))
              .limit(p('limit'))
              .prepare(),
        );
        const values = {
          sessionId: q.sessionId,
          cursor: newestFirst ? q.before : (q.after ?? 0),
          limit: q.limit,
          ...indexedValues('role', roleFilter),
        };
        return rows.all(values).map(
          ({ body, role, ...cols }): TranscriptEntry => ({
            ...body,
            ...cols,
            role: role as TranscriptRole,
          }),
        );
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      // Held writes get a last chance while the store still fails; then they are given up, loudly
      // (their callers' promises reject), rather than keeping the process from exiting.
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
          batcher.abandon(
            unavailable(
              options.path,
              'write to',
              held.error,
              'The store was closed while it kept failing; these writes were given up.',
            ),
          );
          break;
        }
      }
      client.close();
    },
  };
}
