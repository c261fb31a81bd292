// Starting Aegis nodes for the cluster scenario: one server on SQLite, or several server processes
// sharing one PostgreSQL schema; sessions spread over them; PostgreSQL reached directly (to check it
// answers, and to drop the schemas afterwards).
import { join } from 'node:path';
import pg from 'pg';
import { createSession, startAegis } from './aegis.mjs';
import { api } from './http.mjs';

/** The database the bench creates its schemas in (CI passes its own through AEGIS_TEST_POSTGRES_URL). */
export const PG_URL =
  process.env.AEGIS_BENCH_POSTGRES_URL ??
  process.env.AEGIS_TEST_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
/** The bound on one measured turn (or set of turns) before the scenario gives up. */
export const TURN_LIMIT_MS = 120_000;

/** Rejects with `what` when `promise` has not settled within `ms`. */
export function within(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** host:port/database of the URL, without credentials, for messages. */
function where(url) {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'the configured URL';
  }
}

/** Runs `sql` on the bench's database; fails with what to do when PostgreSQL cannot be reached. */
export async function pgQuery(sql) {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw new Error(
      `the cluster scenario needs PostgreSQL and cannot reach it at ${where(PG_URL)} (${err.message || err.code}). ` +
        'Start it (e.g. `pg_ctlcluster 15 main start`) or point AEGIS_BENCH_POSTGRES_URL (or AEGIS_TEST_POSTGRES_URL) ' +
        'at a database the bench may create schemas in. This scenario fails rather than skips.',
    );
  }
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Starts `count` nodes: on SQLite (`schema` null: one server, its own state dir) or as one cluster
 * in `schema`. Each node started is pushed to `started` at once, so the caller stops it whatever fails.
 */
export async function startNodes(t, { count, schema, leaseMs, label }, started) {
  const configOf = (i) => ({
    stateDir: join(t.root, `state-${label}-${i}`),
    // Residency kept out of the figures: no eviction, no cap within the 50-session load.
    sessions: { idleEvictMs: 0, maxResidentAgents: 200 },
    ...(schema
      ? {
          sessionStore: 'postgres',
          postgresUrl: PG_URL,
          pgSchema: schema,
          cluster: { nodeId: `node-${i}`, ...(leaseMs ? { leaseMs } : {}), drainMs: 1_000 },
        }
      : {}),
  });
  // Nodes starting together migrate the schema once (an advisory lock), so they start in parallel.
  const outcomes = await Promise.allSettled(
    Array.from({ length: count }, async (_, i) => {
      const server = await startAegis(t.root, configOf(i));
      const node = { ...server, id: `node-${i}` };
      started.push(node);
      return node;
    }),
  );
  const failed = outcomes.find((o) => o.status === 'rejected');
  if (failed) throw failed.reason;
  const nodes = outcomes.map((o) => o.value);
  if (schema) {
    const { nodes: listed } = await api(nodes[0].url, 'GET', '/v1/nodes');
    const alive = listed.filter((n) => n.alive && n.state === 'active').map((n) => n.id);
    if (alive.length !== count)
      throw new Error(`${count} nodes started in schema ${schema}, but /v1/nodes lists ${alive.join(', ')}`);
  }
  return nodes;
}

/** `count` sessions, the i-th created on node i mod n (so owned by it: each node has room). */
export async function spread(nodes, count, t, label) {
  const made = [];
  for (let i = 0; i < count; i += 10) {
    made.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(10, count - i) }, async (_, k) => {
          const owner = (i + k) % nodes.length;
          const { id, session } = await createSession(nodes[owner].url, { workDir: t.dir(label) });
          if (nodes.length > 1 && session.node !== nodes[owner].id)
            throw new Error(`session ${id} created on ${nodes[owner].id} is owned by ${session.node}`);
          return { id, owner };
        }),
      )),
    );
  }
  return made;
}
