import { describe, expect, it } from 'vitest';
import type { AgentDriver } from './driver.js';
import { createAegis } from './engine.js';
import type { AegisEvent } from './events.js';
import { createMemoryStore } from './memory-store.js';
import { SessionStatus } from './schemas.js';
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

  it('joins a burst of one message taken in in slices (as the runtime yields between them) into one delta', async () => {
    // Three slices of 64 chunks with a turn of the event loop between them, as the ACP runtime
    // takes a burst in: one stored and announced delta, the same text in the same order.
    const slice = (n: number) => ({ together: Array.from({ length: 64 }, (_, i) => say(`${n}.${i} `)) });
    const { aegis, seen } = setup(() => [slice(0), slice(1), slice(2)]);
    const { session } = await aegis.sessions.create({ workDir: '/w', prompt: 'go' });
    await until(async () => (await aegis.sessions.get(session.id)).status === 'idle');
    const deltas = seen.filter((e) => e.sessionId === session.id && e.type === 'message.delta');
    const text = [0, 1, 2].flatMap((n) => Array.from({ length: 64 }, (_, i) => `${n}.${i} `)).join('');
    expect(deltas.map((e) => (e.data as { text: string }).text)).toEqual([text]);
    expect((await aegis.sessions.read(session.id)).entries.at(-1)?.text).toBe(text);
  });

  it('a long burst still streams: a held delta is recorded once it reaches 64 KiB', async () => {
    const kib = 'x'.repeat(1023);
    const slice = (n: number) => ({ together: Array.from({ length: 64 }, () => say(`${n}${kib}`)) });
    const { aegis, seen } = setup(() => [slice(0), slice(1), slice(2)]);
    const { session } = await aegis.sessions.create({ workDir: '/w', prompt: 'go' });
    await until(async () => (await aegis.sessions.get(session.id)).status === 'idle');
    const deltas = seen.filter((e) => e.sessionId === session.id && e.type === 'message.delta');
    expect(deltas.map((e) => (e.data as { text: string }).text.length)).toEqual([65_536, 65_536, 65_536]);
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

  /** A driver whose `session/set_mode` waits for the test to let it through. */
  const gatedModeDriver = () => {
    const { driver, stats } = createMemoryDriver(() => [say('ok')]);
    const calls: string[] = [];
    let applyMode: () => void = () => {};
    const modeApplied = new Promise<void>((r) => (applyMode = r));
    const aegis = createAegis({
      agent: {
        ...driver,
        async start(opts, sink) {
          const handle = await driver.start(opts, sink);
          return {
            ...handle,
            info: handle.info,
            async setMode(mode) {
              calls.push(`set_mode ${mode}`);
              await modeApplied;
              await handle.setMode(mode);
            },
            async prompt(text) {
              calls.push(`prompt ${text}`);
              return handle.prompt(text);
            },
          };
        },
      },
      store: createMemoryStore(),
    });
    return { aegis, stats, calls, applyMode: () => applyMode() };
  };

  it('a create asking for a mode answers once the agent is ready; a prompt sent meanwhile waits for the mode', async () => {
    const { aegis, stats, calls, applyMode } = gatedModeDriver();
    const { session } = await aegis.sessions.create({ workDir: '/w', permissionMode: 'acceptEdits' });
    expect(session).toMatchObject({ status: 'idle', permissionMode: 'acceptEdits' });
    expect(calls).toEqual(['set_mode acceptEdits']);
    await aegis.sessions.prompt(session.id, 'hi');
    expect(stats.prompts).toEqual([]);
    applyMode();
    await until(async () => (await aegis.sessions.get(session.id)).turns === 1);
    await until(async () => (await aegis.sessions.get(session.id)).status === 'idle');
    expect(calls).toEqual(['set_mode acceptEdits', 'prompt hi']);
  });

  it('a create with a mode and a prompt applies the mode first and answers working, never an idle with the prompt still to run', async () => {
    const { aegis, calls, applyMode } = gatedModeDriver();
    let answered = false;
    const creating = aegis.sessions
      .create({ workDir: '/w', permissionMode: 'acceptEdits', prompt: 'hi' })
      .finally(() => {
        answered = true;
      });
    await until(async () => calls.length === 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(false);
    applyMode();
    const { session } = await creating;
    expect(session).toMatchObject({ status: 'working', permissionMode: 'acceptEdits' });
    await until(async () => (await aegis.sessions.get(session.id)).status === 'idle');
    expect(calls).toEqual(['set_mode acceptEdits', 'prompt hi']);
  });

  it('a create asking for a mode the agent does not offer fails and leaves nothing running', async () => {
    const { driver, stats } = createMemoryDriver(() => []);
    const aegis = createAegis({ agent: driver, store: createMemoryStore() });
    await expect(aegis.sessions.create({ workDir: '/w', permissionMode: 'plan' })).rejects.toMatchObject({
      code: 'UNSUPPORTED_MODE',
    });
    expect(stats.open).toBe(0);
    expect(aegis.liveCount).toBe(0);
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

  it('counts sessions per state, every state listed, with or without the store’s grouped count', async () => {
    for (const grouped of [true, false]) {
      const full = createMemoryStore();
      const { countSessionsByStatus: _, ...withoutCount } = full;
      const store = grouped ? full : (withoutCount as typeof full);
      const aegis = createAegis({ agent: createMemoryDriver(() => []).driver, store });
      await aegis.sessions.create({ workDir: '/w' });
      const { session } = await aegis.sessions.create({ workDir: '/w', reuse: false });
      await aegis.sessions.kill(session.id);
      const counts = await aegis.sessions.countByStatus();
      expect(Object.keys(counts).sort()).toEqual([...SessionStatus.options].sort());
      expect(Object.entries(counts).filter(([, n]) => n > 0)).toEqual([
        ['idle', 1],
        ['killed', 1],
      ]);
      await aegis.close();
    }
  });
});

describe('engine recovery', () => {
  it('takes sessions a dead process left live on dormant, starting no agent, continuing their seq', async () => {
    const store = createMemoryStore();
    const first = createAegis({ agent: createMemoryDriver(() => []).driver, store });
    const { session } = await first.sessions.create({ workDir: '/w', prompt: 'hi' });
    await until(async () => (await first.sessions.get(session.id)).status === 'idle');
    const before = await store.listEvents({ sessionId: session.id, limit: 1000 });
    // No close(): the process "died". A new engine over the same store recovers.
    const next = createMemoryDriver(() => []);
    const second = createAegis({ agent: next.driver, store });
    expect(await second.recover()).toEqual({ crashed: [], dormant: [session.id] });
    const after = await store.listEvents({ sessionId: session.id, limit: 1000 });
    expect(after.slice(before.length).map((e) => [e.seq, e.type])).toEqual([
      [before.length + 1, 'agent.evicted'],
    ]);
    expect(await second.sessions.get(session.id)).toMatchObject({ status: 'idle', agentResident: false });
    expect(next.stats.starts + next.stats.resumes).toBe(0);
    expect(await second.recover()).toEqual({ crashed: [], dormant: [] });
    await second.close();
  });

  it('records the cut-off turn of a dead process, then resumes the agent on the next prompt only', async () => {
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

    // The process "died" mid-turn with a permission open.
    const next = createMemoryDriver(script, undefined, saved);
    const second = createAegis({ agent: next.driver, store });
    const seen: AegisEvent[] = [];
    second.subscribe((e) => seen.push(e));
    expect(await second.recover()).toEqual({ crashed: [], dormant: [session.id] });
    const after = await store.listEvents({ sessionId: session.id, limit: 1000 });
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.map((e) => e.seq)).toEqual(after.map((_, i) => i + 1));
    expect(after.slice(before.length).map((e) => e.type)).toEqual([
      'permission.resolved',
      'session.state_changed',
      'turn.failed',
      'session.state_changed',
      'prompts.dropped',
      'agent.evicted',
    ]);
    const dropped = after.find((e) => e.type === 'prompts.dropped');
    expect(dropped?.data).toMatchObject({ count: 1, texts: [] });
    const failed = after.find((e, i) => i >= before.length && e.type === 'turn.failed');
    expect(failed?.data).toMatchObject({
      turnId: before.findLast((e) => e.type === 'turn.started')?.data.turnId,
      problem: {
        code: 'AGENT_CRASHED',
        message: expect.stringContaining('1 queued prompt(s) were not delivered'),
      },
    });
    expect(next.stats.starts + next.stats.resumes).toBe(0);
    const dormant = await second.sessions.get(session.id);
    expect(dormant).toMatchObject({
      status: 'error',
      agentResident: false,
      pendingPermission: null,
      queuedPrompts: 0,
    });

    await second.sessions.prompt(session.id, 'next');
    await until(async () => (await second.sessions.get(session.id)).turns === 3);
    await until(async () => (await second.sessions.get(session.id)).status === 'idle');
    expect(next.stats.resumes).toBe(1);
    expect(saved.get(row!.agentSession!.id)).toEqual(['hi', 'long', 'next']);
    const resumed = seen.find((e) => e.type === 'agent.resumed');
    expect(resumed?.data).toMatchObject({ via: 'load', reason: null });
    expect(await second.sessions.get(session.id)).toMatchObject({ agentResident: true, problem: null });
    expect(seen.map((e) => e.seq)).toEqual(seen.map((_, i) => before.length + i + 1));
    await second.close();
  });

  it('a prompt that waited for its agent to start when the process died is reported dropped, not lost silently', async () => {
    const store = createMemoryStore();
    const mem = createMemoryDriver(() => [say('ok')]);
    // The agent never finishes starting: the create's prompt waits in the queue, the session pending.
    const stuck: AgentDriver = { ...mem.driver, start: () => new Promise(() => {}) };
    const first = createAegis({ agent: stuck, store });
    void first.sessions.create({ workDir: '/w', prompt: 'do the thing' });
    let id = '';
    await until(async () => {
      const [row] = (await store.listSessions({ offset: 0, limit: 1 })).sessions;
      id = row?.id ?? '';
      return row?.status === 'pending' && row.queuedPrompts === 1;
    });

    // The process "died" there. A new one takes the session on and says the prompt will not run.
    const second = createAegis({ agent: createMemoryDriver(() => [say('ok')]).driver, store });
    expect(await second.recover()).toEqual({ crashed: [], dormant: [id] });
    const events = await store.listEvents({ sessionId: id, limit: 1000 });
    const dropped = events.find((e) => e.type === 'prompts.dropped');
    expect(dropped?.data).toEqual({
      count: 1,
      texts: [],
      reason: expect.stringMatching(
        /^Aegis stopped .* 1 queued prompt\(s\) were not delivered; send them again\.$/,
      ),
    });
    expect(await second.sessions.get(id)).toMatchObject({ queuedPrompts: 0, agentResident: false });
    const notes = (await second.sessions.read(id)).entries.filter((e) => e.role === 'system');
    expect(notes.map((e) => e.text)).toContain(dropped?.data.reason);
    await second.close();
  });

  it('a prompt sent to a dormant session is stored as queued before it is acknowledged', async () => {
    const store = createMemoryStore();
    const saved = new Map<string, string[]>();
    const mem = createMemoryDriver(() => [say('ok')], undefined, saved);
    let wake: (() => void) | null = null;
    const slowResume: AgentDriver = {
      ...mem.driver,
      resume: (opts, sink) =>
        new Promise<void>((r) => {
          wake = r;
        }).then(() => mem.driver.resume!(opts, sink)),
    };
    const first = createAegis({ agent: slowResume, store, idleEvictMs: 20 });
    const { session } = await first.sessions.create({ workDir: '/w', prompt: 'one' });
    await until(async () => (await first.sessions.get(session.id)).agentResident === false);
    expect(await first.sessions.prompt(session.id, 'two')).toMatchObject({ queued: true });
    // Acknowledged: the stored row already counts it, while the agent is still waking.
    expect(wake).not.toBeNull();
    expect((await store.getSession(session.id))?.queuedPrompts).toBe(1);

    const second = createAegis({
      agent: createMemoryDriver(() => [say('ok')], undefined, saved).driver,
      store,
    });
    expect(await second.recover()).toEqual({ crashed: [], dormant: [session.id] });
    const events = await store.listEvents({ sessionId: session.id, limit: 1000 });
    expect(events.filter((e) => e.type === 'prompts.dropped').map((e) => e.data.count)).toEqual([1]);
    await second.close();
  });

  it('replays a bounded transcript into a fresh agent session when the agent cannot reopen its own; resume off crashes all', async () => {
    const store = createMemoryStore();
    const saved = new Map<string, string[]>();
    const first = createAegis({
      agent: createMemoryDriver(() => [say('the codeword is PLUM')], undefined, saved).driver,
      store,
    });
    const a = await first.sessions.create({ workDir: '/a', prompt: 'remember' });
    const b = await first.sessions.create({ workDir: '/b' });
    await until(async () => (await first.sessions.get(a.session.id)).status === 'idle');
    saved.delete((await store.getSession(a.session.id))!.agentSession!.id);
    const next = createMemoryDriver(() => [say('ok')], undefined, saved);
    const second = createAegis({ agent: next.driver, store });
    const recovered = await second.recover();
    expect(recovered.dormant.sort()).toEqual([a.session.id, b.session.id].sort());
    const seen: AegisEvent[] = [];
    second.subscribe((e) => seen.push(e));
    await second.sessions.prompt(a.session.id, 'what was it?');
    await until(async () => (await second.sessions.get(a.session.id)).turns === 2);
    await until(async () => (await second.sessions.get(a.session.id)).status === 'idle');
    expect(seen.find((e) => e.type === 'agent.resumed')?.data).toMatchObject({
      via: 'replay',
      reason: expect.stringMatching(/could not reopen its conversation: Session mem-.* not found/),
    });
    // The model sees the earlier conversation; the transcript shows the prompt as sent by the user.
    const sent = next.stats.prompts.at(-1)!;
    expect(sent).toContain('User: remember');
    expect(sent).toContain('Assistant: the codeword is PLUM');
    expect(sent.endsWith('what was it?')).toBe(true);
    const entries = (await second.sessions.read(a.session.id)).entries;
    expect(entries.filter((e) => e.role === 'user').map((e) => e.text)).toEqual(['remember', 'what was it?']);
    expect(
      entries.some((e) => e.role === 'system' && /given the newest \d+ transcript entries/.test(e.text)),
    ).toBe(true);
    // `second` is left as if it died (closing it would close the shared in-memory store).

    const third = createAegis({ agent: createMemoryDriver(() => [], undefined, saved).driver, store });
    const r = await third.recover({ resume: false });
    expect(r.dormant).toEqual([]);
    expect(r.crashed.sort()).toEqual([a.session.id, b.session.id].sort());
    expect((await third.sessions.get(b.session.id)).problem?.message).toMatch(/resumeOnRestart: false/);
  });

  it('a clean shutdown leaves sessions resumable, never completed: the running turn fails saying so', async () => {
    const store = createMemoryStore();
    const saved = new Map<string, string[]>();
    const script = (text: string): MemoryStep[] =>
      text === 'long' ? [{ permission: { title: 'Write a.txt' } }, { waitForCancel: true }] : [say('ok')];
    // The shared in-memory store outlives the first engine's close(), as a file would.
    const first = createAegis({
      agent: createMemoryDriver(script, undefined, saved).driver,
      store: { ...store, close: async () => {} },
    });
    const idle = await first.sessions.create({ workDir: '/i', prompt: 'hi' });
    const busy = await first.sessions.create({ workDir: '/b', prompt: 'long' });
    await until(async () => (await first.sessions.get(busy.session.id)).status === 'permission_prompt');
    await until(async () => (await first.sessions.get(idle.session.id)).status === 'idle');
    expect(await first.close()).toEqual({ suspended: 2 });
    const rowBusy = (await store.getSession(busy.session.id))!;
    const rowIdle = (await store.getSession(idle.session.id))!;
    expect(rowIdle).toMatchObject({ status: 'idle', agentResident: false });
    expect(rowBusy).toMatchObject({ status: 'error', agentResident: false, pendingPermission: null });
    expect(rowBusy.problem).toMatchObject({ code: 'SHUTTING_DOWN' });
    const types = (await store.listEvents({ sessionId: busy.session.id, limit: 1000 })).map((e) => e.type);
    expect(types).not.toContain('session.ended');
    expect(types.slice(-5)).toEqual([
      'permission.resolved',
      'session.state_changed',
      'turn.failed',
      'session.state_changed',
      'agent.evicted',
    ]);

    const next = createMemoryDriver(script, undefined, saved);
    const second = createAegis({ agent: next.driver, store });
    expect((await second.recover()).dormant.sort()).toEqual([idle.session.id, busy.session.id].sort());
    // Nothing new was recorded for them: the shutdown already left them dormant.
    expect((await store.listEvents({ sessionId: busy.session.id, limit: 1000 })).map((e) => e.type)).toEqual(
      types,
    );
    await second.sessions.prompt(busy.session.id, 'again');
    await until(async () => (await second.sessions.get(busy.session.id)).status === 'idle');
    expect(next.stats.resumes).toBe(1);
    await second.close();
  });
});

describe('engine residency', () => {
  function residencySetup(
    script: (text: string) => MemoryStep[],
    opts: { idleEvictMs?: number; maxResidentAgents?: number } = {},
  ) {
    const saved = new Map<string, string[]>();
    const mem = createMemoryDriver(script, undefined, saved);
    const store = createMemoryStore();
    const aegis = createAegis({ agent: mem.driver, store, stallCheckIntervalMs: 10, ...opts });
    const seen: AegisEvent[] = [];
    aegis.subscribe((e) => seen.push(e));
    return { aegis, store, mem, saved, seen };
  }
  const status = (aegis: ReturnType<typeof createAegis>, id: string) =>
    aegis.sessions.get(id).then((s) => s.status);

  it('evicts an idle agent after idleEvictMs and resumes it transparently on the next prompt', async () => {
    const { aegis, mem, seen, saved } = residencySetup(() => [say('ok')], { idleEvictMs: 50 });
    const { session } = await aegis.sessions.create({ workDir: '/w', prompt: 'one' });
    await until(async () => (await aegis.sessions.get(session.id)).agentResident === false);
    expect(mem.stats.open).toBe(0);
    const evicted = seen.find((e) => e.type === 'agent.evicted');
    expect(evicted?.data.reason).toMatch(/idle for \d+ s \(idleEvictMs 50\)/);
    expect(await status(aegis, session.id)).toBe('idle');
    const delivery = await aegis.sessions.prompt(session.id, 'two');
    expect(delivery).toMatchObject({ queued: true });
    await until(async () => (await aegis.sessions.get(session.id)).turns === 2);
    await until(async () => (await status(aegis, session.id)) === 'idle');
    expect(seen.find((e) => e.type === 'agent.resumed')?.data.via).toBe('load');
    expect([...saved.values()][0]).toEqual(['one', 'two']);
    await aegis.close();
  });

  it('never evicts while a permission waits, and a prompt racing an eviction is not lost', async () => {
    const { aegis, mem } = residencySetup(
      (text) => (text === 'ask' ? [{ permission: { title: 'Write' } }, say('done')] : [say(text)]),
      { idleEvictMs: 30 },
    );
    const { session } = await aegis.sessions.create({ workDir: '/w', prompt: 'ask' });
    await until(async () => (await status(aegis, session.id)) === 'permission_prompt');
    await new Promise((r) => setTimeout(r, 150));
    expect(mem.stats.open).toBe(1);
    await aegis.sessions.respondPermission(session.id, { approve: true });
    await until(async () => (await aegis.sessions.get(session.id)).agentResident === false);
    // Prompts sent back to back, some while the next eviction may be under way: all run, in order.
    for (const t of ['a', 'b', 'c']) {
      await aegis.sessions.prompt(session.id, t);
      await new Promise((r) => setTimeout(r, 25));
    }
    await until(async () => (await aegis.sessions.get(session.id)).turns === 4, 5000);
    await until(async () => (await status(aegis, session.id)) === 'idle');
    const users = (await aegis.sessions.read(session.id)).entries.filter((e) => e.role === 'user');
    expect(users.map((e) => e.text)).toEqual(['ask', 'a', 'b', 'c']);
    await aegis.close();
  });

  it('kills a dormant session and refuses prompts to it with 409', async () => {
    const { aegis } = residencySetup(() => [say('ok')], { idleEvictMs: 20 });
    const { session } = await aegis.sessions.create({ workDir: '/w' });
    await until(async () => (await aegis.sessions.get(session.id)).agentResident === false);
    expect((await aegis.sessions.kill(session.id)).status).toBe('killed');
    await expect(aegis.sessions.prompt(session.id, 'hi')).rejects.toMatchObject({
      code: 'SESSION_TERMINATED',
    });
    await aegis.close();
  });

  it('evicts the least recently used idle session to make room, and answers 429 when every agent is busy', async () => {
    const { aegis, mem, seen } = residencySetup(
      (text) => (text === 'block' ? [{ waitForCancel: true }] : [say('ok')]),
      { idleEvictMs: 0, maxResidentAgents: 2 },
    );
    const a = await aegis.sessions.create({ workDir: '/a', prompt: 'x' });
    const b = await aegis.sessions.create({ workDir: '/b', prompt: 'x' });
    await until(async () => (await status(aegis, a.session.id)) === 'idle');
    await until(async () => (await status(aegis, b.session.id)) === 'idle');
    await aegis.sessions.prompt(b.session.id, 'y'); // b is now the more recently used
    await until(async () => (await aegis.sessions.get(b.session.id)).turns === 2);
    await until(async () => (await status(aegis, b.session.id)) === 'idle');
    const c = await aegis.sessions.create({ workDir: '/c', prompt: 'block' });
    expect(mem.stats.open).toBe(2);
    expect((await aegis.sessions.get(a.session.id)).agentResident).toBe(false);
    expect((await aegis.sessions.get(b.session.id)).agentResident).toBe(true);
    expect(seen.find((e) => e.type === 'agent.evicted')?.data.reason).toMatch(/maxResidentAgents 2/);
    await aegis.sessions.prompt(b.session.id, 'block');
    await until(async () => (await status(aegis, b.session.id)) === 'working');
    await until(async () => (await status(aegis, c.session.id)) === 'working');
    // Both resident agents are busy: a dormant session's prompt and a new session are refused.
    await expect(aegis.sessions.prompt(a.session.id, 'z')).rejects.toMatchObject({
      code: 'CAPACITY_EXHAUSTED',
      details: { retryAfter: 5, maxResidentAgents: 2 },
    });
    await expect(aegis.sessions.create({ workDir: '/d' })).rejects.toMatchObject({
      code: 'CAPACITY_EXHAUSTED',
    });
    expect(aegis.residency()).toMatchObject({ resident: 2, dormant: 1, maxResidentAgents: 2 });
    await aegis.sessions.interrupt(c.session.id);
    await until(async () => (await status(aegis, c.session.id)) === 'idle');
    await aegis.sessions.prompt(a.session.id, 'z');
    await until(async () => (await aegis.sessions.get(a.session.id)).turns === 2);
    expect(mem.stats.open).toBeLessThanOrEqual(2);
    await aegis.close();
  });
});

describe('engine reuse under concurrency', () => {
  it('concurrent creates in the same new folder start one session, as they would one after another', async () => {
    const mem = createMemoryDriver((text) => [say(text)]);
    const aegis = createAegis({ agent: mem.driver, store: createMemoryStore() });
    const results = await Promise.all([1, 2, 3].map(() => aegis.sessions.create({ workDir: '/same' })));
    expect(new Set(results.map((r) => r.session.id)).size).toBe(1);
    expect(results.map((r) => r.reused).sort()).toEqual([false, true, true]);
    expect(mem.stats.starts).toBe(1);
    // A create that asks for a fresh session is never folded into another.
    const fresh = await Promise.all([
      aegis.sessions.create({ workDir: '/other', reuse: false }),
      aegis.sessions.create({ workDir: '/other', reuse: false }),
    ]);
    expect(fresh[0]!.session.id).not.toBe(fresh[1]!.session.id);
    await aegis.close();
  });
});

describe('engine recovery of sessions that cannot be brought back', () => {
  it('answers what a crashed session waited on, so no permission request stays open forever', async () => {
    const store = createMemoryStore();
    const first = createAegis({
      agent: createMemoryDriver(() => [{ permission: { title: 'Write a.txt' } }, { waitForCancel: true }])
        .driver,
      store,
    });
    // Its own env is not stored, so after the process dies it cannot be brought back.
    const { session } = await first.sessions.create({ workDir: '/w', prompt: 'go', env: { FOO: 'bar' } });
    await until(async () => (await first.sessions.get(session.id)).status === 'permission_prompt');
    const second = createAegis({ agent: createMemoryDriver(() => []).driver, store });
    expect(await second.recover()).toEqual({ crashed: [session.id], dormant: [] });
    const events = await store.listEvents({ sessionId: session.id, limit: 1000 });
    expect(events.slice(-3).map((e) => e.type)).toEqual([
      'permission.resolved',
      'session.ended',
      'session.state_changed',
    ]);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const crashed = await second.sessions.get(session.id);
    expect(crashed).toMatchObject({ status: 'crashed', pendingPermission: null });
    expect(crashed.problem?.message).toMatch(/its own env/);
    const entries = (await second.sessions.read(session.id)).entries;
    expect(entries.find((e) => e.role === 'permission')?.permission?.outcome).toBe('cancelled');
  });

  it('knows a session had its own env when its create was cut off before the agent was ready', async () => {
    const store = createMemoryStore();
    // The first process dies while its agents start (they never get ready): no `agentSession` is stored.
    const hanging: AgentDriver = { agents: ['memory'], start: () => new Promise<never>(() => {}) };
    const first = createAegis({ agent: hanging, store });
    void first.sessions.create({ workDir: '/own', env: { TOKEN: 'secret' } });
    void first.sessions.create({ workDir: '/plain' });
    await until(async () => (await store.listSessions({ limit: 10, offset: 0 })).sessions.length === 2);
    const byDir = async (dir: string) =>
      (await store.listSessions({ limit: 10, offset: 0 })).sessions.find((s) => s.workDir === dir)!;
    const own = await byDir('/own');
    expect(own.agentSession).toBeNull();
    const created = (await store.listEvents({ sessionId: own.id, limit: 1 }))[0];
    expect(created).toMatchObject({ type: 'session.created', data: { envNames: ['TOKEN'] } });
    expect(JSON.stringify(created)).not.toContain('secret');

    const second = createAegis({ agent: createMemoryDriver(() => [], undefined, new Map()).driver, store });
    const plain = await byDir('/plain');
    expect(await second.recover()).toEqual({ crashed: [own.id], dormant: [plain.id] });
    expect((await second.sessions.get(own.id)).problem?.message).toMatch(/its own env/);
    await second.close();
  });
});
