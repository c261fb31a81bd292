import { readdirSync } from 'node:fs';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AegisError } from '../errors.js';
import type { AegisEvent } from '../events.js';
import { verifyAuditChain } from '../security-store.js';
import { delta, entry, makeSession } from '../sqlite/__fixtures__/store-fixtures.js';
import type { AegisStore } from '../store.js';
import {
  dropTestSchemas,
  openTestPgStore,
  PG_TEST_URL,
  pgQuery,
  startPgProxy,
  testSchema,
} from './__fixtures__/pg-test-db.js';
import { MIGRATIONS_TABLE, openPostgresStore, type PostgresStoreOptions } from './index.js';

/** PostgreSQL-only behaviour; what every store shares is in ../store-contract.test.ts. */

const open: AegisStore[] = [];
const clients: pg.Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.end().catch(() => {});
  await Promise.all(open.splice(0).map((s) => s.close()));
});
afterAll(dropTestSchemas);

async function store(options: Partial<PostgresStoreOptions> & { schema: string }): Promise<AegisStore> {
  const s = await openTestPgStore(options);
  open.push(s);
  return s;
}

/** Another connection to the same schema, as another process would have. */
async function otherConnection(schema: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: PG_TEST_URL, options: `-c search_path=${schema}` });
  clients.push(c);
  await c.connect();
  return c;
}

async function rejection(promise: Promise<unknown>): Promise<AegisError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AegisError);
  return err as AegisError;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('openPostgresStore', () => {
  it('keeps everything across close and reopen of the same schema', async () => {
    const schema = testSchema();
    const first = await openTestPgStore({ schema });
    const written = await first.write({
      sessions: [makeSession('s1', { status: 'working', title: 'nul \u0000 inside' })],
      events: [delta('s1', 1, 'text with \u0000 and ünïcödé'), delta('s1', 2)],
      transcript: [entry('s1', 2, 'assistant'), entry('s1', 2, 'plan')],
    });
    await first.close();

    const again = await store({ schema });
    expect(await again.getSession('s1')).toEqual(
      makeSession('s1', { status: 'working', title: 'nul \u0000 inside' }),
    );
    expect(await again.listEvents({ sessionId: 's1', limit: 10 })).toEqual(written.events);
    expect(await again.listTranscript({ sessionId: 's1', limit: 10 })).toEqual(written.transcript);
    const next = await again.write({ events: [delta('s1', 3)] });
    expect(next.events[0]?.id).toBe(written.events[1]!.id + 1);
  });

  it('commits writes still queued when close is called', async () => {
    const schema = testSchema();
    const s = await openTestPgStore({ schema });
    const pending = s.write({ events: [delta('s1', 1)] });
    await s.close();
    await expect(pending).resolves.toMatchObject({ events: [{ seq: 1 }] });
    expect(await (await store({ schema })).listEvents({ limit: 10 })).toHaveLength(1);
  });

  it('creates the tables, the node columns and the nodes table in its own schema', async () => {
    const schema = testSchema();
    await store({ schema });
    const tables = await pgQuery<{ table_name: string }>(
      'select table_name from information_schema.tables where table_schema = $1 order by table_name collate "C"',
      [schema],
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      MIGRATIONS_TABLE,
      'agent_conversation_pieces',
      'agent_conversations',
      'api_keys',
      'audit_head',
      'audit_log',
      'channel_cursors',
      'channel_outbox',
      'channel_updates',
      'channel_values',
      'cluster_leases',
      'cluster_secrets',
      'events',
      'idempotency_keys',
      'memory_entries',
      'nodes',
      'permission_requests',
      'pipelines',
      'rate_windows',
      'routine_runs',
      'routines',
      'sessions',
      'templates',
      'transcript_entries',
      'usage_daily',
      'usage_session_daily',
      'usage_turns',
    ]);
    const columns = await pgQuery<{ column_name: string; data_type: string; column_default: string | null }>(
      "select column_name, data_type, column_default from information_schema.columns where table_schema = $1 and table_name = 'sessions' and column_name in ('owner_node', 'lease_until', 'owner_epoch') order by column_name",
      [schema],
    );
    expect(columns).toEqual([
      { column_name: 'lease_until', data_type: 'text', column_default: null },
      { column_name: 'owner_epoch', data_type: 'integer', column_default: '0' },
      { column_name: 'owner_node', data_type: 'text', column_default: null },
    ]);
  });

  it('finds sessions by state through an index, not by reading every session ever stored', async () => {
    const schema = testSchema();
    await store({ schema });
    const c = await otherConnection(schema);
    // The table is empty, where a sequential scan is always cheapest: forbid it to see what the
    // planner would use on a long history (listSessions' page and count).
    await c.query('set enable_seqscan = off');
    const live = ['idle', 'working', 'asking'];
    const plan = async (sql: string) =>
      (await c.query<{ 'QUERY PLAN': string }>(`explain ${sql}`, [live])).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n');
    expect(
      await plan(
        'select "data" from "sessions" where "status" = any($1::text[]) order by "created_at" desc, "id" asc limit 20',
      ),
    ).toContain('sessions_status_created_at_idx');
    expect(await plan('select count(*) from "sessions" where "status" = any($1::text[])')).toContain(
      'sessions_status_created_at_idx',
    );
  });

  it('migrates once when several nodes open the same schema at the same time', async () => {
    const schema = testSchema();
    const stores = await Promise.all([1, 2, 3].map(() => store({ schema })));
    expect(stores).toHaveLength(3);
    const applied = await pgQuery(`select * from "${schema}"."${MIGRATIONS_TABLE}"`);
    // Each shipped migration is recorded once, not once per node.
    const shipped = readdirSync(new URL('../../drizzle-pg/', import.meta.url)).filter((f) =>
      f.endsWith('.sql'),
    );
    expect(applied).toHaveLength(shipped.length);
  });

  it('refuses a database migrated by a newer version of Aegis', async () => {
    const schema = testSchema();
    await (await openTestPgStore({ schema })).close();
    await pgQuery(`insert into "${schema}"."${MIGRATIONS_TABLE}" (hash, created_at) values ('future', $1)`, [
      Date.UTC(2099, 0, 1),
    ]);
    const err = await rejection(openPostgresStore({ url: PG_TEST_URL, schema }));
    expect(err.code).toBe('STORE_UNAVAILABLE');
    expect(err.message).toMatch(/migrated by a newer version of Aegis .*2099-01-01.*Refusing to start/);
  });

  it('fails to open with a message naming host and port when nothing listens there', async () => {
    const err = await rejection(openPostgresStore({ url: 'postgres://postgres:secret@127.0.0.1:9/test' }));
    expect(err.code).toBe('STORE_UNAVAILABLE');
    expect(err.message).toMatch(/^Could not connect to PostgreSQL at 127\.0\.0\.1:9 \(database test\)/);
    expect(err.message).not.toContain('secret');
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    const err = await rejection(openPostgresStore({ url: PG_TEST_URL, schema: 'x"; drop table y; --' }));
    expect(err.message).toMatch(/schema name .* is not valid/);
  });

  it('rejects only the caller whose batch conflicts, rolling back all of that batch', async () => {
    const s = await store({ schema: testSchema() });
    await s.write({ events: [delta('s1', 1)] });
    const [ok1, bad, ok2] = await Promise.allSettled([
      s.write({ events: [delta('s2', 1)], transcript: [entry('s2', 1)] }),
      s.write({ events: [delta('s1', 2), delta('s1', 1)], transcript: [entry('s1', 2)] }),
      s.write({ events: [delta('s3', 1)] }),
    ]);
    expect(ok1.status).toBe('fulfilled');
    expect(ok2.status).toBe('fulfilled');
    expect(bad.status === 'rejected' && (bad.reason as AegisError).code).toBe('CONFLICT');
    const stored = await s.listEvents({ limit: 10 });
    expect(stored.map((e) => `${e.sessionId}/${e.seq}`)).toEqual(['s1/1', 's2/1', 's3/1']);
    expect(await s.listTranscript({ sessionId: 's1', limit: 10 })).toEqual([]);
    expect(await s.listTranscript({ sessionId: 's2', limit: 10 })).toHaveLength(1);
  });

  it('rejects writes with STORE_UNAVAILABLE while a table stays locked, writing nothing, then works again', async () => {
    const schema = testSchema();
    const s = await store({ schema, lockTimeoutMs: 50, retryMs: 200 });
    const blocker = await otherConnection(schema);
    await blocker.query('begin; lock table "events" in access exclusive mode');
    const err = await rejection(s.write({ sessions: [makeSession('s1')], events: [delta('s1', 1)] }));
    expect(err.code).toBe('STORE_UNAVAILABLE');
    expect(err.message).toMatch(/lock timeout/);
    await blocker.query('rollback');
    expect(await s.getSession('s1')).toBeUndefined();
    await expect(s.write({ events: [delta('s1', 1)] })).resolves.toMatchObject({ events: [{ seq: 1 }] });
  });

  it('holds writes in order while the store fails, reports pressure, and writes them out once it works', async () => {
    const schema = testSchema();
    const s = await store({ schema, lockTimeoutMs: 50, retryMs: 100 });
    const blocker = await otherConnection(schema);
    await blocker.query('begin; lock table "events" in access exclusive mode');
    const held = [1, 2, 3].map((seq) => s.write({ events: [delta('s1', seq)] }, { hold: true }));
    await sleep(400);
    expect(s.pressure?.()).toMatchObject({
      failing: true,
      transient: true,
      code: '55P03',
      heldWrites: 3,
      location: expect.stringMatching(/^127\.0\.0\.1:5432\/\w+ \(schema aegis_t_/),
    });
    await blocker.query('rollback');
    const written = await Promise.all(held);
    expect(written.map((w) => w.events[0]?.seq)).toEqual([1, 2, 3]);
    expect(s.pressure?.()).toBeNull();
    expect((await s.listEvents({ sessionId: 's1', limit: 10 })).map((e) => e.seq)).toEqual([1, 2, 3]);
  });
});

describe('several nodes on one schema', () => {
  it('append to one audit chain that verifies', async () => {
    const schema = testSchema();
    const nodes = await Promise.all([1, 2, 3].map(() => store({ schema, poolMax: 3 })));
    await Promise.all(
      nodes.flatMap((n, k) =>
        Array.from({ length: 15 }, (_, i) =>
          n.audit.append({
            at: new Date(Date.UTC(2025, 0, 1, 0, k, i)).toISOString(),
            actorId: `node${k}`,
            actorRole: 'admin',
            action: 'createSession',
            target: `s${i}`,
            outcome: '201',
            details: { i, k },
          }),
        ),
      ),
    );
    for (const n of nodes) {
      expect(await verifyAuditChain(n.audit, 10)).toEqual({ ok: true, checked: 45, firstBroken: null });
    }
  });

  it('never give one owner two templates of the same name, even when they race', async () => {
    const schema = testSchema();
    const [a, b] = [await store({ schema }), await store({ schema })];
    const t = (id: string) => ({
      id,
      name: 'deploy',
      description: null,
      prompt: 'go',
      permissionMode: 'default' as const,
      model: null,
      agent: null,
      env: {},
      sandbox: null,
      budget: null,
      variables: [],
      builtIn: false,
      ownerId: 'alice',
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
    });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).templates.put(t(`t${i}`))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'CONFLICT' });
    expect(await a.templates.list({ ownerId: 'alice' })).toHaveLength(1);
  });
  it('give an Idempotency-Key to exactly one of the nodes racing to claim it', async () => {
    const schema = testSchema();
    const nodes = await Promise.all([1, 2, 3].map(() => store({ schema, poolMax: 3 })));
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        nodes[i % 3]!.idempotency.claim({
          ownerId: 'alice',
          key: 'create-once',
          claimId: `c${i}`,
          method: 'POST',
          path: '/v1/sessions',
          fingerprint: 'f',
          createdAt: '2025-01-01T00:00:00.000Z',
          lockedUntil: '2025-01-01T00:05:00.000Z',
          expiresAt: '2025-01-02T00:00:00.000Z',
        }),
      ),
    );
    const winners = results.filter((r) => r.claimed).map((r) => r.record.claimId);
    expect(winners).toHaveLength(1);
    for (const r of results) expect(r.record.claimId).toBe(winners[0]);
  });

  it("share one clock for Idempotency-Key locks: the database's", async () => {
    const schema = testSchema();
    const [a, b] = await Promise.all([1, 2].map(() => store({ schema })));
    const [before] = await pgQuery<{ ms: number }>(
      'select (extract(epoch from clock_timestamp()) * 1000)::float8 as "ms"',
      [],
    );
    const fromA = await a!.idempotency.clock!();
    const fromB = await b!.idempotency.clock!();
    // Read one after the other from the database's clock (the same machine's here, so also near ours).
    expect(fromA).toBeGreaterThanOrEqual(before!.ms);
    expect(fromB).toBeGreaterThanOrEqual(fromA);
    expect(Math.abs(fromB - Date.now())).toBeLessThan(5_000);
  });
});

describe('when PostgreSQL goes away and comes back', () => {
  it("holds a live session's writes in order, fails the others after retryMs, and writes everything once it answers", async () => {
    const proxy = await startPgProxy();
    try {
      const s = await store({ schema: testSchema(), url: proxy.url, retryMs: 300 });
      await s.write({ sessions: [makeSession('s1')], events: [delta('s1', 1)] });
      await proxy.cut();
      const held = [2, 3, 4].map((seq) => s.write({ events: [delta('s1', seq)] }, { hold: true }));
      const plain = rejection(s.write({ sessions: [makeSession('s2')] }));
      const err = await plain;
      expect(err.code).toBe('STORE_UNAVAILABLE');
      expect(err.message).toMatch(
        /^Could not write to the PostgreSQL store at 127\.0\.0\.1:\d+\/\w+ \(schema aegis_t_/,
      );
      expect(s.pressure?.()).toMatchObject({ failing: true, transient: true, heldWrites: 3 });
      await expect(s.getSession('s1')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      await sleep(300);
      await proxy.restore();
      const written = await Promise.all(held);
      expect(written.map((w) => w.events[0]?.seq)).toEqual([2, 3, 4]);
      expect(s.pressure?.()).toBeNull();
      expect((await s.listEvents({ sessionId: 's1', limit: 10 })).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      expect(await s.getSession('s2')).toBeUndefined();
    } finally {
      await proxy.close();
    }
  });
});

describe('closing while PostgreSQL is away', () => {
  it('gives held writes up after closeWaitMs, rejecting them, and leaves nothing running', async () => {
    const proxy = await startPgProxy();
    try {
      const s = await openTestPgStore({ url: proxy.url, closeWaitMs: 300 });
      await proxy.cut();
      const held = s.write({ events: [delta('s1', 1)] }, { hold: true });
      await sleep(100);
      const started = Date.now();
      await s.close();
      expect(Date.now() - started).toBeLessThan(3000);
      const err = await rejection(held);
      expect(err.message).toMatch(/closed while it kept failing/);
      await expect(s.write({ events: [delta('s1', 2)] })).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
      });
    } finally {
      await proxy.close();
    }
  });
});

describe('the global event cursor with several writers', () => {
  /** Pages `listEvents({ after })` like a `/v1/events` client resuming after every page. */
  function follow(reader: AegisStore) {
    const seen: AegisEvent[] = [];
    let stop = false;
    const done = (async () => {
      while (!stop) {
        const page = await reader.listEvents({ after: seen.at(-1)?.id ?? 0, limit: 50 });
        seen.push(...page);
        if (page.length === 0) await sleep(2);
      }
      for (;;) {
        const page = await reader.listEvents({ after: seen.at(-1)?.id ?? 0, limit: 500 });
        if (page.length === 0) break;
        seen.push(...page);
      }
    })();
    return {
      seen,
      async finish() {
        stop = true;
        await done;
        return seen;
      },
    };
  }

  it('never lets a reader skip an event committed late by a stalled writer', async () => {
    // Writer A draws an id, then stalls before committing (its insert waits on a row another
    // connection is inserting); writer B, another node, writes meanwhile. With a plain sequence B's
    // larger id would commit first and a reader would move its cursor past A's. B must wait.
    const schema = testSchema();
    const [a, b, reader] = [await store({ schema }), await store({ schema }), await store({ schema })];
    const staller = await otherConnection(schema);
    const follower = follow(reader);
    await staller.query('begin');
    await staller.query(
      `insert into "events" ("session_id", "seq", "at", "type", "data") values ('blocker', 1, 'x', 'message.delta', '{}')`,
    );
    const first = a.write({ events: [delta('a', 1), delta('blocker', 1)] });
    await sleep(150);
    let bDone = false;
    const second = b.write({ events: [delta('b', 1)] }).then((r) => {
      bDone = true;
      return r;
    });
    await sleep(400);
    expect(bDone).toBe(false); // B waits for A's transaction instead of committing a larger id first.
    expect(follower.seen).toEqual([]);
    await staller.query('rollback');
    const [ra, rb] = await Promise.all([first, second]);
    const seen = await follower.finish();
    expect(ra.events[0]!.id).toBeLessThan(rb.events[0]!.id);
    expect(seen.map((e) => `${e.sessionId}/${e.seq}`)).toEqual(['a/1', 'blocker/1', 'b/1']);
  });

  it('a reader paging by id after every commit sees every event once, under concurrent writers', async () => {
    const schema = testSchema();
    const writers = await Promise.all([1, 2, 3, 4].map(() => store({ schema, poolMax: 2 })));
    const reader = await store({ schema });
    const follower = follow(reader);
    const rounds = 25;
    await Promise.all(
      writers.map(async (w, n) => {
        for (let round = 1; round <= rounds; round++) {
          // Several sessions per writer, several writes per turn (grouped into one transaction).
          await Promise.all(
            [0, 1, 2].map((k) =>
              w.write({ events: [delta(`w${n}-s${k}`, 2 * round - 1), delta(`w${n}-s${k}`, 2 * round)] }),
            ),
          );
          if (round % 5 === 0) await sleep(Math.random() * 5);
        }
      }),
    );
    const seen = await follower.finish();
    const all = await reader.listEvents({ limit: 10_000 });
    expect(all).toHaveLength(4 * 3 * 2 * rounds);
    expect(seen).toEqual(all);
    // Per session, seq is gap-free and in order.
    for (const sessionId of new Set(all.map((e) => e.sessionId))) {
      const seqs = seen.filter((e) => e.sessionId === sessionId).map((e) => e.seq);
      expect(seqs).toEqual(Array.from({ length: 2 * rounds }, (_, i) => i + 1));
    }
  });
});
