import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SCRIPTED_AGENT_BIN, script, startTcpTap } from '@aegis/testkit';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CLI_BIN,
  eventually,
  freePort,
  gapProblem,
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

/** A launcher config whose default agent is the scripted one, run with `env`. */
const scriptedWith = (env: Record<string, string>) => ({
  agents: { scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN], env } },
  defaultAgent: 'scripted',
});

describe('server SIGKILLed mid-turn', () => {
  const root = tempDir('kill');
  const stateDir = root.sub('state');
  const work = root.sub('work');
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
    root.remove();
  });

  it('keeps every recorded event, records the cut-off turn, starts no agent until the next prompt, resumes SSE exactly, leaves no orphan agent', async () => {
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
    // The session is not lost: its cut-off turn failed, it waits dormant (no agent) for a prompt.
    expect(after).toMatchObject({ status: 'error', agentResident: false });
    expect(after.problem?.code).toBe('AGENT_CRASHED');
    expect(processesIn(work)).toEqual([]);

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
    const tail = full.frames.slice(-4).map((f) => f.event.type);
    expect(tail).toEqual(['message.completed', 'turn.failed', 'session.state_changed', 'agent.evicted']);

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
    // This agent cannot reopen sessions: the next prompt gets a fresh one seeded with the transcript.
    await second.client.sendMessage(session.id, { text: 'continue' });
    const next = await waitForTurns(second.client, session.id, 2);
    expect(next.agentResident).toBe(true);
    const again = new RawSse(`${second.url}/v1/sessions/${session.id}/events`, {
      lastEventId: String(after.lastSeq),
    });
    await again.until((f) => f.some((x) => x.event.type === 'agent.resumed'));
    await again.stop();
    expect(again.frames.find((f) => f.event.type === 'agent.resumed')?.event.data).toMatchObject({
      via: 'replay',
    });
    console.log(
      `[figures] SIGKILL: ${seen.length} events streamed before the kill, ${after.lastSeq} in the log after restart, ` +
        `${resumed.frames.length} replayed on resume`,
    );
  });

  it('a prompt queued behind the cut-off turn is recorded dropped: `ag send --wait` on it says so and exits 1', async () => {
    const state = root.sub('queued-state');
    const dir = root.sub('queued-work');
    const port = await freePort();
    const first = await startServerProcess({ stateDir: state, allowedWorkDirs: [dir], port });
    servers.push(first);
    const { session } = await first.client.createSession({ workDir: dir, prompt: script({ hang: true }) });
    await waitForStatus(first.client, session.id, ['working'], 10_000);

    const queued = 'script:[{"say":"never said"}]';
    // The CLI talks through a tap, so the kill can wait until the CLI has its answer to the send
    // (it opens the event stream only then); killing right after the row is written could cut the
    // 202 off, and the CLI would rightly report a failed send instead.
    const tap = await startTcpTap(port);
    const cli = spawn(process.execPath, [CLI_BIN, 'send', session.id, queued, '--wait', '--json'], {
      env: { PATH: process.env.PATH ?? '', HOME: root.dir, AEGIS_BASE_URL: tap.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
    cli.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => cli.once('exit', (code) => r(code)));
    // Acknowledged only once stored: the row on disk counts the queued prompt before the kill.
    const db = new Database(join(state, 'aegis.db'), { readonly: true });
    const storedQueue = () => {
      const row = db.prepare('select data from sessions where id = ?').get(session.id) as { data: string };
      return (JSON.parse(row.data) as { queuedPrompts: number }).queuedPrompts;
    };
    expect(await eventually(() => storedQueue() === 1, 10_000)).toBe(true);
    db.close();
    const streaming = `GET /v1/sessions/${session.id}/events`;
    expect(await eventually(() => tap.requests.some((r) => r.startsWith(streaming)), 10_000)).toBe(true);

    first.child.kill('SIGKILL');
    await first.exited;
    const second = await startServerProcess({ stateDir: state, allowedWorkDirs: [dir], port });
    servers.push(second);

    const timer = setTimeout(() => cli.kill('SIGKILL'), 30_000);
    const code = await exited;
    clearTimeout(timer);
    await tap.close();
    expect(code, `stdout: ${out}\nstderr: ${err}`).toBe(1);
    const answer = JSON.parse(out) as { waited: string; dropped: string; reply: string[] };
    expect(answer).toMatchObject({ waited: 'dropped', reply: [] });
    expect(answer.dropped).toMatch(/1 queued prompt\(s\) were not delivered/);
    const log = new RawSse(`${second.url}/v1/sessions/${session.id}/events`, { lastEventId: '0' });
    await log.until((f) => f.some((x) => x.event.type === 'agent.evicted'));
    await log.stop();
    const dropped = log.frames.filter((f) => f.event.type === 'prompts.dropped').map((f) => f.event.data);
    expect(dropped).toEqual([{ count: 1, texts: [], reason: answer.dropped }]);
  });

  it('resumes a session whose agent can reopen it (session/load) on its next prompt: the cut-off turn failed, history intact, dormant until then', async () => {
    const stateDir = root.sub('state-resume');
    const work = root.sub('work-resume');
    const agentSessions = root.sub('agent-sessions');
    const config = scriptedWith({
      SCRIPTED_AGENT_SESSION_DIR: agentSessions,
      SCRIPTED_AGENT_RESTORE: 'load',
    });
    const first = await startServerProcess({ stateDir, allowedWorkDirs: [work], mode: 'launcher', config });
    servers.push(first);
    const { session } = await first.client.createSession({ workDir: work, prompt: 'the first prompt' });
    const id = session.id;
    await waitForStatus(first.client, id, ['idle']);
    const before = await first.client.getSession(id);
    expect(before.agentSession).toEqual({ id: expect.any(String), resumable: true });
    await first.client.sendMessage(id, { text: slowChunks(400, 25) });
    const live = new RawSse(`${first.url}/v1/sessions/${id}/events`);
    await live.until((f) => f.filter((x) => x.event.type === 'message.delta').length >= 40);
    const oldPid = (
      live.frames.find((f) => f.event.type === 'agent.ready')?.event.data as { pid: number } | undefined
    )?.pid;

    first.child.kill('SIGKILL');
    await first.exited;
    await live.stop();
    const seen = live.frames;
    expect(await eventually(() => !isAlive(oldPid!), 5_000)).toBe(true);

    const restartAt = Date.now();
    const second = await startServerProcess({ stateDir, allowedWorkDirs: [work], mode: 'launcher', config });
    servers.push(second);
    const restartMs = Date.now() - restartAt;
    const after = await second.client.getSession(id);
    expect(after).toMatchObject({ status: 'error', agentResident: false, turns: 2 });
    expect(after.agentSession).toEqual(before.agentSession);
    expect(after.problem?.code).toBe('AGENT_CRASHED');
    expect(processesIn(work)).toEqual([]);

    // The log: gap-free, everything streamed before the kill unchanged, then what the restart recorded.
    const full = new RawSse(`${second.url}/v1/sessions/${id}/events`, { lastEventId: '0' });
    await full.until((f) => (f.at(-1)?.id ?? 0) >= after.lastSeq);
    await full.stop();
    expect(
      gapProblem(
        full.frames.map((f) => f.id),
        1,
      ),
    ).toBeNull();
    expect(full.frames.slice(0, seen.length).map((f) => f.event)).toEqual(seen.map((f) => f.event));
    const added = full.frames.slice(seen.length).map((f) => f.event);
    // The message cut off by the kill is completed with what arrived, then the turn fails; no agent
    // is started: the session waits, dormant, for its next prompt.
    const tail = added.filter((e) => e.type !== 'message.delta');
    expect(tail.map((e) => e.type)).toEqual([
      'message.completed',
      'turn.failed',
      'session.state_changed',
      'agent.evicted',
    ]);
    const transcript = await second.client.readSession(id);
    const texts = transcript.entries.map((e) => `${e.role}: ${e.text}`);
    expect(texts[0]).toBe('user: the first prompt');
    expect(texts).toContain('assistant: chunk 0 ');
    expect(texts.at(-2)).toMatch(/^assistant: chunk \d+ $/);
    expect(texts.at(-1)).toMatch(/^system: Aegis stopped .* This turn was cut off/);

    // The agent has its own history back (it reloaded the session), and the session works on.
    const reply = new RawSse(`${second.url}/v1/sessions/${id}/events`, {
      lastEventId: String(after.lastSeq),
    });
    await second.client.sendMessage(id, { text: `script:${JSON.stringify([{ recall: true }])}` });
    const done = await waitForTurns(second.client, id, 3, ['idle'], 20_000);
    expect(done.agentResident).toBe(true);
    await reply.until((f) => f.some((x) => x.event.type === 'turn.completed'));
    await reply.stop();
    const ready = reply.frames.find((f) => f.event.type === 'agent.ready')!.event;
    const newPid = (ready.data as { pid: number }).pid;
    expect(newPid).not.toBe(oldPid);
    expect(reply.frames.find((f) => f.event.type === 'agent.resumed')?.event.data).toMatchObject({
      via: 'load',
      reason: null,
    });
    const said = reply.frames
      .flatMap((f) => (f.event.type === 'message.delta' ? [f.event.data.text] : []))
      .join('');
    const memory = JSON.parse(said) as { prompts: number; first: string; last: string };
    expect(memory).toMatchObject({ prompts: 2, first: 'the first prompt' });
    expect(memory.last.startsWith('script:[{"say":"chunk 0 "')).toBe(true);
    console.log(
      `[figures] SIGKILL mid-turn, resumed: ${seen.length} events streamed before the kill, ${added.length} added on restart; ` +
        `restart to /v1/health ${restartMs} ms (no agent started); next prompt reopened it with session/load and completed`,
    );
  });

  it('frees the Idempotency-Key of a create it cut off: the retry after the restart runs at once, and later retries replay its answer', async () => {
    const stateDir = root.sub('state-idempotent');
    const work = root.sub('work-idempotent');
    // The agent takes 2 s to initialize: a create is still being served when the server dies.
    const config = scriptedWith({ SCRIPTED_AGENT_SLOW_START_MS: '2000' });
    const start = () => startServerProcess({ stateDir, allowedWorkDirs: [work], mode: 'launcher', config });
    const first = await start();
    servers.push(first);
    const create = (url: string, key: string, body: Record<string, unknown>) =>
      fetch(`${url}/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });
    const plain = { workDir: join(work, 'a') };
    // A session with its own env cannot be reused by another create, nor resumed after a restart.
    const ownEnv = { workDir: join(work, 'b'), env: { SCRIPTED_AGENT_NOTE: 'x' } };
    mkdirSync(plain.workDir);
    mkdirSync(ownEnv.workDir);
    const cutOff = [create(first.url, 'plain', plain), create(first.url, 'own-env', ownEnv)].map((p) =>
      p.then(
        (res) => `answered ${res.status}`,
        () => 'connection lost',
      ),
    );
    // The keys are claimed before the agents are started.
    expect(await eventually(() => processesIn(work).length >= 2, 10_000)).toBe(true);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(await Promise.all(cutOff)).toEqual(['connection lost', 'connection lost']);

    const second = await start();
    servers.push(second);
    expect(second.output()).toContain('freed the Idempotency-Keys of requests cut off by the previous run');
    // Before, each key stayed held by the dead server for the claim's lock: the retry waited 10 s
    // and got 409 IDEMPOTENCY_IN_PROGRESS.
    const t0 = Date.now();
    const retries = await Promise.all([
      create(second.url, 'plain', plain),
      create(second.url, 'own-env', ownEnv),
    ]);
    const retryMs = Date.now() - t0;
    // Neither is a replay (no answer was stored); the plain one is 200, a reused session.
    expect(retries.map((r) => [r.status, r.headers.get('idempotent-replayed')])).toEqual([
      [200, null],
      [201, null],
    ]);
    const [plainAnswer, envAnswer] = (await Promise.all(retries.map((r) => r.json()))) as {
      session: { id: string };
      reused: boolean;
    }[];
    // The plain create had begun its session before the kill: the retry finds it (taken on dormant
    // at the restart) and answers with it, so the request made one session.
    const { sessions } = await second.client.listSessions({});
    const inPlain = sessions.filter((x) => x.workDir === plain.workDir);
    expect(inPlain.map((x) => x.id)).toEqual([plainAnswer!.session.id]);
    expect(plainAnswer!.reused).toBe(true);
    // The own-env create cannot take that session back: it makes another. What the cut-off create
    // had begun was marked crashed at the restart: its env was never stored, so no agent could be
    // started for it with that env (docs/architecture.md).
    const inEnv = sessions.filter((x) => x.workDir === ownEnv.workDir);
    expect(inEnv).toHaveLength(2);
    expect(envAnswer!.reused).toBe(false);
    const begun = inEnv.find((x) => x.id !== envAnswer!.session.id);
    expect(begun).toMatchObject({ status: 'crashed', agentSession: null });
    expect(begun?.problem?.message).toMatch(/its own env/);
    // Later retries replay the answers.
    const again = await create(second.url, 'plain', plain);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { session: { id: string } }).session.id).toBe(plainAnswer!.session.id);
    console.log(
      `[figures] Idempotency-Keys cut off by SIGKILL: both retries after the restart answered (200 reused, 201 new) in ${retryMs} ms (was 409 after 10 s)`,
    );
  });
});
