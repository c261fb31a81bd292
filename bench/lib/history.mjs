// A server with a long history: many ended sessions in its store (written through the store API),
// against one with an empty store in the same run. Health checks, metrics scrapes, the list of live
// sessions and creating a session should not grow with the sessions that ended long ago.
import { join } from 'node:path';
import { createSqliteStore } from '@aegis/core/sqlite';
import { createSession, startAegis, tempRoot } from './aegis.mjs';
import { api, leanClient } from './http.mjs';
import { median, percentile } from './proc.mjs';

const MINUTE_MS = 60_000;

/** Starts a server on `root`, creates one session and ends it; returns that session as stored. */
async function oneEndedSession(t) {
  const server = await startAegis(t.root);
  try {
    const { id } = await createSession(server.url, { workDir: t.dir() });
    await api(server.url, 'DELETE', `/v1/sessions/${id}`);
    return id;
  } finally {
    await server.stop();
  }
}

/** Writes `count` completed sessions shaped like the stored one, a minute apart, oldest first. */
async function seedHistory(root, id, count) {
  const store = createSqliteStore({ path: join(root, 'state', 'aegis.db') });
  try {
    const template = await store.getSession(id);
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
      await store.write({ sessions });
    }
  } finally {
    await store.close();
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

export async function history(size) {
  const empty = tempRoot('history-empty');
  const full = tempRoot('history');
  const id = await oneEndedSession(full);
  const seedStart = performance.now();
  await seedHistory(full.root, id, size.historySessions);
  const seedMs = performance.now() - seedStart;
  const results = [];
  for (const t of [empty, full]) {
    const server = await startAegis(t.root);
    try {
      results.push(await measure(server.url, t, size));
    } finally {
      await server.stop();
    }
  }
  const [base, long] = results;
  const n = size.historySessions;
  const readRow = (label, key) => ({
    scenario: 'history',
    metric: `${label}, ${n} ended sessions stored (p50)`,
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
      metric: `create → idle (scripted agent), ${n} ended sessions stored`,
      value: long.create,
      unit: 'ms',
      baseline: base.create,
      ratio: long.create / base.create,
    },
    { scenario: 'history', metric: `  writing ${n} sessions`, value: seedMs, unit: 'ms' },
  ];
}
