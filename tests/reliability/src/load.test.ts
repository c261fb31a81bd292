import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  gapProblem,
  RawSse,
  type ServerProcess,
  SOAK,
  slowChunks,
  startServerProcess,
  tempDir,
  UNLIMITED,
  waitForStatus,
} from './harness.js';

const LIVE_SESSIONS = SOAK ? 50 : 10;
const SECONDS = SOAK ? 60 : 20;
const CONCURRENCY = SOAK ? 64 : 16;
const GENERATOR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/load-generator.mjs');

describe('mixed API load with live streaming sessions', () => {
  const root = tempDir('load');
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop();
    root.remove();
  });

  it(`${SECONDS} s of load from a second process with ${LIVE_SESSIONS} sessions streaming: no 5xx, no gap on any stream`, async () => {
    server = await startServerProcess({
      stateDir: root.sub('state'),
      allowedWorkDirs: [root.dir],
      mode: 'launcher',
      config: UNLIMITED,
    });
    const s = server;
    // Each session streams for about the whole run, with enough chunks to keep the store busy.
    const chunkGapMs = 50;
    const chunks = Math.ceil((SECONDS * 1000) / chunkGapMs);
    const ids: string[] = [];
    const streams: RawSse[] = [];
    for (let i = 0; i < LIVE_SESSIONS; i++) {
      const { session } = await s.client.createSession({
        workDir: root.sub(`w${i}`),
        prompt: slowChunks(chunks, chunkGapMs),
      });
      ids.push(session.id);
      streams.push(new RawSse(`${s.url}/v1/sessions/${session.id}/events`));
    }
    const gen = spawn(
      process.execPath,
      [GENERATOR, s.url, String(SECONDS), String(CONCURRENCY), ids.join(',')],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    gen.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => gen.once('exit', r));
    expect(code).toBe(0);
    const report = JSON.parse(out.trim().split('\n').at(-1)!) as {
      requests: number;
      byStatus: Record<string, number>;
      errors: number;
      fiveXx: string[];
      rps: number;
      p50: number;
      p99: number;
      maxMs: number;
    };
    console.log(`[figures] load: ${JSON.stringify(report)}`);
    // The server's own event-loop delay over the run (prom-client's monitor): tells a server stall
    // apart from latency the load generator adds on a CPU it shares with every agent.
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    const lag = (name: string) =>
      Number(new RegExp(`^nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(metrics)?.[1]);
    console.log(
      `[figures] load: server event-loop delay max ${(lag('max') * 1000).toFixed(0)} ms, p99 ${(lag('p99') * 1000).toFixed(0)} ms`,
    );
    expect(report.fiveXx).toEqual([]);
    expect(report.errors).toBe(0);
    expect(Object.keys(report.byStatus).filter((k) => Number(k) >= 500)).toEqual([]);

    let events = 0;
    for (const [i, id] of ids.entries()) {
      const killed = await s.client.killSession(id);
      expect(['killed', 'completed', 'idle', 'error']).toContain(killed.status);
      const final = await waitForStatus(s.client, id, ['killed', 'completed'], 10_000);
      const stream = streams[i]!;
      await stream.until((f) => f.at(-1)?.id === final.lastSeq, 15_000);
      await stream.stop();
      expect(
        gapProblem(
          stream.frames.map((f) => f.id),
          1,
        ),
        `stream of ${id}`,
      ).toBeNull();
      events += stream.frames.length;
    }
    console.log(`[figures] load: ${LIVE_SESSIONS} SSE streams, ${events} events, all gap-free`);
  });
});
