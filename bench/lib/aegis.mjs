// Starting an Aegis server for a scenario, and timing one turn through it as SSE subscribers see it.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCRIPTED_AGENT_BIN } from '@aegis/testkit';
import { api } from './http.mjs';
import { percentile, sleep, spawnReady, stopChild } from './proc.mjs';
import { subscribe } from './sse.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const TINY_AGENT = join(here, 'tiny-agent.sh');

export const AGENTS = {
  scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] },
  tiny: { command: '/bin/sh', args: [TINY_AGENT] },
};

export function tempRoot(name) {
  const root = mkdtempSync(join(tmpdir(), `aegis-bench-${name}-`));
  let n = 0;
  return {
    root,
    dir(label = 'w') {
      const d = join(root, 'work', `${++n}-${label}`);
      mkdirSync(d, { recursive: true });
      return d;
    },
  };
}

/** Starts `server-proc.mjs` with a config; returns its url, pid and `stop()`. */
export async function startAegis(root, config = {}) {
  const full = {
    stateDir: join(root, 'state'),
    allowedWorkDirs: [root],
    agents: AGENTS,
    defaultAgent: 'scripted',
    limits: { requestsPerMinute: 10_000_000, sessionsPerKey: 100_000, sessionsGlobal: 100_000 },
    // Fan-out opens 100 streams as the local user (the default allows 20 per key).
    eventStreams: { perKey: 100_000 },
    ...config,
  };
  // AEGIS_BENCH_CPU_PROF=<dir>: every server writes a V8 CPU profile there when it stops.
  const prof = process.env.AEGIS_BENCH_CPU_PROF;
  const profArgs = prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [];
  const { child, match } = await spawnReady(
    [...profArgs, '--expose-gc', join(here, 'server-proc.mjs'), JSON.stringify(full)],
    {
      ready: /READY (\S+)/,
      timeoutMs: 120_000,
    },
  );
  return { url: match[1], pid: child.pid, child, stop: () => stopChild(child) };
}

export async function createSession(url, body) {
  const t0 = performance.now();
  const res = await api(url, 'POST', '/v1/sessions', body);
  return { id: res.session.id, session: res.session, ms: performance.now() - t0 };
}

/**
 * Sends `text` to session `id` with `subscribers` SSE streams open, and resolves when every one of
 * them has seen `turn.completed`: elapsed ms from the POST, events per stream, delivery latencies.
 */
export async function timedTurn(url, id, text, subscribers = 1) {
  const { lastSeq } = await api(url, 'GET', `/v1/sessions/${id}`);
  const latencies = [];
  let doneCount = 0;
  let finish;
  const finished = new Promise((r) => (finish = r));
  const counts = new Array(subscribers).fill(0);
  const subs = Array.from({ length: subscribers }, (_, i) =>
    subscribe(`${url}/v1/sessions/${id}/events`, {
      lastEventId: lastSeq,
      onEvent(e) {
        counts[i]++;
        if (e.at !== null) latencies.push(e.receivedAt - e.at);
        if (e.type === 'turn.completed' && ++doneCount === subscribers) finish(performance.now());
      },
    }),
  );
  await Promise.all(subs.map((s) => s.opened));
  const t0 = performance.now();
  await api(url, 'POST', `/v1/sessions/${id}/send`, { text });
  const t1 = await finished;
  for (const s of subs) s.close();
  return {
    ms: t1 - t0,
    events: counts[0],
    delivered: counts.reduce((a, b) => a + b, 0),
    p50LatencyMs: percentile(latencies, 50),
    p99LatencyMs: percentile(latencies, 99),
  };
}

/** Polls session `id` until it has finished `turns` turns and is idle (at most 2 minutes). */
export async function waitIdle(url, id, turns) {
  for (let i = 0; i < 2400; i++) {
    const s = await api(url, 'GET', `/v1/sessions/${id}`);
    if (s.turns >= turns && s.status === 'idle') return s;
    await sleep(50);
  }
  throw new Error(`session ${id} did not finish turn ${turns}`);
}
