// Sessions outlive their agent process: memory of idle sessions with and without eviction, and
// the latency of a cold resume against a fresh create (real adapter).
import { claudeAgentEnv, startFakeMessagesApi } from '@aegis/testkit';
import { createSession, startAegis, tempRoot, waitIdle } from './aegis.mjs';
import { api } from './http.mjs';
import { median, sleep, treeRssMiB } from './proc.mjs';
import { subscribe } from './sse.mjs';

const row = (scenario, metric, value, unit, extra = {}) => ({ scenario, metric, value, unit, ...extra });

/** N sessions (scripted agents), one turn each, then idle: server + agents RSS without and with eviction. */
export async function evictionMemory(size) {
  const t = tempRoot('evict');
  const totals = {};
  for (const evict of [0, 1_000]) {
    const server = await startAegis(t.root, {
      defaultAgent: 'scripted',
      sessions: { idleEvictMs: evict, maxResidentAgents: 1000 },
    });
    try {
      const ids = [];
      for (let i = 0; i < size.evictSessions; i += 10) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(10, size.evictSessions - i) }, () =>
            createSession(server.url, { workDir: t.dir(), prompt: 'hello' }),
          ),
        );
        ids.push(...batch.map((b) => b.id));
      }
      for (const id of ids) await waitIdle(server.url, id, 1);
      await sleep(evict ? evict + 6_000 : 2_000);
      const tree = treeRssMiB(server.pid);
      totals[evict] = tree;
      if (evict) {
        const dormant = (
          await Promise.all(ids.map((id) => api(server.url, 'GET', `/v1/sessions/${id}`)))
        ).filter((s) => s.agentResident === false).length;
        if (dormant !== ids.length) throw new Error(`${dormant} of ${ids.length} sessions were evicted`);
      }
    } finally {
      await server.stop();
    }
  }
  const [without, withEvict] = [totals[0], totals[1_000]];
  const ratio = withEvict.mib / without.mib;
  return [
    row(
      'eviction',
      `server + agents RSS, ${size.evictSessions} idle sessions, never evicted`,
      without.mib,
      'MiB',
      {
        processes: without.processes,
      },
    ),
    row(
      'eviction',
      `server + agents RSS, ${size.evictSessions} idle sessions, evicted`,
      withEvict.mib,
      'MiB',
      {
        processes: withEvict.processes,
        baseline: without.mib,
        ratio,
        floor: '<= 0.10 of never evicted',
        met: ratio <= 0.1,
      },
    ),
  ];
}

/** First `message.delta` after a send, ms from the POST. */
async function firstDelta(url, id, text) {
  const { lastSeq } = await api(url, 'GET', `/v1/sessions/${id}`);
  let done;
  const got = new Promise((r) => (done = r));
  const sub = subscribe(`${url}/v1/sessions/${id}/events`, {
    lastEventId: lastSeq,
    onEvent(e) {
      if (e.type === 'message.delta') done(performance.now());
    },
  });
  await sub.opened;
  const t0 = performance.now();
  await api(url, 'POST', `/v1/sessions/${id}/send`, { text });
  const t1 = await got;
  sub.close();
  return t1 - t0;
}

/** Real adapter: send on an evicted session → first delta, against create → first delta; pool off and on. */
export async function coldResume(size) {
  const fake = await startFakeMessagesApi();
  const t = tempRoot('resume');
  const env = claudeAgentEnv({ baseUrl: fake.url, home: t.dir('home') });
  const rows = [];
  try {
    for (const pool of [0, 1]) {
      const server = await startAegis(t.root, {
        defaultAgent: 'claude-code',
        agentEnv: env,
        pool: { size: pool },
        sessions: { idleEvictMs: 1_500 },
      });
      const created = [];
      const resumed = [];
      try {
        for (let i = 0; i < size.realRuns; i++) {
          if (pool) await sleep(5_000);
          const s = await createSession(server.url, { workDir: t.dir('c') });
          created.push(s.ms + (await firstDelta(server.url, s.id, 'say first')));
          await waitIdle(server.url, s.id, 1);
          for (let k = 0; k < 600; k++) {
            const cur = await api(server.url, 'GET', `/v1/sessions/${s.id}`);
            if (cur.agentResident === false) break;
            await sleep(100);
          }
          if (pool) await sleep(5_000);
          resumed.push(await firstDelta(server.url, s.id, 'say second'));
          await waitIdle(server.url, s.id, 2);
          await api(server.url, 'DELETE', `/v1/sessions/${s.id}`);
        }
      } finally {
        await server.stop();
      }
      const ratio = median(resumed) / median(created);
      rows.push(
        row(
          'eviction',
          `real agent: send on an evicted session → first delta, pool ${pool}`,
          median(resumed),
          'ms',
          {
            baseline: median(created),
            ratio,
            floor: '<= 1.2 × create → first delta',
            met: ratio <= 1.2,
            runs: resumed,
            createRuns: created,
          },
        ),
      );
    }
  } finally {
    await fake.close();
  }
  return rows;
}
