// The benchmark scenarios. Each takes the size table and returns rows: { scenario, metric, value,
// unit, baseline?, ratio?, floor?, met? } — see run.mjs for how they are printed and stored.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { claudeCodeSpec } from '@aegis/acp-runtime';
import { createAegis } from '@aegis/core';
import { createSqliteStore } from '@aegis/core/sqlite';
import { claudeAgentEnv, SCRIPTED_AGENT_BIN, script, startFakeMessagesApi } from '@aegis/testkit';
import { openDirect } from './acp-direct.mjs';
import { AGENTS, createSession, startAegis, tempRoot, timedTurn } from './aegis.mjs';
import { cluster } from './cluster.mjs';
import { conversationCapture } from './conversation-capture.mjs';
import { coldResume, evictionMemory } from './eviction.mjs';
import { history } from './history.mjs';
import { api, leanClient, waitHealthy } from './http.mjs';
import { probes } from './probes.mjs';
import {
  cpuSeconds,
  freePort,
  median,
  percentile,
  rssMiB,
  sleep,
  spawnReady,
  stopChild,
  waitTreeQuiet,
} from './proc.mjs';
import { serveRss } from './serve-rss.mjs';
import { subscribe } from './sse.mjs';
import { streamingLoad } from './streaming-load.mjs';
import { tracingOverhead, tracingRealAgent } from './tracing-overhead.mjs';
import { usageLedger } from './usage-ledger.mjs';

const row = (scenario, metric, value, unit, extra = {}) => ({ scenario, metric, value, unit, ...extra });
const floorRow = (scenario, metric, value, unit, floor, met, extra = {}) =>
  row(scenario, metric, value, unit, { floor, met, ...extra });

/** Turn overhead vs direct ACP, for a streaming turn and a tool-call turn. */
export async function turnOverhead(size) {
  const t = tempRoot('turn');
  const server = await startAegis(t.root);
  const rows = [];
  try {
    const { id } = await createSession(server.url, { workDir: t.dir() });
    const direct = await openDirect({ command: process.execPath, args: [SCRIPTED_AGENT_BIN], cwd: t.dir() });
    for (const [label, step, floor] of [
      [`${size.chunks}-chunk turn`, { chunksBulk: size.chunks }, 1.3],
      [`${size.tools}-tool-call turn`, { tools: size.tools }, null],
    ]) {
      const text = script(step);
      await timedTurn(server.url, id, text); // warm-up
      await direct.prompt(text);
      const viaAegis = [];
      const viaAcp = [];
      let events = 0;
      for (let i = 0; i < size.repeats; i++) {
        const a = await timedTurn(server.url, id, text);
        viaAegis.push(a.ms);
        events = a.events;
        viaAcp.push((await direct.prompt(text)).ms);
      }
      const aegisMs = median(viaAegis);
      const acpMs = median(viaAcp);
      const ratio = aegisMs / acpMs;
      const extra = { baseline: acpMs, ratio, events, eventsPerSec: (events / aegisMs) * 1000 };
      rows.push(
        floor
          ? floorRow('turn overhead', label, aegisMs, 'ms', `ratio <= ${floor}`, ratio <= floor, extra)
          : row('turn overhead', label, aegisMs, 'ms', extra),
      );
    }
    await direct.close();
  } finally {
    await server.stop();
  }
  return rows;
}

/** The same streaming turn with 1, 10, 100 SSE subscribers. */
export async function fanOut(size) {
  const t = tempRoot('fanout');
  const server = await startAegis(t.root);
  const rows = [];
  try {
    const { id } = await createSession(server.url, { workDir: t.dir() });
    const text = script({ chunksBulk: size.chunks });
    await timedTurn(server.url, id, text);
    // Baseline, in the same run: a bare ACP client taking the same turn from the same agent binary
    // (what the agent itself can produce; no store, no subscribers).
    const direct = await openDirect({ command: process.execPath, args: [SCRIPTED_AGENT_BIN], cwd: t.dir() });
    await direct.prompt(text);
    const bareMs = [];
    for (let i = 0; i < 3; i++) bareMs.push((await direct.prompt(text)).ms);
    await direct.close();
    const bare = (size.chunks / median(bareMs)) * 1000;
    for (const n of size.subscribers) {
      const r = await timedTurn(server.url, id, text, n);
      // The agent's chunks, each stored and delivered to every subscriber: consecutive deltas of one
      // message that arrive together are stored and sent as one event (its text is all of them),
      // so the figure counts chunks; `events` is how many SSE events carried them.
      const perSec = (size.chunks / r.ms) * 1000;
      const extra = {
        baseline: bare,
        ratio: perSec / bare,
        events: r.events,
        turnMs: r.ms,
        deliveredEventsPerSec: (r.delivered / r.ms) * 1000,
        p50LatencyMs: r.p50LatencyMs,
        p99LatencyMs: r.p99LatencyMs,
      };
      const metric = `${n} subscriber(s): chunks/s persisted+delivered`;
      rows.push(
        n === 10
          ? floorRow('fan-out', metric, perSec, 'chunks/s', '>= 50000', perSec >= 50_000, extra)
          : row('fan-out', metric, perSec, 'chunks/s', extra),
      );
    }
  } finally {
    await server.stop();
  }
  return rows;
}

/** N sessions streaming at once; API latency from a second process; server CPU and RSS. */
export async function concurrency(size) {
  const t = tempRoot('conc');
  // Up to 100 scripted agents (~40 MiB each) stream at once: the default maxResidentAgents sizes the
  // machine for Claude Code agents (450 MiB each) and would answer 429 past 53 on a 24 GiB machine.
  const server = await startAegis(t.root, { sessions: { maxResidentAgents: 1000 } });
  const rows = [];
  const ids = [];
  try {
    for (const n of size.concurrency) {
      while (ids.length < n) {
        const batch = Math.min(10, n - ids.length);
        const created = await Promise.all(
          Array.from({ length: batch }, () => createSession(server.url, { workDir: t.dir() })),
        );
        ids.push(...created.map((c) => c.id));
      }
      const measured = await streamingLoad({
        targets: ids.map((id) => ({ id, url: server.url })),
        urls: [server.url],
        size,
        cpu: { server: () => cpuSeconds(server.pid) },
        rss: { server: () => rssMiB(server.pid) },
      });
      const { result } = measured;
      const floor = n === 50 ? { floor: 'p99 <= 20 ms' } : {};
      const extra = {
        p50ListMs: result.list.p50,
        p99ListMs: result.list.p99,
        p50ReadMs: result.read.p50,
        p99ReadMs: result.read.p99,
        requests: result.list.n + result.read.n,
        errors: result.errorCount,
        serverCpuPct: measured.cpuPct.server,
        serverRssMiB: measured.rssMiB.server,
      };
      const p99 = Math.max(result.list.p99, result.read.p99);
      rows.push(
        row('concurrency', `${n} streaming sessions: API p99 (list/read)`, p99, 'ms', {
          ...extra,
          ...floor,
          ...(n === 50 ? { met: p99 <= 20 } : {}),
        }),
      );
    }
  } finally {
    await server.stop();
  }
  return rows;
}

async function gcRss(pid) {
  process.kill(pid, 'SIGUSR2');
  await sleep(400);
  process.kill(pid, 'SIGUSR2');
  await sleep(400);
  return rssMiB(pid);
}

/** Server RSS (agents excluded: they are other processes) at 0 and N idle sessions; create/kill cycles. */
export async function memoryPerSession(size) {
  const t = tempRoot('mem');
  const server = await startAegis(t.root, { defaultAgent: 'tiny' });
  const rows = [];
  try {
    // Warm the code paths once so lazily compiled code is not counted as per-session memory.
    const warm = await createSession(server.url, { workDir: t.dir() });
    await api(server.url, 'DELETE', `/v1/sessions/${warm.id}`);
    const base = await gcRss(server.pid);
    rows.push(floorRow('memory', 'server RSS, 0 idle sessions', base, 'MiB', '<= 80 MiB', base <= 80));
    let live = [];
    for (const n of size.idle) {
      while (live.length < n) {
        const batch = Math.min(20, n - live.length);
        const created = await Promise.all(
          Array.from({ length: batch }, () => createSession(server.url, { workDir: t.dir() })),
        );
        live.push(...created.map((c) => c.id));
      }
      const rss = await gcRss(server.pid);
      const per = ((rss - base) * 1024) / n;
      rows.push(
        floorRow('memory', `server RSS, ${n} idle sessions`, rss, 'MiB', '<= 1024 KiB/session', per <= 1024, {
          perSessionKiB: per,
        }),
      );
    }
    const killAll = async () => {
      for (let i = 0; i < live.length; i += 20)
        await Promise.all(live.slice(i, i + 20).map((id) => api(server.url, 'DELETE', `/v1/sessions/${id}`)));
      live = [];
    };
    await killAll();
    const afterKill = await gcRss(server.pid);
    const cycles = [];
    for (let c = 0; c < size.cycles; c++) {
      const created = [];
      for (let i = 0; i < size.cycleSessions; i += 20)
        created.push(
          ...(await Promise.all(
            Array.from({ length: Math.min(20, size.cycleSessions - i) }, () =>
              createSession(server.url, { workDir: t.dir() }),
            ),
          )),
        );
      live = created.map((x) => x.id);
      await killAll();
      cycles.push(await gcRss(server.pid));
    }
    rows.push(
      row(
        'memory',
        `RSS growth over ${size.cycles} create/kill cycles of ${size.cycleSessions}`,
        cycles.at(-1) - afterKill,
        'MiB',
        {
          afterKillMiB: afterKill,
          perCycleMiB: cycles,
        },
      ),
    );
  } finally {
    await server.stop();
  }
  return rows;
}

/** Seeds a terminal session with `entries` transcript entries and `events` events, through the store API. */
async function seed(root, size) {
  const dbPath = join(root, 'state', 'aegis.db');
  const store = createSqliteStore({ path: dbPath });
  const driver = {
    agents: ['seed'],
    async start() {
      return {
        info: {
          agentName: 'seed',
          agentVersion: null,
          protocolVersion: 1,
          pid: null,
          modes: [],
          currentMode: null,
          models: [],
          currentModel: null,
          commands: [],
        },
        prompt: async () => ({ stopReason: 'end_turn' }),
        cancel: async () => {},
        setMode: async () => {},
        setModel: async () => {},
        close: async () => {},
      };
    },
  };
  const aegis = createAegis({ agent: driver, store, onError: () => {} });
  const { session } = await aegis.sessions.create({ workDir: root });
  const killed = await aegis.sessions.kill(session.id);
  const at = new Date().toISOString();
  const firstSeq = killed.lastSeq + 1;
  const B = 5000;
  for (let i = 0; i < size.transcript; i += B) {
    const n = Math.min(B, size.transcript - i);
    await store.write({
      transcript: Array.from({ length: n }, (_, k) => ({
        sessionId: session.id,
        seq: firstSeq + i + k,
        at,
        role: (i + k) % 2 ? 'assistant' : 'user',
        text: `entry ${i + k}: ${'lorem ipsum dolor sit amet '.repeat(4)}`,
      })),
    });
  }
  for (let i = 0; i < size.replay; i += B) {
    const n = Math.min(B, size.replay - i);
    await store.write({
      events: Array.from({ length: n }, (_, k) => ({
        sessionId: session.id,
        seq: firstSeq + i + k,
        at,
        type: 'message.delta',
        data: { messageId: 'm1', text: 'x' },
      })),
    });
  }
  // The query alone, in-process (no HTTP, no scheduling noise from other processes).
  const storeLat = [];
  for (let i = 0; i < 200; i++) {
    const before = 1 + Math.floor(Math.random() * size.transcript);
    const t0 = performance.now();
    await store.listTranscript({ sessionId: session.id, before, limit: 51 });
    storeLat.push(performance.now() - t0);
  }
  await aegis.close();
  return {
    id: session.id,
    afterSeq: firstSeq - 1,
    storeP99: percentile(storeLat, 99),
    storeP50: percentile(storeLat, 50),
  };
}

/** Cursor pages from a long transcript, and SSE replay from Last-Event-ID. */
export async function transcript(size) {
  const t = tempRoot('transcript');
  const seeded = await seed(t.root, size);
  const server = await startAegis(t.root);
  const rows = [];
  try {
    const first = await api(server.url, 'GET', `/v1/sessions/${seeded.id}/transcript/cursor?limit=50`);
    const newest = first.newest_id;
    const page = (before) => `/v1/sessions/${seeded.id}/transcript/cursor?limit=50&before_id=${before}`;
    // Baseline, in the same run: a bare Node HTTP server in its own process answering every GET
    // with the bytes of one such page, timed by the same client, one request to each in turn.
    const client = leanClient(server.url);
    const pageFile = join(t.root, 'page.json');
    writeFileSync(pageFile, (await client.get(page(Math.ceil(newest / 2)))).body);
    const bareProc = await spawnReady([join(import.meta.dirname, 'bare-page-server.mjs'), pageFile], {
      ready: /READY (\S+)/,
    });
    const bareClient = leanClient(bareProc.match[1]);
    const lat = [];
    const bareLat = [];
    try {
      for (let i = 0; i < 20; i++) {
        await client.get(page(newest));
        await bareClient.get('/');
      }
      for (let i = 0; i < size.pages; i++) {
        lat.push((await client.get(page(1 + Math.floor(Math.random() * newest)))).ms);
        bareLat.push((await bareClient.get('/')).ms);
      }
    } finally {
      client.close();
      bareClient.close();
      await stopChild(bareProc.child);
    }
    const p99 = percentile(lat, 99);
    const bareP99 = percentile(bareLat, 99);
    rows.push(
      floorRow(
        'transcript',
        `cursor page of 50 from ${size.transcript} entries (p99)`,
        p99,
        'ms',
        'p99 <= 2 ms',
        p99 <= 2,
        {
          baseline: bareP99,
          ratio: p99 / bareP99,
          p50Ms: percentile(lat, 50),
          baselineP50Ms: percentile(bareLat, 50),
        },
      ),
      row('transcript', '  the same page from the store in-process (p99)', seeded.storeP99, 'ms', {
        p50Ms: seeded.storeP50,
      }),
    );
    const replays = [];
    for (let i = 0; i < size.replayRuns; i++) {
      let got = 0;
      let done;
      const finished = new Promise((r) => (done = r));
      const t0 = performance.now();
      const sub = subscribe(`${server.url}/v1/sessions/${seeded.id}/events`, {
        lastEventId: seeded.afterSeq,
        onEvent() {
          if (++got === size.replay) done(performance.now());
        },
      });
      await sub.opened;
      replays.push((await finished) - t0);
      sub.close();
    }
    const replayMs = median(replays);
    rows.push(
      floorRow(
        'transcript',
        `SSE replay of ${size.replay} events from Last-Event-ID`,
        replayMs,
        'ms',
        '<= 250 ms',
        replayMs <= 250,
        {
          maxMs: Math.max(...replays),
        },
      ),
    );
  } finally {
    await server.stop();
  }
  return rows;
}

/** `ag serve` to a healthy /v1/health; create → idle with and without the warm pool (scripted agent). */
export async function startup(size) {
  const rows = [];
  const cliBin = join(import.meta.dirname, '../../packages/cli/dist/bin.js');
  // Baseline, in the same run: a bare Node HTTP server answering /v1/health (what no start can beat).
  const bare = [
    '-e',
    "require('node:http').createServer((q, s) => s.end('{}')).listen(Number(process.env.AEGIS_PORT), '127.0.0.1')",
  ];
  const serveMs = [];
  const bareMs = [];
  const timeToHealthy = async (args, root) => {
    const port = await freePort();
    const t0 = performance.now();
    const child = spawn(process.execPath, args, {
      env: {
        ...process.env,
        AEGIS_PORT: String(port),
        AEGIS_STATE_DIR: join(root, 'state'),
        AEGIS_LOG_LEVEL: 'error',
      },
      stdio: 'ignore',
    });
    try {
      await waitHealthy(`http://127.0.0.1:${port}`, { what: args.join(' ') });
      return performance.now() - t0;
    } finally {
      await stopChild(child);
    }
  };
  for (let i = 0; i < size.serveRuns; i++) {
    serveMs.push(await timeToHealthy([cliBin, 'serve'], tempRoot('serve').root));
    bareMs.push(await timeToHealthy(bare, tempRoot('serve').root));
  }
  const serveMedian = median(serveMs);
  rows.push(
    floorRow(
      'start-up',
      '`ag serve` → healthy /v1/health',
      serveMedian,
      'ms',
      '<= 400 ms',
      serveMedian <= 400,
      {
        baseline: median(bareMs),
        ratio: serveMedian / median(bareMs),
        runs: serveMs,
      },
    ),
  );
  // A command against a running server, start → exit: `ag list`, against a bare Node process making
  // the same request with fetch.
  {
    const t = tempRoot('cli');
    const server = await startAegis(t.root);
    const toExit = async (args) => {
      const t0 = performance.now();
      const child = spawn(process.execPath, args, { stdio: 'ignore' });
      const code = await new Promise((resolve) => child.on('exit', resolve));
      if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}`);
      return performance.now() - t0;
    };
    try {
      const cli = [];
      const bareFetch = [];
      for (let i = 0; i < size.serveRuns * 2; i++) {
        cli.push(await toExit([cliBin, 'list', '--url', server.url]));
        bareFetch.push(
          await toExit(['-e', `fetch(${JSON.stringify(`${server.url}/v1/sessions`)}).then((r) => r.text())`]),
        );
      }
      rows.push(
        row('start-up', '`ag list` against a running server, start → exit', median(cli), 'ms', {
          baseline: median(bareFetch),
          ratio: median(cli) / median(bareFetch),
          runs: cli,
        }),
      );
    } finally {
      await server.stop();
    }
  }
  for (const pool of [0, size.poolSize]) {
    const t = tempRoot('pool');
    const server = await startAegis(t.root, { pool: { size: pool } });
    try {
      const times = [];
      await sleep(pool ? 1500 : 200);
      for (let i = 0; i < size.createRuns; i++) {
        const s = await createSession(server.url, { workDir: t.dir() });
        times.push(s.ms);
        await api(server.url, 'DELETE', `/v1/sessions/${s.id}`);
        await sleep(pool ? 800 : 100); // let the pool refill
      }
      rows.push(
        row('start-up', `scripted agent: create → idle, pool ${pool}`, median(times), 'ms', { runs: times }),
      );
    } finally {
      await server.stop();
    }
  }
  const [cold, warm] = rows.slice(-2);
  warm.baseline = cold.value;
  warm.ratio = warm.value / cold.value;
  return rows;
}

/** The real Claude Code adapter against the local Messages stand-in: through Aegis vs direct ACP. */
export async function realAgent(size) {
  const rows = [];
  const fake = await startFakeMessagesApi();
  const t = tempRoot('real');
  const env = claudeAgentEnv({ baseUrl: fake.url, home: t.dir('home') });
  const spec = claudeCodeSpec();
  const turns = [
    ['Write turn', 'create a file named bench.txt containing hello'],
    ['Bash turn', 'run `echo hi`'],
  ];
  const parallel = size.realParallel;
  const openBare = () => openDirect({ command: spec.command, args: spec.args, env, cwd: t.dir('direct') });
  try {
    const direct = { ready: [], Write: [], Bash: [], parallel: [] };
    for (let i = 0; i < size.realRuns; i++) {
      const d = await openBare();
      direct.ready.push(d.readyMs);
      await d.setMode('bypassPermissions');
      for (const [label, text] of turns) direct[label.split(' ')[0]].push((await d.prompt(text)).ms);
      await d.close();
    }
    // N bare clients at once, each in its own folder: spawn, initialize, session/new, until all are ready.
    for (let i = 0; i < size.realRuns; i++) {
      const t0 = performance.now();
      const all = await Promise.all(Array.from({ length: parallel }, openBare));
      direct.parallel.push(performance.now() - t0);
      await Promise.all(all.map((d) => d.close()));
    }
    // A pooled server is measured once its pool has started and initialized its agents (the
    // server's process tree has gone quiet), so a create finds the pool full, as in use.
    const settle = (server, pool) => waitTreeQuiet(server.pid, { processes: pool, quietMs: 1500 });
    for (const pool of [0, 1]) {
      const server = await startAegis(t.root, {
        defaultAgent: 'claude-code',
        agentEnv: env,
        pool: { size: pool },
      });
      const via = { ready: [], Write: [], Bash: [], sameFolder: [] };
      try {
        for (let i = 0; i < size.realRuns; i++) {
          if (pool) await settle(server, pool);
          const s = await createSession(server.url, {
            workDir: t.dir('aegis'),
            permissionMode: 'bypassPermissions',
          });
          via.ready.push(s.ms);
          if (!pool)
            for (const [label, text] of turns)
              via[label.split(' ')[0]].push((await timedTurn(server.url, s.id, text)).ms);
          await api(server.url, 'DELETE', `/v1/sessions/${s.id}`);
        }
        // Sessions one after another in one folder (an orchestrator working in one repository): the
        // pool starts each replacement in the folder of the session before, so the adapter does not
        // redo its per-folder start-up work (`claude auth status`) inside `session/new`.
        if (pool) {
          const folder = t.dir('aegis-same');
          for (let i = 0; i <= size.realRuns; i++) {
            await settle(server, pool);
            const s = await createSession(server.url, {
              workDir: folder,
              permissionMode: 'bypassPermissions',
            });
            if (i > 0) via.sameFolder.push(s.ms); // the first one found the pool's process elsewhere
            await api(server.url, 'DELETE', `/v1/sessions/${s.id}`);
          }
        }
      } finally {
        await server.stop();
      }
      const directReady = median(direct.ready);
      const createRow = (metric, runs) =>
        row('real agent', metric, median(runs), 'ms', {
          baseline: directReady,
          ratio: median(runs) / directReady,
          runs,
        });
      rows.push(createRow(`create → idle through Aegis, pool ${pool}`, via.ready));
      if (pool)
        rows.push(
          createRow(
            `create → idle through Aegis, pool ${pool}, in the folder of the session before`,
            via.sameFolder,
          ),
        );
      if (!pool)
        for (const [label] of turns) {
          const k = label.split(' ')[0];
          rows.push(
            row('real agent', `${label} through Aegis`, median(via[k]), 'ms', {
              baseline: median(direct[k]),
              ratio: median(via[k]) / median(direct[k]),
            }),
          );
        }
    }
    // N creates at once (each its own folder) against a pool of N: until every one is idle.
    const server = await startAegis(t.root, {
      defaultAgent: 'claude-code',
      agentEnv: env,
      pool: { size: parallel },
    });
    const together = [];
    try {
      for (let i = 0; i < size.realRuns; i++) {
        await settle(server, parallel);
        const t0 = performance.now();
        const created = await Promise.all(
          Array.from({ length: parallel }, () =>
            createSession(server.url, { workDir: t.dir('aegis'), permissionMode: 'bypassPermissions' }),
          ),
        );
        together.push(performance.now() - t0);
        await Promise.all(created.map((s) => api(server.url, 'DELETE', `/v1/sessions/${s.id}`)));
      }
    } finally {
      await server.stop();
    }
    const bare = median(direct.parallel);
    rows.push(
      row('real agent', `${parallel} creates at once → all idle, pool ${parallel}`, median(together), 'ms', {
        baseline: bare,
        ratio: median(together) / bare,
        runs: together,
        baselineRuns: direct.parallel,
      }),
    );
  } finally {
    await fake.close();
  }
  return rows;
}

/**
 * Sandboxed sessions (issue 16): the real adapter confined by bubblewrap vs unconfined, same
 * server, alternating runs. Goal: ≤ 150 ms added to create → idle, ≤ 10 % on a Write and a Bash turn.
 */
export async function sandbox(size) {
  const fake = await startFakeMessagesApi();
  const t = tempRoot('sandbox');
  const env = claudeAgentEnv({ baseUrl: fake.url, home: t.dir('home') });
  const turns = [
    ['Write', 'create a file named bench.txt containing hello'],
    ['Bash', 'run `echo hi`'],
  ];
  const server = await startAegis(t.root, { defaultAgent: 'claude-code', agentEnv: env });
  const runs = { open: { ready: [], Write: [], Bash: [] }, confined: { ready: [], Write: [], Bash: [] } };
  try {
    // One round of each first, not counted (the first agent start pays for cold disk caches), then
    // at least 5 rounds, the order of the two kinds swapped every round.
    const rounds = Math.max(5, size.realRuns * 2);
    for (let i = -1; i < rounds; i++) {
      for (const kind of i % 2 === 0 ? ['open', 'confined'] : ['confined', 'open']) {
        const s = await createSession(server.url, {
          workDir: t.dir(`${kind}-${i + 1}`),
          permissionMode: 'bypassPermissions',
          ...(kind === 'confined' ? { sandbox: {} } : {}),
        });
        const timed = turns.map(() => 0);
        for (const [n, [, text]] of turns.entries()) timed[n] = (await timedTurn(server.url, s.id, text)).ms;
        await api(server.url, 'DELETE', `/v1/sessions/${s.id}`);
        if (i < 0) continue;
        runs[kind].ready.push(s.ms);
        for (const [n, [label]] of turns.entries()) runs[kind][label].push(timed[n]);
      }
    }
  } finally {
    await server.stop();
    await fake.close();
  }
  const rows = [];
  const open = median(runs.open.ready);
  const confined = median(runs.confined.ready);
  rows.push(
    row('sandbox', 'real agent create → idle, sandboxed', confined, 'ms', {
      baseline: open,
      ratio: confined / open,
      added: confined - open,
      goal: '≤ 150 ms added',
      runs: runs.confined.ready,
      baselineRuns: runs.open.ready,
    }),
  );
  for (const [label] of turns) {
    const o = median(runs.open[label]);
    const c = median(runs.confined[label]);
    rows.push(
      row('sandbox', `${label} turn, sandboxed`, c, 'ms', {
        baseline: o,
        ratio: c / o,
        goal: '≤ 1.10×',
        runs: runs.confined[label],
        baselineRuns: runs.open[label],
      }),
    );
  }
  return rows;
}

export const SCENARIOS = {
  turnOverhead,
  fanOut,
  concurrency,
  memoryPerSession,
  serveRss,
  transcript,
  startup,
  realAgent,
  evictionMemory,
  coldResume,
  cluster,
  sandbox,
  usageLedger,
  tracingOverhead,
  tracingRealAgent,
  history,
  probes,
  conversationCapture,
};
export { AGENTS };
