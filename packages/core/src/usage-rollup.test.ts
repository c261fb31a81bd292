import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { dropTestSchemas, openTestPgStore, pgQuery, testSchema } from './pg/__fixtures__/pg-test-db.js';
import { DEFAULT_PG_MIGRATIONS_FOLDER, MIGRATIONS_TABLE } from './pg/open-database.js';
import { makeSession, removeTmpDirs, tmpDbPath } from './sqlite/__fixtures__/store-fixtures.js';
import { createSqliteStore } from './sqlite/index.js';
import { DEFAULT_MIGRATIONS_FOLDER } from './sqlite/open-database.js';
import type { AegisStore } from './store.js';
import { aggregateUsage, type UsageQuery, type UsageRecord } from './usage.js';

/**
 * The per-session day rollup (`usage_session_daily`), which grouped-by-session reads come from,
 * against the raw ledger (`usage_turns`): the same sums after a restart, when it was filled from
 * rows written before it existed (the migration), and when it was kept up with each row since.
 */

const open: AegisStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  removeTmpDirs();
});
afterAll(dropTestSchemas);

let n = 0;
/** Rows over 20 sessions and 6 days; a session changes model, owners and templates are sometimes absent. */
function rows(count: number): UsageRecord[] {
  return Array.from({ length: count }, () => {
    const i = n++;
    const day = `2026-05-0${1 + (i % 6)}`;
    return {
      sessionId: `s${i % 20}`,
      turnId: `t${i}`,
      at: `${day}T1${i % 10}:00:00.000Z`,
      day,
      ownerId: i % 20 < 5 ? null : `key${i % 4}`,
      templateId: i % 20 < 12 ? null : 'tpl',
      model: i % 7 === 0 ? 'm-b' : 'm-a',
      workDir: `/w/${i % 20}`,
      inputTokens: 100 + i,
      outputTokens: i % 50,
      cachedReadTokens: i % 3,
      cachedWriteTokens: i % 2,
      // Multiples of 1/64 add up exactly in any order: the sums compare with toEqual.
      costUsd: i % 9 === 0 ? null : (i % 32) / 64,
      costSource: i % 9 === 0 ? 'none' : 'agent',
      toolCalls: i % 4,
      durationMs: 1000 + i,
      outcome: 'completed',
    };
  });
}

async function writeAll(store: AegisStore, list: UsageRecord[]): Promise<void> {
  for (const r of list) {
    await store.write({ sessions: [makeSession(r.sessionId, { ownerId: r.ownerId })], usage: [r] });
  }
}

const KEY = `"session_id", "day", "owner_id", "template_id", "model", "work_dir"`;
const SUMS = `"turns", "input_tokens", "output_tokens", "cached_read_tokens", "cached_write_tokens", "cost_usd", "duration_ms", "tool_calls"`;
/** The rollup recomputed from the raw ledger, in the rollup's columns and order. */
const FROM_TURNS = `select "session_id", "day", coalesce("owner_id", '') as "owner_id", coalesce("template_id", '') as "template_id",
    coalesce("model", '') as "model", "work_dir", count(*) as "turns", sum("input_tokens") as "input_tokens",
    sum("output_tokens") as "output_tokens", sum("cached_read_tokens") as "cached_read_tokens",
    sum("cached_write_tokens") as "cached_write_tokens", coalesce(sum("cost_usd"), 0) as "cost_usd",
    sum("duration_ms") as "duration_ms", sum("tool_calls") as "tool_calls"
  from "usage_turns" group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6`;
const ROLLUP = `select ${KEY}, ${SUMS} from "usage_session_daily" order by 1, 2, 3, 4, 5, 6`;

/** Rows with every figure a number (PostgreSQL answers bigint sums as strings). */
const numbers = (list: Record<string, unknown>[]) =>
  list.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^\d/.test(v) ? Number(v) : v]),
    ),
  );

const QUERIES: UsageQuery[] = [
  { from: '2026-05-01', to: '2026-05-31', groupBy: ['session'] },
  { from: '2026-05-02', to: '2026-05-04', groupBy: ['session', 'day'] },
  { from: '2026-05-01', to: '2026-05-31', groupBy: ['session', 'model', 'key'] },
  { from: '2026-05-01', to: '2026-05-31', groupBy: ['session'], ownerId: null },
  { from: '2026-05-01', to: '2026-05-31', groupBy: ['session'], ownerId: 'key1', limit: 3 },
  { from: '2026-05-01', to: '2026-05-31', groupBy: ['day', 'template'], sessionId: 's13' },
];

async function expectReadsMatch(store: AegisStore, written: UsageRecord[]): Promise<void> {
  for (const q of QUERIES) {
    const got = await store.usage.query(q);
    const want = aggregateUsage(written, q);
    expect({ q, got }).toEqual({ q, got: want });
  }
}

/**
 * The rollup's migration and every later one, read from a migrations folder so that a new migration
 * needs no change here: the time it was made (`when`), and the tables they create, newest first.
 */
function fromRollupOn(folder: string, quote: string): { when: number; tables: string[] } {
  const journal = JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8')) as {
    entries: { when: number; tag: string }[];
  };
  const at = journal.entries.findIndex((e) => e.tag.endsWith('_usage_session_daily'));
  if (at < 0) throw new Error(`no usage_session_daily migration in ${folder}`);
  const later = journal.entries.slice(at);
  const create = new RegExp(`CREATE TABLE ${quote}(\\w+)${quote}`, 'g');
  const tables = later
    .flatMap((e) => [...readFileSync(join(folder, `${e.tag}.sql`), 'utf8').matchAll(create)])
    .map((m) => m[1] as string)
    .reverse();
  return { when: (later[0] as { when: number }).when, tables };
}

interface Side {
  open(): Promise<AegisStore>;
  /** Every row of a query, straight from the database. */
  sql(text: string): Promise<Record<string, unknown>[]>;
  /**
   * Makes the database as it was before the rollup's migration: neither its table nor those of any
   * later migration, none of them recorded as applied.
   */
  unmigrate(): Promise<void>;
}

function sqliteSide(): Side {
  const path = tmpDbPath();
  const raw = <T>(f: (db: Database.Database) => T): T => {
    const db = new Database(path);
    try {
      return f(db);
    } finally {
      db.close();
    }
  };
  return {
    open: async () => createSqliteStore({ path }),
    sql: async (text) => raw((db) => db.prepare(text).all() as Record<string, unknown>[]),
    unmigrate: async () => {
      const { when, tables } = fromRollupOn(DEFAULT_MIGRATIONS_FOLDER, '`');
      raw((db) =>
        db.exec(
          `${tables.map((t) => `drop table "${t}";`).join('\n')}
          delete from "__drizzle_migrations" where "created_at" >= ${when}`,
        ),
      );
    },
  };
}

function pgSide(): Side {
  const schema = testSchema();
  return {
    open: () => openTestPgStore({ schema }),
    sql: (text) => pgQueryIn(schema, text),
    unmigrate: async () => {
      const { when, tables } = fromRollupOn(DEFAULT_PG_MIGRATIONS_FOLDER, '"');
      for (const t of tables) await pgQuery(`drop table "${schema}"."${t}"`);
      await pgQuery(`delete from "${schema}"."${MIGRATIONS_TABLE}" where "created_at" >= ${when}`);
    },
  };
}

/** One statement on the store's schema's usage tables. */
async function pgQueryIn(schema: string, text: string): Promise<Record<string, unknown>[]> {
  const qualified = text.replace(/"(usage_turns|usage_session_daily)"/g, `"${schema}"."$1"`);
  return pgQuery(qualified);
}

describe.each([
  ['sqlite', sqliteSide],
  ['postgres', pgSide],
] as const)('the per-session usage rollup: %s', (_name, side) => {
  it('agrees with the raw ledger across restarts: filled by the migration, then kept with each row', async () => {
    const db = side();
    const before = rows(150);
    let store = await db.open();
    await writeAll(store, before);
    await store.close();

    // A database from before the rollup: reopening migrates it, rolling up the rows already there.
    await db.unmigrate();
    store = await db.open();
    open.push(store);
    expect(numbers(await db.sql(ROLLUP))).toEqual(numbers(await db.sql(FROM_TURNS)));
    await expectReadsMatch(store, before);

    // Rows written since go into the rollup with the ledger row; a restart keeps both.
    const after = rows(150);
    await writeAll(store, after);
    await store.close();
    open.pop();
    store = await db.open();
    open.push(store);
    const rollup = numbers(await db.sql(ROLLUP));
    expect(rollup).toEqual(numbers(await db.sql(FROM_TURNS)));
    expect(rollup.reduce((t, r) => t + (r.turns as number), 0)).toBe(300);
    await expectReadsMatch(store, [...before, ...after]);
  });
});
