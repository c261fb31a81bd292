import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { and, asc, count, desc, inArray } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AegisError } from '../errors.js';
import type { AegisStore } from '../store.js';
import { delta, entry, makeSession, removeTmpDirs, tmpDbPath } from './__fixtures__/store-fixtures.js';
import { createSqliteStore, DEFAULT_MIGRATIONS_FOLDER, type SqliteStoreOptions } from './index.js';
import { sessions } from './schema.js';

const open: AegisStore[] = [];
const blockers: Database.Database[] = [];
afterEach(async () => {
  for (const b of blockers.splice(0)) b.close();
  await Promise.all(open.splice(0).map((s) => s.close()));
  removeTmpDirs();
});

function openStore(options: SqliteStoreOptions): AegisStore {
  const store = createSqliteStore(options);
  open.push(store);
  return store;
}

/** A second connection to the same file, as another process would have. */
function otherConnection(path: string): Database.Database {
  const db = new Database(path);
  blockers.push(db);
  return db;
}

async function rejection(promise: Promise<unknown>): Promise<AegisError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AegisError);
  return err as AegisError;
}

describe('createSqliteStore', () => {
  it('keeps everything across close and reopen of the same file', async () => {
    const path = tmpDbPath();
    const first = createSqliteStore({ path });
    const written = await first.write({
      sessions: [makeSession('s1', { status: 'working' })],
      events: [delta('s1', 1), delta('s1', 2)],
      transcript: [entry('s1', 2, 'assistant'), entry('s1', 2, 'plan')],
    });
    await first.close();

    const again = openStore({ path });
    expect(await again.getSession('s1')).toEqual(makeSession('s1', { status: 'working' }));
    expect(await again.listEvents({ sessionId: 's1', limit: 10 })).toEqual(written.events);
    expect(await again.listTranscript({ sessionId: 's1', limit: 10 })).toEqual(written.transcript);
    const next = await again.write({ events: [delta('s1', 3)] });
    expect(next.events[0]?.id).toBe(written.events[1]!.id + 1);
  });

  it('commits writes still queued when close is called', async () => {
    const path = tmpDbPath();
    const store = createSqliteStore({ path });
    const pending = store.write({ events: [delta('s1', 1)] });
    await store.close();
    await expect(pending).resolves.toMatchObject({ events: [{ seq: 1 }] });
    expect(await openStore({ path }).listEvents({ limit: 10 })).toHaveLength(1);
  });

  it('creates the parent directory and puts the file in WAL mode', async () => {
    const path = tmpDbPath();
    expect(existsSync(join(path, '..'))).toBe(false);
    openStore({ path });
    expect(otherConnection(path).pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('runs the migrations shipped in the package drizzle/ folder', async () => {
    expect(existsSync(join(DEFAULT_MIGRATIONS_FOLDER, 'meta', '_journal.json'))).toBe(true);
    const path = tmpDbPath();
    openStore({ path });
    const tables = otherConnection(path)
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all();
    expect(tables).toEqual([
      '__drizzle_migrations',
      'agent_conversation_pieces',
      'agent_conversations',
      'api_keys',
      'audit_head',
      'audit_log',
      'channel_cursors',
      'channel_outbox',
      'channel_updates',
      'channel_values',
      'events',
      'idempotency_keys',
      'memory_entries',
      'permission_requests',
      'pipelines',
      'routine_runs',
      'routines',
      'sessions',
      'templates',
      'transcript_entries',
      'usage_daily',
      'usage_session_daily',
      'usage_turns',
    ]);
  });

  it('finds sessions by state through an index, not by reading every session ever stored', async () => {
    // Health checks, metrics, the session caps checked on every create and recovery all ask for
    // the sessions in a few states; with a long history nearly all rows are ended ones.
    const path = tmpDbPath();
    openStore({ path });
    const db = drizzle(otherConnection(path));
    const live = inArray(sessions.status, ['idle', 'working', 'asking']);
    const page = db
      .select({ data: sessions.data })
      .from(sessions)
      .where(and(live))
      .orderBy(desc(sessions.createdAt), asc(sessions.id))
      .limit(20)
      .offset(0)
      .toSQL();
    const total = db.select({ total: count() }).from(sessions).where(and(live)).toSQL();
    const plan = (q: { sql: string; params: unknown[] }) =>
      otherConnection(path)
        .prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
        .all(...q.params)
        .map((r) => (r as { detail: string }).detail)
        .join(' | ');
    expect(plan(page)).toContain('USING INDEX sessions_status_created_at_idx');
    expect(plan(total)).toContain('USING COVERING INDEX sessions_status_created_at_idx');
  });

  it('retries a locked write in short attempts that never block the event loop for the busy timeout', async () => {
    // Reads wait up to busyTimeoutMs (3 s here); each write attempt must wait only briefly, since it
    // blocks the thread, and the batcher retries asynchronously until lockWaitMs. (A prepared
    // `PRAGMA busy_timeout` statement sets the timeout when prepared, not when run: reusing one
    // left every attempt blocking for the full 3 s.)
    const path = tmpDbPath();
    const store = openStore({ path, busyTimeoutMs: 3_000, lockWaitMs: 600 });
    const blocker = otherConnection(path);
    blocker.exec('BEGIN EXCLUSIVE');
    let last = performance.now();
    let longestStall = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestStall = Math.max(longestStall, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    try {
      const err = await rejection(store.write({ sessions: [makeSession('s1')] }));
      expect(err.code).toBe('STORE_UNAVAILABLE');
      expect(performance.now() - started).toBeLessThan(2_500);
      expect(longestStall).toBeLessThan(1_000);
    } finally {
      clearInterval(ticker);
      blocker.exec('ROLLBACK');
    }
    // Once the lock is gone the next write goes through.
    await expect(store.write({ sessions: [makeSession('s1')] })).resolves.toBeDefined();
  });

  it('rejects every caller with STORE_UNAVAILABLE when the database stays locked, writing nothing', async () => {
    const path = tmpDbPath();
    const store = openStore({ path, busyTimeoutMs: 50 });
    const blocker = otherConnection(path);
    blocker.exec('BEGIN EXCLUSIVE');

    const errors = await Promise.all([
      rejection(store.write({ sessions: [makeSession('s1')] })),
      rejection(store.write({ events: [delta('s1', 1)] })),
      rejection(store.write({ transcript: [entry('s1', 1)] })),
    ]);
    for (const err of errors) {
      expect(err.code).toBe('STORE_UNAVAILABLE');
      expect(err.message).toContain('database is locked');
      expect((err.cause as { code?: string }).code).toBe('SQLITE_BUSY');
    }

    blocker.exec('ROLLBACK');
    expect(await store.getSession('s1')).toBeUndefined();
    expect(await store.listEvents({ limit: 10 })).toEqual([]);
    expect(await store.listTranscript({ sessionId: 's1', limit: 10 })).toEqual([]);
    await expect(store.write({ events: [delta('s1', 1)] })).resolves.toMatchObject({ events: [{ id: 1 }] });
  });

  it('rolls back the whole group when the transaction aborts midway', async () => {
    const path = tmpDbPath();
    const store = openStore({ path });
    otherConnection(path).exec(
      `CREATE TRIGGER abort_on_system AFTER INSERT ON transcript_entries WHEN NEW.role = 'system'
       BEGIN SELECT RAISE(ROLLBACK, 'simulated failure'); END`,
    );
    const errors = await Promise.all([
      rejection(store.write({ sessions: [makeSession('s1')], events: [delta('s1', 1)] })),
      rejection(store.write({ events: [delta('s1', 2)], transcript: [entry('s1', 2, 'system')] })),
      rejection(store.write({ events: [delta('s1', 3)] })),
    ]);
    expect(errors.map((e) => e.code)).toEqual([
      'STORE_UNAVAILABLE',
      'STORE_UNAVAILABLE',
      'STORE_UNAVAILABLE',
    ]);
    expect(await store.getSession('s1')).toBeUndefined();
    expect(await store.listEvents({ limit: 10 })).toEqual([]);
  });

  it('rejects only the caller whose batch conflicts, rolling back all of that batch', async () => {
    const store = openStore({ path: tmpDbPath() });
    await store.write({ events: [delta('s1', 1)] });
    const [ok1, bad, ok2] = await Promise.allSettled([
      store.write({ events: [delta('s2', 1)], transcript: [entry('s2', 1)] }),
      store.write({ events: [delta('s1', 2), delta('s1', 1)], transcript: [entry('s1', 2)] }),
      store.write({ events: [delta('s3', 1)] }),
    ]);
    expect(ok1.status).toBe('fulfilled');
    expect(ok2.status).toBe('fulfilled');
    expect(bad.status === 'rejected' && (bad.reason as AegisError).code).toBe('CONFLICT');
    const stored = await store.listEvents({ limit: 10 });
    expect(stored.map((e) => `${e.sessionId}/${e.seq}`)).toEqual(['s1/1', 's2/1', 's3/1']);
    expect(await store.listTranscript({ sessionId: 's1', limit: 10 })).toEqual([]);
    expect(await store.listTranscript({ sessionId: 's2', limit: 10 })).toHaveLength(1);
  });

  it('refuses a file migrated by a newer version of Aegis', async () => {
    const path = tmpDbPath();
    await createSqliteStore({ path }).close();
    const raw = new Database(path);
    raw
      .prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)')
      .run('from-the-future', Date.UTC(2099, 0, 1));
    raw.close();
    expect(() => createSqliteStore({ path })).toThrowError(
      expect.objectContaining({
        code: 'STORE_UNAVAILABLE',
        message: expect.stringMatching(
          /migrated by a newer version of Aegis .*2099-01-01.*Refusing to start/,
        ),
      }),
    );
  });

  it('fails to open with STORE_UNAVAILABLE when the path is not a usable file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aegis-dir-'));
    expect(() => createSqliteStore({ path: dir })).toThrowError(
      expect.objectContaining({ code: 'STORE_UNAVAILABLE' }),
    );
  });
});
