// A server with a long history: many ended sessions in its store (written through the store API),
// against one with an empty store in the same run, on SQLite and on PostgreSQL. Health checks,
// metrics scrapes, the list of live sessions and creating a session should not grow with the
// sessions that ended long ago.
import { join } from 'node:path';
import { openPostgresStore } from '@aegis/core/pg';
import { createSqliteStore } from '@aegis/core/sqlite';
import { createSession, startAegis, tempRoot } from './aegis.mjs';
import { PG_URL, pgQuery } from './cluster-nodes.mjs';
import { api, leanClient } from './http.mjs';
import { median, percentile } from './proc.mjs';

const MINUTE_MS = 60_000;

/** Where a server keeps its sessions: its state dir's SQLite file, or a PostgreSQL schema. */
const STORES = {
  SQLite: {
    config: () => ({}),
    open: (t) => createSqliteStore({ path: join(t.root, 'state', 'aegis.db') }),
  },
  PostgreSQL: {
    config: (t) => ({ sessionStore: 'postgres', postgresUrl: PG_URL, pgSchema: t.schema }),
    open: (t) => openPostgresStore({ url: PG_URL, schema: t.schema }),
    // What autovacuum does on its own within a minute or so of a bulk change: statistics for the
    // planner and the visibility map for index-only counts. A history that grew over months has both.
    settle: (t) => pgQuery(`vacuum analyze "${t.schema}"."sessions"`),
  },
};

/** Starts a server, creates one session and ends it; returns that session's id. */
async function oneEndedSession(t, store) {
  const server = await startAegis(t.root, store.config(t));
  try {
    const { id } = await createSession(server.url, { workDir: t.dir() });
    await api(server.url, 'DELETE', `/v1/sessions/${id}`);
    return id;
  } finally {
    await server.stop();
  }
}

/** Writes `count` completed sessions shaped like session `id`, a minute apart, oldest first. */
async function seedHistory(t, store, id, count) {
  const db = await store.open(t);
  try {
    const template = await db.getSession(id);
    const start = Date.now() - (count + 1) * MINUTE_MS;
    const batch = 5_000;
    for (let done = 0; done < count; done += batch) {
      const sessions = [];
      for (let i = done; i < Math.min(done + batch, count); i++) {
        const at = new Date(start + i * MINUTE_MS).toISOString();
        sessions.push({
          ...template,
          id: `${id.slice(0, 24)}${String(i).padStart(12, '0')}`,
          status: 'completed',
          createdAt: at,
          updatedAt: at,
          lastActivityAt: at,
        });
      }
      await db.write({ sessions });
    }
  } finally {
    await db.close();
  }
}

/** The reads and the create timed against one server. */
async function measure(url, t, size) {
  const client = leanClient(url);
  const p50Of = async (path) => {
    for (let i = 0; i < 3; i++) await client.get(path);
    const lat = [];
    for (let i = 0; i < size.historyReads; i++) lat.push((await client.get(path)).ms);
    return { p50: percentile(lat, 50), p99: percentile(lat, 99) };
  };
  try {
    const out = {
      health: await p50Of('/v1/health'),
      metrics: await p50Of('/metrics'),
      live: await p50Of('/v1/sessions?status=active&limit=20'),
    };
    const creates = [];
    for (let i = 0; i < size.createRuns; i++) {
      const s = await createSession(url, { workDir: t.dir() });
      creates.push(s.ms);
      await api(url, 'DELETE', `/v1/sessions/${s.id}`);
    }
    return { ...out, create: median(creates) };
  } finally {
    client.close();
  }
}

/** The rows of one store: `long` (the history) against `base` (an empty store). */
function rowsOf(storeName, n, base, long, seedMs) {
  const readRow = (label, key) => ({
    scenario: 'history',
    metric: `${label}, ${n} ended sessions stored, ${storeName} (p50)`,
    value: long[key].p50,
    unit: 'ms',
    baseline: base[key].p50,
    ratio: long[key].p50 / base[key].p50,
    p99Ms: long[key].p99,
    baselineP99Ms: base[key].p99,
  });
  return [
    readRow('GET /v1/health', 'health'),
    readRow('GET /metrics', 'metrics'),
    readRow('GET /v1/sessions of the live ones', 'live'),
    {
      scenario: 'history',
      metric: `create → idle (scripted agent), ${n} ended sessions stored, ${storeName}`,
      value: long.create,
      unit: 'ms',
      baseline: base.create,
      ratio: long.create / base.create,
    },
    { scenario: 'history', metric: `  writing ${n} sessions, ${storeName}`, value: seedMs, unit: 'ms' },
  ];
}

export async function history(size) {
  const rows = [];
  const schemas = [];
  try {
    for (const [storeName, store] of Object.entries(STORES)) {
      const place = (label) => {
        const t = tempRoot(label);
        if (storeName === 'PostgreSQL') {
          t.schema = `aegis_bench_${label.replace(/\W/g, '_')}_${process.pid}_${Date.now()}`;
          schemas.push(t.schema);
        }
        return t;
      };
      const empty = place('history-empty');
      const full = place('history');
      const id = await oneEndedSession(full, store);
      const seedStart = performance.now();
      await seedHistory(full, store, id, size.historySessions);
      const seedMs = performance.now() - seedStart;
      await store.settle?.(full);
      const results = [];
      for (const t of [empty, full]) {
        const server = await startAegis(t.root, store.config(t));
        try {
          results.push(await measure(server.url, t, size));
        } finally {
          await server.stop();
        }
      }
      rows.push(...rowsOf(storeName, size.historySessions, results[0], results[1], seedMs));
    }
  } finally {
    for (const schema of schemas) await pgQuery(`drop schema if exists "${schema}" cascade`);
  }
  return rows;
}
