import { describe, expect, it } from 'vitest';
import { createAegis } from './engine.js';
import type { AegisEvent } from './events.js';
import { createMemoryStore } from './memory-store.js';
import { createMemoryDriver, type MemoryStep } from './testing/memory-driver.js';

function setup(script: (text: string) => MemoryStep[], extra: { stallThresholdMs?: number } = {}) {
  const { driver } = createMemoryDriver(script);
  const aegis = createAegis({
    agent: driver,
    store: createMemoryStore(),
    ...extra,
    stallCheckIntervalMs: 10,
  });
  const seen: AegisEvent[] = [];
  aegis.subscribe((e) => seen.push(e));
  return { aegis, seen };
}

const say = (text: string, messageId = 'm1'): MemoryStep => ({
  update: { type: 'message.delta', data: { messageId, text } },
});

async function until(check: () => boolean | Promise<boolean>, ms = 2000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('engine', () => {
  it('runs a prompt to idle and records the transcript', async () => {
    const { aegis, seen } = setup(() => [say('Hel'), say('lo')]);
    const { session, promptDelivery, reused } = await aegis.sessions.create({ workDir: '/w', prompt: 'hi' });
    expect(reused).toBe(false);
    expect(promptDelivery).toMatchObject({ delivered: true, queued: false });
    await until(async () => (await aegis.sessions.get(session.id)).status === 'idle');
    const read = await aegis.sessions.read(session.id);
    expect(read.entries.map((e) => [e.role, e.text])).toEqual([
      ['user', 'hi'],
      ['assistant', 'Hello'],
    ]);
    const seqs = seen.filter((e) => e.sessionId === session.id).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const states = seen.flatMap((e) => (e.type === 'session.state_changed' ? [e.data.to] : []));
    expect(states).toEqual(['idle', 'working', 'idle']);
  });

  it('subscribers see the events of sessions running at once in global id order', async () => {
    const { aegis, seen } = setup(() => Array.from({ length: 50 }, (_, i) => say(`${i} `)));
    const created = await Promise.all(
      ['/a', '/b', '/c'].map((workDir) => aegis.sessions.create({ workDir, prompt: 'go' })),
    );
    for (const { session } of created)
      await until(async () => (await aegis.sessions.get(session.id)).status === 'idle');
    const ids = seen.map((e) => e.id);
    expect(new Set(seen.map((e) => e.sessionId)).size).toBe(3);
    expect(ids).toEqual(ids.map((_, i) => i + 1));
  });

  it('/read pages by the client-held cursor; a full last page does not claim more', async () => {
    const { aegis } = setup(() => [say('Hello')]);
    const { session } = await aegis.sessions.create({ workDir: '/w', prompt: 'hi' });
    await until(async () => (await aegis.sessions.get(session.id)).status === 'idle');
    const first = await aegis.sessions.read(session.id, { limit: 1 });
    expect(first.entries.map((e) => e.role)).toEqual(['user']);
    expect(first.has_more).toBe(true);
    const rest = await aegis.sessions.read(session.id, { after: first.cursor, limit: 1 });
    expect(rest.entries.map((e) => e.role)).toEqual(['assistant']);
    expect(rest.has_more).toBe(false);
    const all = await aegis.sessions.read(session.id, { limit: 2 });
    expect(all.entries).toHaveLength(2);
    expect(all.has_more).toBe(false);
    const none = await aegis.sessions.read(session.id, { after: rest.cursor });
    expect(none).toMatchObject({ entries: [], has_more: false, cursor: rest.cursor });
  });

  it('reuses an idle session of the same owner and workDir, never another owner', async () => {
    const { aegis } = setup(() => []);
    const a = await aegis.sessions.create({ workDir: '/w' }, { id: 'k1' });
    const b = await aegis.sessions.create({ workDir: '/w' }, { id: 'k1' });
    const c = await aegis.sessions.create({ workDir: '/w' }, { id: 'k2' });
    expect(b.reused).toBe(true);
    expect(b.session.id).toBe(a.session.id);
    expect(c.reused).toBe(false);
    await expect(aegis.sessions.get(a.session.id, { id: 'k2' })).rejects.toMatchObject({
      code: 'SESSION_NOT_FOUND',
    });
  });

  it('never reuses an idle session for a request that asks for another model, mode, env or policies', async () => {
    const { aegis } = setup(() => []);
    const a = await aegis.sessions.create({ workDir: '/w', model: 'opus' });
    await until(async () => (await aegis.sessions.get(a.session.id)).status === 'idle');
    const same = await aegis.sessions.create({ workDir: '/w', model: 'opus' });
    expect(same).toMatchObject({ reused: true, session: { id: a.session.id } });
    const plain = await aegis.sessions.create({ workDir: '/w' });
    expect(plain).toMatchObject({ reused: true, session: { id: a.session.id } });
    for (const differs of [
      { model: 'sonnet' },
      { permissionMode: 'acceptEdits' as const },
      { env: { FOO: '1' } },
      { policies: [] },
    ]) {
      const other = await aegis.sessions.create({ workDir: '/w', ...differs });
      expect(other.reused, JSON.stringify(differs)).toBe(false);
      expect(other.session.id).not.toBe(a.session.id);
      await aegis.sessions.kill(other.session.id);
    }
  });

  it('a permission request while a question is open waits its turn instead of being lost', async () => {
    let decided: unknown;
    let answered: unknown;
    const { aegis, seen } = setup(() => [
      {
        together: [
          { question: { message: 'Which file?' }, onAnswer: (a) => (answered = a) },
          { permission: { title: 'Write a.txt' }, onDecision: (d) => (decided = d) },
        ],
      },
    ]);
    const { session } = await aegis.sessions.create({ workDir: '/w', prompt: 'go' });
    await until(async () => (await aegis.sessions.get(session.id)).status === 'asking');
    const asking = await aegis.sessions.get(session.id);
    expect(asking.pendingQuestion?.message).toBe('Which file?');
    expect(asking.pendingPermission).toBeNull();
    // Nothing announced yet, so approving is refused rather than answering an unseen request.
    await expect(aegis.sessions.respondPermission(session.id, { approve: true })).rejects.toMatchObject({
      code: 'NOTHING_PENDING',
    });
    await aegis.sessions.escape(session.id);
    await until(async () => (await aegis.sessions.get(session.id)).status === 'permission_prompt');
    expect((await aegis.sessions.get(session.id)).pendingPermission?.title).toBe('Write a.txt');
    await aegis.sessions.respondPermission(session.id, { approve: true });
    await until(async () => (await aegis.sessions.get(session.id)).status === 'idle');
    expect(answered).toEqual({ outcome: 'declined' });
    expect(decided).toEqual({ outcome: 'selected', optionId: 'a1' });
    const types = seen.filter((e) => e.sessionId === session.id).map((e) => e.type);
    expect(types.filter((t) => /^(question|permission)\./.test(t))).toEqual([
      'question.asked',
      'question.answered',
      'permission.requested',
      'permission.resolved',
    ]);
  });

  it('waits in permission_prompt until approved, choosing the option by kind', async () => {
    let decided: unknown;
    const { aegis } = setup(() => [
      { permission: { title: 'Write a.txt' }, onDecision: (d) => (decided = d) },
    ]);
    const { session } = await aegis.sessions.create({ workDir: '/w', prompt: 'go' });
    await until(async () => (await aegis.sessions.get(session.id)).status === 'permission_prompt');
    const pending = (await aegis.sessions.get(session.id)).pendingPermission;
    expect(pending?.title).toBe('Write a.txt');
    const answer = await aegis.sessions.respondPermission(session.id, { approve: true, scope: 'always' });
    expect(answer.optionKind).toBe('allow_always');
    expect(decided).toEqual({ outcome: 'selected', optionId: 'a2' });
    await until(async () => (await aegis.sessions.get(session.id)).status === 'idle');
    await expect(aegis.sessions.respondPermission(session.id, { approve: true })).rejects.toMatchObject({
      code: 'NOTHING_PENDING',
    });
  });

  it('queues a prompt sent while a turn runs and delivers it in order', async () => {
    const { aegis } = setup((t) => [say(`re:${t}`, t)]);
    const { session } = await aegis.sessions.create({ workDir: '/w', prompt: 'one' });
    const d = await aegis.sessions.prompt(session.id, 'two');
    expect(d).toMatchObject({ delivered: false, queued: true, position: 1 });
    await until(async () => (await aegis.sessions.read(session.id)).entries.length === 4);
    const read = await aegis.sessions.read(session.id);
    expect(read.entries.map((e) => e.text)).toEqual(['one', 're:one', 'two', 're:two']);
  });

  it('interrupt answers open permission requests cancelled and returns to idle', async () => {
    let decided: unknown;
    const { aegis } = setup(() => [{ permission: { title: 'x' }, onDecision: (d) => (decided = d) }]);
    const { session } = await aegis.sessions.create({ workDir: '/w', prompt: 'go' });
    await until(async () => (await aegis.sessions.get(session.id)).status === 'permission_prompt');
    expect(await aegis.sessions.interrupt(session.id)).toEqual({ interrupted: true, droppedPrompts: 0 });
    expect(decided).toEqual({ outcome: 'cancelled' });
    await until(async () => (await aegis.sessions.get(session.id)).status === 'idle');
  });

  it('marks a crashed agent crashed with its exit code', async () => {
    const { aegis } = setup(() => [{ crash: 9 }]);
    const { session } = await aegis.sessions.create({ workDir: '/w', prompt: 'go' });
    await until(async () => (await aegis.sessions.get(session.id)).status === 'crashed');
    const s = await aegis.sessions.get(session.id);
    expect(s.exit).toMatchObject({ exitCode: 9, stderrTail: 'boom' });
    await expect(aegis.sessions.prompt(session.id, 'again')).rejects.toMatchObject({
      code: 'SESSION_TERMINATED',
    });
  });

  it('goes to error on a failed turn and can be prompted again', async () => {
    const { AegisError } = await import('./errors.js');
    let n = 0;
    const { aegis } = setup(() =>
      n++ === 0 ? [{ fail: new AegisError('AGENT_AUTH_REQUIRED', 'log in') }] : [],
    );
    const { session } = await aegis.sessions.create({ workDir: '/w', prompt: 'go' });
    await until(async () => (await aegis.sessions.get(session.id)).status === 'error');
    expect((await aegis.sessions.get(session.id)).problem?.code).toBe('AGENT_AUTH_REQUIRED');
    await aegis.sessions.prompt(session.id, 'again');
    await until(async () => (await aegis.sessions.get(session.id)).status === 'idle');
  });

  it('marks a silent turn stalled and wakes it on the next update', async () => {
    const { aegis } = setup(() => [{ waitForCancel: true }], { stallThresholdMs: 30 });
    const { session } = await aegis.sessions.create({ workDir: '/w', prompt: 'go' });
    await until(async () => (await aegis.sessions.get(session.id)).status === 'stalled');
    await aegis.sessions.interrupt(session.id);
    await until(async () => (await aegis.sessions.get(session.id)).status === 'idle');
  });

  it('kills a session, keeps it readable, and rejects an unsupported mode', async () => {
    const { aegis } = setup(() => []);
    const { session } = await aegis.sessions.create({ workDir: '/w' });
    await expect(aegis.sessions.setMode(session.id, 'plan')).rejects.toMatchObject({
      code: 'UNSUPPORTED_MODE',
    });
    const killed = await aegis.sessions.kill(session.id);
    expect(killed.status).toBe('killed');
    expect((await aegis.sessions.get(session.id)).status).toBe('killed');
    expect(aegis.liveCount).toBe(0);
  });
});

describe('engine recovery', () => {
  it('marks sessions left live by a dead process as crashed, continuing their seq', async () => {
    const store = createMemoryStore();
    const first = createAegis({ agent: createMemoryDriver(() => []).driver, store });
    const { session } = await first.sessions.create({ workDir: '/w', prompt: 'hi' });
    await until(async () => (await first.sessions.get(session.id)).status === 'idle');
    const before = await store.listEvents({ sessionId: session.id, limit: 1000 });
    // No close(): the process "died". A new engine over the same store recovers.
    const second = createAegis({ agent: createMemoryDriver(() => []).driver, store });
    expect(await second.recover()).toEqual({ crashed: [session.id], resumed: [] });
    const after = await store.listEvents({ sessionId: session.id, limit: 1000 });
    expect(after.slice(before.length).map((e) => [e.seq, e.type])).toEqual([
      [before.length + 1, 'session.ended'],
      [before.length + 2, 'session.state_changed'],
    ]);
    expect((await second.sessions.get(session.id)).status).toBe('crashed');
    expect(await second.recover()).toEqual({ crashed: [], resumed: [] });
  });

  it('reopens a session whose agent can load it: the cut-off turn failed, then idle, and it takes the next prompt', async () => {
    const store = createMemoryStore();
    const saved = new Map<string, string[]>();
    const script = (text: string): MemoryStep[] =>
      text === 'long'
        ? [say('part'), { permission: { title: 'Write a.txt' } }, { waitForCancel: true }]
        : [say('ok')];
    const first = createAegis({ agent: createMemoryDriver(script, undefined, saved).driver, store });
    const { session } = await first.sessions.create({ workDir: '/w', prompt: 'hi' });
    await until(async () => (await first.sessions.get(session.id)).status === 'idle');
    await first.sessions.prompt(session.id, 'long');
    await first.sessions.prompt(session.id, 'queued');
    await until(async () => (await first.sessions.get(session.id)).status === 'permission_prompt');
    const before = await store.listEvents({ sessionId: session.id, limit: 1000 });
    const row = await store.getSession(session.id);
    expect(row?.agentSession).toEqual({ id: expect.stringMatching(/^mem-/), resumable: true });

    // The process "died" mid-turn with a permission open. A new engine over the same store resumes.
    const second = createAegis({ agent: createMemoryDriver(script, undefined, saved).driver, store });
    const seen: AegisEvent[] = [];
    second.subscribe((e) => seen.push(e));
    expect(await second.recover()).toEqual({ crashed: [], resumed: [session.id] });
    const after = await store.listEvents({ sessionId: session.id, limit: 1000 });
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.map((e) => e.seq)).toEqual(after.map((_, i) => i + 1));
    expect(after.slice(before.length).map((e) => e.type)).toEqual([
      'permission.resolved',
      'session.state_changed',
      'turn.failed',
      'session.state_changed',
      'agent.ready',
      'session.state_changed',
    ]);
    const failed = after.find((e, i) => i >= before.length && e.type === 'turn.failed');
    expect(failed?.data).toMatchObject({
      turnId: before.findLast((e) => e.type === 'turn.started')?.data.turnId,
      problem: {
        code: 'AGENT_CRASHED',
        message: expect.stringContaining('1 queued prompt(s) were not delivered'),
      },
    });
    expect(after.at(-1)?.data).toMatchObject({
      from: 'error',
      to: 'idle',
      reason: expect.stringContaining('resumed'),
    });
    const resumed = await second.sessions.get(session.id);
    expect(resumed).toMatchObject({ status: 'idle', pendingPermission: null, queuedPrompts: 0 });
    expect(resumed.agentSession).toEqual(row?.agentSession);
    const transcript = await second.sessions.read(session.id);
    expect(transcript.entries.at(-1)?.text).toMatch(/^Session resumed after a server restart/);

    await second.sessions.prompt(session.id, 'next');
    await until(async () => (await second.sessions.get(session.id)).turns === 3);
    await until(async () => (await second.sessions.get(session.id)).status === 'idle');
    expect(saved.get(row!.agentSession!.id)).toEqual(['hi', 'long', 'next']);
    expect(seen.map((e) => e.seq)).toEqual(seen.map((_, i) => before.length + i + 1));
    await second.close();
  });

  it('marks a resumable session crashed, saying why, when the agent cannot reopen it; resume off crashes all', async () => {
    const store = createMemoryStore();
    const saved = new Map<string, string[]>();
    const first = createAegis({ agent: createMemoryDriver(() => [], undefined, saved).driver, store });
    const a = await first.sessions.create({ workDir: '/a' });
    const b = await first.sessions.create({ workDir: '/b' });
    saved.delete((await store.getSession(a.session.id))!.agentSession!.id);
    const second = createAegis({ agent: createMemoryDriver(() => [], undefined, saved).driver, store });
    expect(await second.recover()).toEqual({ crashed: [a.session.id], resumed: [b.session.id] });
    const crashed = await second.sessions.get(a.session.id);
    expect(crashed.status).toBe('crashed');
    expect(crashed.problem?.message).toMatch(/Reopening its agent session failed: Session mem-.* not found/);
    const third = createAegis({ agent: createMemoryDriver(() => [], undefined, saved).driver, store });
    expect(await third.recover({ resume: false })).toEqual({ crashed: [b.session.id], resumed: [] });
    await second.close();
  });
});
