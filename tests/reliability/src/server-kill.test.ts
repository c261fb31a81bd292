import { afterAll, describe, expect, it } from 'vitest';
import {
  eventually,
  gapProblem,
  isAlive,
  processesIn,
  RawSse,
  type ServerProcess,
  slowChunks,
  startServerProcess,
  tempDir,
} from './harness.js';

describe('server SIGKILLed mid-turn', () => {
  const root = tempDir('kill');
  const stateDir = root.sub('state');
  const work = root.sub('work');
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
    root.remove();
  });

  it('keeps every recorded event, marks the session crashed, resumes SSE exactly, leaves no orphan agent', async () => {
    const first = await startServerProcess({ stateDir, allowedWorkDirs: [work] });
    servers.push(first);
    const { session } = await first.client.createSession({ workDir: work, prompt: slowChunks(400, 25) });
    const live = new RawSse(`${first.url}/v1/sessions/${session.id}/events`);
    await live.until((f) => f.filter((x) => x.event.type === 'message.delta').length >= 40);
    const ready = live.frames.find((f) => f.event.type === 'agent.ready')?.event;
    const agentPid = (ready?.data as { pid: number | null } | undefined)?.pid ?? null;
    expect(agentPid).toBeGreaterThan(0);
    expect(isAlive(agentPid!)).toBe(true);

    first.child.kill('SIGKILL');
    await first.exited;
    await live.stop();
    const seen = live.frames;
    expect(
      gapProblem(
        seen.map((f) => f.id),
        1,
      ),
    ).toBeNull();

    // The agent loses its stdin with the server and must not live on as an orphan.
    expect(await eventually(() => !isAlive(agentPid!), 5_000)).toBe(true);
    expect(processesIn(work)).toEqual([]);

    const second = await startServerProcess({ stateDir, allowedWorkDirs: [work] });
    servers.push(second);
    const after = await second.client.getSession(session.id);
    expect(after.status).toBe('crashed');
    expect(after.problem?.code).toBe('AGENT_CRASHED');

    // The durable log: gap-free from 1, and a superset (same events, same order) of what was streamed.
    const stored = await second.client.readSession(session.id);
    expect(stored.session.lastSeq).toBe(after.lastSeq);
    const full = new RawSse(`${second.url}/v1/sessions/${session.id}/events`, { lastEventId: '0' });
    await full.until((f) => f.at(-1)?.id === after.lastSeq);
    await full.stop();
    expect(
      gapProblem(
        full.frames.map((f) => f.id),
        1,
      ),
    ).toBeNull();
    expect(full.frames.slice(0, seen.length).map((f) => f.event)).toEqual(seen.map((f) => f.event));
    const tail = full.frames.slice(-2).map((f) => f.event.type);
    expect(tail).toEqual(['session.ended', 'session.state_changed']);

    // A client that reconnects with the last id it saw gets exactly the rest.
    const lastSeen = seen.at(-1)!.id;
    const resumed = new RawSse(`${second.url}/v1/sessions/${session.id}/events`, {
      lastEventId: String(lastSeen),
    });
    await resumed.until((f) => f.at(-1)?.id === after.lastSeq);
    await resumed.stop();
    expect(resumed.frames.map((f) => f.id)).toEqual(
      full.frames.filter((f) => f.id > lastSeen).map((f) => f.id),
    );
    expect(resumed.frames.map((f) => f.event)).toEqual(full.frames.slice(lastSeen).map((f) => f.event));
    console.log(
      `[figures] SIGKILL: ${seen.length} events streamed before the kill, ${after.lastSeq} in the log after restart, ` +
        `${resumed.frames.length} replayed on resume`,
    );
  });
});
