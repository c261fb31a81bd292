import { script } from '@aegis/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import {
  eventually,
  isAlive,
  processesIn,
  RawSse,
  type ServerProcess,
  slowChunks,
  startServerProcess,
  tempDir,
  waitForStatus,
  waitForTurns,
} from './harness.js';

const EXIT_BOUND_MS = 10_000;

describe('graceful shutdown of ag serve', () => {
  const root = tempDir('shutdown');
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
    root.remove();
  });

  const agentPids = async (server: ServerProcess, id: string): Promise<number> => {
    const sse = new RawSse(`${server.url}/v1/sessions/${id}/events`, { lastEventId: '0' });
    await sse.until((f) => f.some((x) => x.event.type === 'agent.ready'));
    await sse.stop();
    return (sse.frames.find((x) => x.event.type === 'agent.ready')!.event.data as { pid: number }).pid;
  };

  it('SIGTERM cancels permissions, cuts turns off, stops agents, exits 0 in bound; restart finds the sessions resumable, never completed', async () => {
    const stateDir = root.sub('state-term');
    const work = root.sub('work-term');
    const server = await startServerProcess({ stateDir, allowedWorkDirs: [work] });
    servers.push(server);
    const c = server.client;
    const dirs = ['asking', 'streaming', 'idle', 'stubborn'].map((n) => root.sub(`work-term/${n}`));
    const asking = await c.createSession({
      workDir: dirs[0]!,
      prompt: script({ tool: { title: 'Edit a.txt', kind: 'edit', permission: true } }),
    });
    const streaming = await c.createSession({ workDir: dirs[1]!, prompt: slowChunks(2000, 20) });
    const idle = await c.createSession({ workDir: dirs[2]! });
    const stubborn = await c.createSession({
      workDir: dirs[3]!,
      env: { SCRIPTED_AGENT_IGNORE_STDIN_CLOSE: '1', SCRIPTED_AGENT_IGNORE_SIGTERM: '1' },
      prompt: script({ hang: true }),
    });
    const ids = [asking, streaming, idle, stubborn].map((r) => r.session.id);
    await waitForStatus(c, ids[0]!, ['permission_prompt'], 10_000);
    await waitForStatus(c, ids[1]!, ['working'], 10_000);
    const pids = await Promise.all(ids.map((id) => agentPids(server, id)));

    const started = Date.now();
    server.child.kill('SIGTERM');
    // Once shutdown has begun, new work is refused (connection refused or 503), never half-accepted.
    expect(await eventually(() => /shutting down/.test(server.output()), 5_000)).toBe(true);
    const during: string[] = [];
    for (let i = 0; i < 10 && isAlive(server.pid); i++) {
      let outcome: string;
      try {
        const res = await fetch(`${server.url}/v1/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ workDir: root.sub(`work-term/late${i}`) }),
          signal: AbortSignal.timeout(5_000),
        });
        outcome = String(res.status);
      } catch {
        outcome = 'refused';
      }
      during.push(outcome);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(during.filter((o) => o !== 'refused' && o !== '503')).toEqual([]);
    const exit = await server.exited;
    const tookMs = Date.now() - started;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(EXIT_BOUND_MS);
    for (const pid of pids) expect(await eventually(() => !isAlive(pid), 2_000)).toBe(true);
    for (const dir of dirs) expect(processesIn(dir)).toEqual([]);
    // It says how many sessions it left resumable.
    expect(server.output()).toMatch(/4 live sessions left resumable/);
    console.log(
      `[figures] SIGTERM with 4 live sessions (one stubborn agent): exit 0 after ${tookMs} ms; requests during shutdown: ${during.join(',')}`,
    );

    const again = await startServerProcess({ stateDir, allowedWorkDirs: [work] });
    servers.push(again);
    // No agent is started for them until they are needed.
    for (const dir of dirs) expect(processesIn(dir)).toEqual([]);
    const expected: Record<string, string> = {
      [ids[0]!]: 'error', // its turn (waiting on a permission) was cut off by the shutdown
      [ids[1]!]: 'error', // its streaming turn was cut off
      [ids[2]!]: 'idle',
      [ids[3]!]: 'crashed', // started with its own env, which is not stored: cannot be brought back
    };
    for (const id of ids) {
      const s = await again.client.getSession(id);
      expect(s.status, `session ${id}`).toBe(expected[id]);
      expect(s.agentResident).toBe(false);
      const sse = new RawSse(`${again.url}/v1/sessions/${id}/events`, { lastEventId: '0' });
      await sse.until((f) => f.at(-1)?.id === s.lastSeq);
      await sse.stop();
      expect(sse.frames.map((f) => f.id)).toEqual(sse.frames.map((_, i) => i + 1));
      const ended = sse.frames.filter((f) => f.event.type === 'session.ended');
      if (id === ids[3]) {
        expect((ended[0]?.event.data as { reason: string } | undefined)?.reason).toMatch(/its own env/);
        continue;
      }
      expect(ended).toEqual([]);
      const evicted = sse.frames.filter((f) => f.event.type === 'agent.evicted');
      expect((evicted.at(-1)?.event.data as { reason: string } | undefined)?.reason).toMatch(/shut down/);
      if (id === ids[0]) {
        const resolved = sse.frames.find((f) => f.event.type === 'permission.resolved');
        expect((resolved?.event.data as { outcome: string } | undefined)?.outcome).toBe('cancelled');
        const failed = sse.frames.find((f) => f.event.type === 'turn.failed');
        expect((failed?.event.data as { problem: { code: string } } | undefined)?.problem.code).toBe(
          'SHUTTING_DOWN',
        );
      }
    }
    // The session that waited on a permission takes its next prompt: a new agent brings it back.
    await again.client.sendMessage(ids[0]!, { text: 'go on' });
    const resumed = await waitForTurns(again.client, ids[0]!, 2, ['idle'], 20_000);
    expect(resumed).toMatchObject({ agentResident: true, turns: 2 });
  });

  it('SIGINT leaves an idle session idle and dormant, exits 0, and the session works after a restart', async () => {
    const stateDir = root.sub('state-int');
    const work = root.sub('work-int');
    const server = await startServerProcess({ stateDir, allowedWorkDirs: [work] });
    servers.push(server);
    const { session } = await server.client.createSession({ workDir: work, prompt: 'hello' });
    await waitForStatus(server.client, session.id, ['idle'], 10_000);
    server.child.kill('SIGINT');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const again = await startServerProcess({ stateDir, allowedWorkDirs: [work] });
    servers.push(again);
    expect(await again.client.getSession(session.id)).toMatchObject({ status: 'idle', agentResident: false });
    await again.client.sendMessage(session.id, { text: 'again' });
    expect(await waitForTurns(again.client, session.id, 2, ['idle'], 20_000)).toMatchObject({
      turns: 2,
      agentResident: true,
    });
  });
});
