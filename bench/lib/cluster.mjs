// Several Aegis nodes on one PostgreSQL database (issue 12, "Aegis on many machines"): events/s
// persisted and delivered on 1 node (SQLite) / 1 node (PostgreSQL) / 3 nodes (PostgreSQL); how late a
// subscriber on another node sees an event; API p99 under the 50-session streaming load spread over
// 3 nodes; and the time from SIGKILL of a session's owner to its next prompt answered elsewhere.
// Every node is its own server-proc.mjs process on this machine; each configuration gets a fresh
// schema, dropped at the end. Without a reachable PostgreSQL the scenario fails: it never skips.
import { rmSync } from 'node:fs';
import { script } from '@aegis/testkit';
import { tempRoot } from './aegis.mjs';
import { failover, RETRY_CAP_MS } from './cluster-failover.mjs';
import { pgQuery, spread, startNodes, TURN_LIMIT_MS, within } from './cluster-nodes.mjs';
import { api } from './http.mjs';
import { cpuSeconds, median, percentile, rssMiB } from './proc.mjs';
import { subscribe } from './sse.mjs';
import { streamingLoad } from './streaming-load.mjs';

const row = (metric, value, unit, extra = {}) => ({ scenario: 'cluster', metric, value, unit, ...extra });
const sum = (values) => values.reduce((a, b) => a + b, 0);

/**
 * Every session streams one `chunks`-chunk turn at once, flat out; each is followed by one SSE
 * subscriber on the next node (another node than its owner when there are several). Events/s is
 * every session's events over the time from the first POST /send to the last `turn.completed`
 * received: persisted (every event is stored before it is announced) and delivered, across the
 * cluster. Median of `size.repeats` runs after a warm-up. `recordedPerSec` counts only up to when
 * the owners recorded the last `turn.completed`: how fast events were written, before the streams
 * caught up.
 */
async function eventsPerSecond(nodes, sessions, size) {
  const text = script({ chunksBulk: size.chunks });
  const pids = nodes.map((n) => n.pid);
  const runOnce = async () => {
    const latencies = [];
    let events = 0;
    let done = 0;
    let lastAt = 0;
    let finish;
    const finished = new Promise((r) => (finish = r));
    const subs = [];
    try {
      for (const s of sessions) {
        const { lastSeq } = await api(nodes[s.owner].url, 'GET', `/v1/sessions/${s.id}`);
        const watcher = nodes[(s.owner + 1) % nodes.length];
        subs.push(
          subscribe(`${watcher.url}/v1/sessions/${s.id}/events`, {
            lastEventId: lastSeq,
            onEvent(e) {
              events++;
              if (e.at !== null) latencies.push(e.receivedAt - e.at);
              if (e.type !== 'turn.completed') return;
              lastAt = Math.max(lastAt, e.at ?? 0);
              if (++done === sessions.length) finish(performance.now());
            },
          }),
        );
      }
      await Promise.all(subs.map((s) => s.opened));
      const cpu0 = sum(pids.map(cpuSeconds));
      const t0 = performance.now();
      const wall0 = Date.now();
      await Promise.all(
        sessions.map((s) => api(nodes[s.owner].url, 'POST', `/v1/sessions/${s.id}/send`, { text })),
      );
      const t1 = await within(finished, TURN_LIMIT_MS, `${sessions.length} streaming turns`);
      const ms = t1 - t0;
      return {
        ms,
        events,
        perSec: (events / ms) * 1000,
        // Up to when the owners recorded the last turn.completed (their clock is this one).
        recordedPerSec: (events / Math.max(1, lastAt - wall0)) * 1000,
        p50LatencyMs: percentile(latencies, 50),
        p99LatencyMs: percentile(latencies, 99),
        serverCpuS: sum(pids.map(cpuSeconds)) - cpu0,
      };
    } finally {
      for (const s of subs) s.close();
    }
  };
  await runOnce(); // warm-up
  const runs = [];
  for (let i = 0; i < size.repeats; i++) runs.push(await runOnce());
  const mid = runs.find((r) => r.perSec === median(runs.map((x) => x.perSec)));
  return { ...mid, runs: runs.map((r) => r.perSec) };
}

/**
 * Delivery latency of a steady stream: every session sends bursts of 10 chunks about every 50 ms,
 * and is followed on every node. Each event carries `at`, stamped by the owner node when it
 * recorded the event (before it was written); the subscriber notes when it parsed the frame. All
 * processes run on this machine, so both readings come from one clock (ms resolution): on a
 * cluster node the figure is owner's record → committed in PostgreSQL → NOTIFY → read back from
 * the log by the subscriber's node → SSE frame parsed by the client. `same` is the owner's own
 * stream (on a cluster node it reads the shared log too), `cross` every other node's; `lag` is how
 * much later another node's stream had an event than the owner's stream.
 */
async function deliveryLatency(nodes, sessions, size) {
  const text = script(
    ...Array.from({ length: size.clusterBursts }, () => [{ chunksBulk: 10 }, { sleep: 50 }]).flat(),
  );
  const same = [];
  const cross = [];
  const ownerSaw = new Map();
  const pairs = [];
  let done = 0;
  let finish;
  const finished = new Promise((r) => (finish = r));
  const subs = [];
  try {
    for (const s of sessions) {
      const { lastSeq } = await api(nodes[s.owner].url, 'GET', `/v1/sessions/${s.id}`);
      nodes.forEach((node, j) => {
        subs.push(
          subscribe(`${node.url}/v1/sessions/${s.id}/events`, {
            lastEventId: lastSeq,
            onEvent(e) {
              if (e.at !== null) (j === s.owner ? same : cross).push(e.receivedAt - e.at);
              const key = `${s.id}/${e.id}`;
              if (j === s.owner) ownerSaw.set(key, e.receivedAt);
              else pairs.push([key, e.receivedAt]);
              if (e.type === 'turn.completed' && ++done === sessions.length * nodes.length)
                finish(performance.now());
            },
          }),
        );
      });
    }
    await Promise.all(subs.map((s) => s.opened));
    await Promise.all(
      sessions.map((s) => api(nodes[s.owner].url, 'POST', `/v1/sessions/${s.id}/send`, { text })),
    );
    await within(finished, TURN_LIMIT_MS, 'the steady turns followed on every node');
  } finally {
    for (const s of subs) s.close();
  }
  const lag = pairs.filter(([k]) => ownerSaw.has(k)).map(([k, at]) => at - ownerSaw.get(k));
  const stats = (v) => ({ n: v.length, p50: percentile(v, 50), p99: percentile(v, 99), max: Math.max(...v) });
  return {
    same: stats(same),
    cross: cross.length ? stats(cross) : null,
    lag: lag.length ? stats(lag) : null,
  };
}

/**
 * The concurrency scenario's mixed load: sessions spread over the nodes, requests to each in turn.
 * One long turn per session (as long as the concurrency scenario's five) instead of five queued
 * turns: every send is a mutating request, and on PostgreSQL those queue behind the audit trail's
 * lock (docs/benchmarks.md), so queueing 250 of them took longer than the turns ran and sessions
 * went idle before the window. `eventsPerSec` (from the log's newest id) shows the streaming load.
 */
async function apiUnderLoad(nodes, sessions, size, schema) {
  const once = async () => {
    const measured = await streamingLoad({
      targets: sessions.map((s) => ({ id: s.id, url: nodes[s.owner].url })),
      urls: nodes.map((n) => n.url),
      size,
      turns: 1,
      bursts: size.concurrencyBursts * 5,
      cpu: { servers: () => sum(nodes.map((n) => cpuSeconds(n.pid))) },
      rss: { servers: () => sum(nodes.map((n) => rssMiB(n.pid))) },
      count: {
        events: async () =>
          Number((await pgQuery(`select coalesce(max("id"), 0) as "n" from "${schema}"."events"`))[0].n),
      },
    });
    const { result } = measured;
    return {
      p99: Math.max(result.list.p99, result.read.p99),
      p50ListMs: result.list.p50,
      p99ListMs: result.list.p99,
      p50ReadMs: result.read.p50,
      p99ReadMs: result.read.p99,
      requests: result.list.n + result.read.n,
      errors: result.errorCount,
      ...(result.errorCount > 0 ? { firstErrors: result.errors.join('; ') } : {}),
      eventsPerSec: measured.perSec.events,
      sendsMs: measured.queueMs,
      serversCpuPct: measured.cpuPct.servers,
      serversRssMiB: measured.rssMiB.servers,
    };
  };
  // The median window of `size.repeats`: on a shared 2-core host one window swings several-fold.
  const runs = [];
  for (let i = 0; i < size.repeats; i++) runs.push(await once());
  const mid = runs.find((r) => r.p99 === median(runs.map((x) => x.p99)));
  return { ...mid, runs: runs.map((r) => r.p99) };
}

/** Sessions now owned by another node than the one that created them (a lease lost under load). */
async function ownershipChanges(nodes, sessions) {
  const now = await Promise.all(sessions.map((s) => api(nodes[0].url, 'GET', `/v1/sessions/${s.id}`)));
  return now.filter((cur, i) => cur.node !== nodes[sessions[i].owner].id).length;
}

/**
 * The cluster scenario: events/s and delivery latency on 1 node (SQLite), 1 node (PostgreSQL) and
 * 3 nodes (PostgreSQL); the 50-session mixed load on 1 and on 3 PostgreSQL nodes; failover with a
 * short lease (`size.leaseMs`). The measured clusters run with `size.clusterLeaseMs` (full size:
 * 30 s, the default): with a 3 s lease, nodes starved of CPU by the 50 streaming agents on a loaded
 * 2-core host lost sessions to each other in the middle of the load (see docs/benchmarks.md). So
 * failover runs on 3 more nodes of its own, unless both leases are the same (the smoke run).
 */
export async function cluster(size) {
  // Fails here, with the reason, when PostgreSQL cannot be reached.
  await pgQuery('select 1');
  const t = tempRoot('cluster');
  const stamp = `${process.pid}_${Date.now().toString(36)}`;
  const separate = size.clusterLeaseMs !== size.leaseMs;
  const schemas = ['one', 'three', ...(separate ? ['failover'] : [])].map((k) => `aegis_bench_${stamp}_${k}`);
  const started = [];
  const n = size.clusterSessions;
  const lease = size.clusterLeaseMs;
  try {
    // Every server starts at once (starting is most of a smoke run's time); each configuration is
    // stopped once measured. An idle node makes about three small queries a second (heartbeat,
    // adoption check, log poll), well under 1 % of a core, beside the others' measurements.
    const configurations = await Promise.allSettled([
      startNodes(t, { count: 1, schema: null, label: 'sqlite' }, started),
      startNodes(t, { count: 1, schema: schemas[0], leaseMs: lease, label: 'pg1' }, started),
      startNodes(t, { count: 3, schema: schemas[1], leaseMs: lease, label: 'pg3' }, started),
      ...(separate
        ? [startNodes(t, { count: 3, schema: schemas[2], leaseMs: size.leaseMs, label: 'failover' }, started)]
        : []),
    ]);
    const failed = configurations.find((c) => c.status === 'rejected');
    if (failed) throw failed.reason;
    const [sqlite, one, three, spare = three] = configurations.map((c) => c.value);
    const stop = (nodes) => Promise.all(nodes.map((node) => node.stop()));

    // The same sessions stream flat out, then steadily, then (with more) under the API load.
    const sqliteSessions = await spread(sqlite, n, t, 'sqlite');
    const sqliteRate = await eventsPerSecond(sqlite, sqliteSessions, size);
    const sqliteLatency = await deliveryLatency(sqlite, sqliteSessions, size);
    await stop(sqlite);

    const oneSessions = await spread(one, Math.max(n, size.clusterLoadSessions), t, 'pg1');
    const oneRate = await eventsPerSecond(one, oneSessions.slice(0, n), size);
    const oneLatency = await deliveryLatency(one, oneSessions.slice(0, n), size);
    const oneLoad = await apiUnderLoad(one, oneSessions.slice(0, size.clusterLoadSessions), size, schemas[0]);
    await stop(one);

    const threeSessions = await spread(three, Math.max(n, size.clusterLoadSessions), t, 'pg3');
    const threeRate = await eventsPerSecond(three, threeSessions.slice(0, n), size);
    const latency = await deliveryLatency(three, threeSessions.slice(0, n), size);
    const threeLoad = await apiUnderLoad(
      three,
      threeSessions.slice(0, size.clusterLoadSessions),
      size,
      schemas[1],
    );
    const moved = await ownershipChanges(three, threeSessions);
    if (separate) await stop(three);

    const over = await failover(spare, t, size);
    return rowsOf(size, {
      sqliteRate,
      oneRate,
      threeRate,
      sqliteLatency,
      oneLatency,
      latency,
      oneLoad,
      threeLoad,
      moved,
      over,
    });
  } finally {
    await Promise.all(started.map((node) => node.stop()));
    for (const schema of schemas) await pgQuery(`drop schema if exists "${schema}" cascade`);
    rmSync(t.root, { recursive: true, force: true, maxRetries: 5 });
  }
}

function rowsOf(size, m) {
  const rateRow = (label, r, baseline) =>
    row(`events/s persisted+delivered, ${label}`, r.perSec, 'ev/s', {
      ...(baseline ? { baseline: baseline.perSec, ratio: r.perSec / baseline.perSec } : {}),
      sessions: size.clusterSessions,
      events: r.events,
      recordedPerSec: r.recordedPerSec,
      p50LatencyMs: r.p50LatencyMs,
      p99LatencyMs: r.p99LatencyMs,
      serverCpuS: r.serverCpuS,
      runs: r.runs,
    });
  const steadyRow = (label, l, baseline) =>
    row(`SSE delivery latency p99, steady stream, ${label}`, l.same.p99, 'ms', {
      ...(baseline ? { baseline: baseline.same.p99, ratio: l.same.p99 / baseline.same.p99 } : {}),
      p50Ms: l.same.p50,
      maxMs: l.same.max,
      samples: l.same.n,
    });
  const loadRow = (label, { p99, ...l }, baseline) =>
    row(`API p99 (list/read), ${size.clusterLoadSessions} streaming sessions, ${label}`, p99, 'ms', {
      ...(baseline ? { baseline: baseline.p99, ratio: p99 / baseline.p99 } : {}),
      ...l,
    });
  const { latency, over } = m;
  const failoverGoal = size.leaseMs + 5_000;
  return [
    rateRow('1 node, SQLite', m.sqliteRate),
    rateRow('1 node, PostgreSQL', m.oneRate, m.sqliteRate),
    rateRow('3 nodes, PostgreSQL, subscriber on another node', m.threeRate, m.sqliteRate),
    steadyRow('1 node, SQLite', m.sqliteLatency),
    steadyRow('1 node, PostgreSQL', m.oneLatency, m.sqliteLatency),
    row(
      'cross-node SSE delivery latency p99 (owner records → subscriber on another node)',
      latency.cross.p99,
      'ms',
      {
        baseline: m.sqliteLatency.same.p99,
        ratio: latency.cross.p99 / m.sqliteLatency.same.p99,
        floor: 'p99 <= 50 ms',
        met: latency.cross.p99 <= 50,
        p50Ms: latency.cross.p50,
        maxMs: latency.cross.max,
        samples: latency.cross.n,
        ownerStreamP50Ms: latency.same.p50,
        ownerStreamP99Ms: latency.same.p99,
        behindOwnerStreamP50Ms: latency.lag.p50,
        behindOwnerStreamP99Ms: latency.lag.p99,
      },
    ),
    loadRow('1 node, PostgreSQL', m.oneLoad),
    { ...loadRow('3 nodes, requests round-robin', m.threeLoad, m.oneLoad), ownershipChanges: m.moved },
    row(
      'failover: SIGKILL of the owner → next prompt (sent via another node) answered',
      over.answeredMs,
      'ms',
      {
        leaseMs: size.leaseMs,
        floor: `<= lease + 5000 ms (${failoverGoal})`,
        met: over.answeredMs <= failoverGoal,
        acceptedMs: over.acceptedMs,
        adoptedMs: over.adoptedMs,
        attempts: over.attempts,
        retryCapMs: RETRY_CAP_MS,
        statuses: JSON.stringify(over.statuses),
        ownerSessions: over.ownedByA,
        newOwner: over.newOwner,
      },
    ),
  ];
}
