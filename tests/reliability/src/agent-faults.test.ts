import { script } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  failure,
  isAlive,
  processesIn,
  RawSse,
  type ServerProcess,
  startServerProcess,
  tempDir,
  waitForStatus,
} from './harness.js';

describe('agent faults', () => {
  const root = tempDir('agent');
  let server: ServerProcess;
  let n = 0;
  const workDir = () => root.sub(`w${++n}`);

  beforeAll(async () => {
    server = await startServerProcess({ stateDir: root.sub('state'), allowedWorkDirs: [root.dir] });
  });
  afterAll(async () => {
    await server?.stop();
    root.remove();
  });

  const agentPid = async (id: string): Promise<number> => {
    const sse = new RawSse(`${server.url}/v1/sessions/${id}/events`, { lastEventId: '0' });
    await sse.until((f) => f.some((x) => x.event.type === 'agent.ready'));
    await sse.stop();
    const ready = sse.frames.find((x) => x.event.type === 'agent.ready')!.event;
    return (ready.data as { pid: number }).pid;
  };

  it('an agent that dies before initialize fails createSession promptly with its exit code and stderr', async () => {
    const dir = workDir();
    const err = await failure(() =>
      server.client.createSession({ workDir: dir, env: { SCRIPTED_AGENT_FAIL_AT: 'initialize' } }),
    );
    expect(err.status).toBe(502);
    expect(err.code).toBe('AGENT_CRASHED');
    expect(err.ms).toBeLessThan(10_000);
    const { sessions } = await server.client.listSessions({ workDir: dir });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.status).toBe('crashed');
    expect(sessions[0]!.exit?.exitCode).toBe(3);
    expect(sessions[0]!.exit?.stderrTail).not.toBe('');
    expect(processesIn(dir)).toEqual([]);
  });

  it('an agent killed while createSession waits for it fails the call promptly', async () => {
    const dir = workDir();
    const pending = failure(() =>
      server.client.createSession({ workDir: dir, env: { SCRIPTED_AGENT_SLOW_START_MS: '20000' } }),
    );
    expect(await eventually(() => processesIn(dir).length > 0, 10_000)).toBe(true);
    const started = Date.now();
    for (const pid of processesIn(dir)) process.kill(pid, 'SIGKILL');
    const err = await pending;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err.status).toBe(502);
    expect(err.code).toBe('AGENT_CRASHED');
    const { sessions } = await server.client.listSessions({ workDir: dir });
    expect(sessions[0]?.status).toBe('crashed');
    expect(sessions[0]?.exit?.signal).toBe('SIGKILL');
  });

  it('an agent that crashes mid-turn leaves the session crashed with exit code and stderr tail', async () => {
    const dir = workDir();
    const { session } = await server.client.createSession({
      workDir: dir,
      prompt: script({ say: 'partial answer' }, { sleep: 100 }, { crash: 7, stderr: 'fatal: out of cheese' }),
    });
    const ended = await waitForStatus(server.client, session.id, ['crashed'], 10_000);
    expect(ended.exit?.exitCode).toBe(7);
    expect(ended.exit?.stderrTail).toContain('fatal: out of cheese');
    expect(ended.problem?.code).toBe('AGENT_CRASHED');
    const send = await failure(() => server.client.sendMessage(session.id, { text: 'anyone there?' }));
    expect(send.status).toBe(409);
    expect(send.ms).toBeLessThan(2_000);
    const { entries } = await server.client.readSession(session.id);
    expect(entries.map((e) => e.text).join('\n')).toContain('partial answer');
    expect(processesIn(dir)).toEqual([]);
  });

  it('an agent that dies during a permission request cancels it; approve then fails promptly', async () => {
    const dir = workDir();
    const { session } = await server.client.createSession({
      workDir: dir,
      prompt: script({
        tool: { title: 'Edit a.txt', kind: 'edit', permission: true, write: { path: 'a.txt', content: 'x' } },
      }),
    });
    await waitForStatus(server.client, session.id, ['permission_prompt'], 10_000);
    const pid = await agentPid(session.id);
    process.kill(pid, 'SIGKILL');
    const ended = await waitForStatus(server.client, session.id, ['crashed'], 5_000);
    expect(ended.exit?.signal).toBe('SIGKILL');
    expect(ended.pendingPermission).toBeNull();
    const approve = await failure(() => server.client.approvePermission(session.id));
    expect(approve.status).toBe(409);
    expect(approve.ms).toBeLessThan(2_000);
    const sse = new RawSse(`${server.url}/v1/sessions/${session.id}/events`, { lastEventId: '0' });
    await sse.until((f) => f.at(-1)?.id === ended.lastSeq);
    await sse.stop();
    const resolved = sse.frames.find((f) => f.event.type === 'permission.resolved')?.event;
    expect((resolved?.data as { outcome: string } | undefined)?.outcome).toBe('cancelled');
    expect(isAlive(pid)).toBe(false);
    expect(processesIn(dir)).toEqual([]);
  });

  it('garbage on stdout ends that session with a protocol error while a parallel session completes', async () => {
    const healthyDir = workDir();
    const badDir = workDir();
    const healthy = await server.client.createSession({
      workDir: healthyDir,
      prompt: script({ say: 'steady', chunks: 5 }, { sleep: 400 }, { tools: 3 }, { say: 'done' }),
    });
    const bad = await server.client.createSession({
      workDir: badDir,
      prompt: script(
        { say: 'about to misbehave' },
        { garbage: 'Segmentation fault (not JSON)' },
        { sleep: 2000 },
      ),
    });
    const badEnd = await waitForStatus(server.client, bad.session.id, ['error', 'crashed'], 10_000);
    const sse = new RawSse(`${server.url}/v1/sessions/${bad.session.id}/events`, { lastEventId: '0' });
    await sse.until((f) => f.at(-1)?.id === badEnd.lastSeq);
    await sse.stop();
    const failed = sse.frames.find((f) => f.event.type === 'turn.failed')?.event;
    const problem = (failed?.data as { problem: { code: string; message: string } } | undefined)?.problem;
    expect(problem?.code).toBe('AGENT_PROTOCOL_ERROR');
    expect(problem?.message).toContain('Segmentation fault (not JSON)');

    const done = await waitForStatus(server.client, healthy.session.id, ['idle'], 10_000);
    expect(done.turns).toBe(1);
    const { entries } = await server.client.readSession(healthy.session.id);
    expect(entries.map((e) => e.text).join('\n')).toContain('done');
    expect((await server.client.getHealth()).status).toBe('ok');
    await server.client.killSession(healthy.session.id);
    expect(processesIn(badDir)).toEqual([]);
    expect(await eventually(() => processesIn(healthyDir).length === 0, 5_000)).toBe(true);
  });

  it('a hung agent (ignores cancel, stdin close and SIGTERM) is still killed within the shutdown bound', async () => {
    const dir = workDir();
    const { session } = await server.client.createSession({
      workDir: dir,
      env: { SCRIPTED_AGENT_IGNORE_STDIN_CLOSE: '1', SCRIPTED_AGENT_IGNORE_SIGTERM: '1' },
      prompt: script({ say: 'thinking…' }, { hang: true }),
    });
    await waitForStatus(server.client, session.id, ['working'], 5_000);
    const pid = await agentPid(session.id);
    const interrupted = await server.client.interruptSession(session.id);
    expect(interrupted.interrupted).toBe(true);
    const started = Date.now();
    const killed = await server.client.killSession(session.id);
    expect(killed.status).toBe('killed');
    // end stdin → 2 s → SIGTERM → 2 s → SIGKILL
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(await eventually(() => !isAlive(pid), 2_000)).toBe(true);
    expect(processesIn(dir)).toEqual([]);
  });
});
