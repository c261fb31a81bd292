import { afterAll, describe, expect, it } from 'vitest';
import {
  descendants,
  eventually,
  fdCount,
  rssKb,
  type ServerProcess,
  SOAK,
  startServerProcess,
  tempDir,
  UNLIMITED,
  waitForStatus,
} from './harness.js';

const SESSIONS = Number(process.env.AEGIS_SOAK_SESSIONS ?? (SOAK ? 1000 : 200));

describe('soak: sessions created, prompted and killed in sequence', () => {
  const root = tempDir('soak');
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop();
    root.remove();
  });

  // ~0.4 s a session on 2 cores, most of it the agent's Node start-up.
  const timeout = 60_000 + SESSIONS * 1_500;
  it(`${SESSIONS} sessions leave no agent process, no fd growth and bounded RSS growth`, {
    timeout,
  }, async () => {
    server = await startServerProcess({
      stateDir: root.sub('state'),
      allowedWorkDirs: [root.dir],
      mode: 'launcher',
      config: UNLIMITED,
    });
    const s = server;
    const work = root.sub('work');
    const cycle = async (i: number) => {
      const { session } = await s.client.createSession({ workDir: work, prompt: `soak ${i}` });
      const idle = await waitForStatus(s.client, session.id, ['idle'], 20_000);
      expect(idle.turns).toBe(1);
      const killed = await s.client.killSession(session.id);
      expect(killed.status).toBe('killed');
    };
    const WARMUP = 20;
    for (let i = 0; i < WARMUP; i++) await cycle(i);
    const settle = () => eventually(() => descendants(s.pid).length === 0, 5_000);
    expect(await settle()).toBe(true);
    const timers = async () => (await s.client.getDiagnostics()).activeResources.Timeout ?? 0;
    const before = { fds: fdCount(s.pid), rss: rssKb(s.pid), timers: await timers() };
    const started = Date.now();
    for (let i = 0; i < SESSIONS; i++) await cycle(WARMUP + i);
    const seconds = (Date.now() - started) / 1000;
    expect(await settle()).toBe(true);
    const after = { fds: fdCount(s.pid), rss: rssKb(s.pid), timers: await timers() };
    const health = await s.client.getHealth();
    console.log(
      `[figures] soak: ${SESSIONS} sessions in ${seconds.toFixed(1)} s (${((seconds * 1000) / SESSIONS).toFixed(0)} ms each); ` +
        `agent processes left ${descendants(s.pid).length}; fds ${before.fds} → ${after.fds}; timers ${before.timers} → ${after.timers}; ` +
        `RSS ${(before.rss / 1024).toFixed(1)} → ${(after.rss / 1024).toFixed(1)} MiB; live sessions ${health.sessions?.live}`,
    );
    expect(health.sessions?.live).toBe(0);
    expect(descendants(s.pid)).toEqual([]);
    expect(after.fds - before.fds).toBeLessThanOrEqual(5);
    expect(after.timers - before.timers).toBeLessThanOrEqual(2);
    expect(after.rss - before.rss).toBeLessThan(64 * 1024);
  });
});
