import { afterEach, describe, expect, it } from 'vitest';
import { type Aegis, createAegis } from '../engine.js';
import { AegisError } from '../errors.js';
import { createMemoryStore } from '../memory-store.js';
import type { AegisStore } from '../store.js';
import { createMemoryDriver } from '../testing/memory-driver.js';
import type { RoutineScheduler } from './scheduler.js';
import type { RoutineInput, RoutineRun } from './schemas.js';

/** The scheduler on a fake clock, over the real engine (in-memory agent and store). */

function fakeClock(startIso: string) {
  let t = Date.parse(startIso);
  return {
    now: () => new Date(t),
    setTimer: () => () => {},
    set(iso: string) {
      t = Date.parse(iso);
    },
    advance(ms: number) {
      t += ms;
    },
  };
}

const opened: Aegis[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((a) => a.close()));
});

/**
 * An engine whose agent finishes every prompt at once, except `wait`, which runs until cancelled,
 * and `overloaded`, whose turn fails.
 */
function engine(clock: ReturnType<typeof fakeClock>, store: AegisStore = createMemoryStore()) {
  const { driver } = createMemoryDriver((text) =>
    text === 'wait'
      ? [{ waitForCancel: true }]
      : text === 'overloaded'
        ? [{ fail: new AegisError('AGENT_PROTOCOL_ERROR', 'The model is overloaded') }]
        : [],
  );
  const aegis = createAegis({ agent: driver, store, now: clock.now });
  opened.push(aegis);
  return aegis;
}

const admin = { id: null, admin: true };

async function tick(s: RoutineScheduler) {
  await s.tick();
  await s.settled();
}

async function runs(aegis: Aegis, id: string): Promise<RoutineRun[]> {
  return (await aegis.routines.runs(id, { limit: 100 }, admin)).runs.reverse();
}

const every = (schedule: string, extra: Partial<RoutineInput> = {}): RoutineInput => ({
  name: 'r',
  schedule,
  target: { session: { workDir: '/w/a', prompt: 'go' } },
  ...extra,
});

describe('routine scheduler (fake clock)', () => {
  it("fails a run whose session's turn failed, saying why", async () => {
    const clock = fakeClock('2026-01-01T00:00:00Z');
    const aegis = engine(clock);
    const target = { session: { workDir: '/w/a', prompt: 'overloaded' } };
    const r = await aegis.routines.create(every('*/5 * * * *', { target }), admin);
    const s = aegis.routines.createScheduler({ clock });
    clock.set('2026-01-01T00:05:00.400Z');
    await tick(s);
    await tick(s);
    expect(await runs(aegis, r.id)).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        error: "The session's turn failed: The model is overloaded.",
      }),
    ]);
  });

  it('fires each due time once and moves on to the next one', async () => {
    const clock = fakeClock('2026-01-01T00:00:00Z');
    const aegis = engine(clock);
    const r = await aegis.routines.create(every('*/5 * * * *'), admin);
    expect(r.nextFireAt).toBe('2026-01-01T00:05:00.000Z');
    const s = aegis.routines.createScheduler({ clock });
    await tick(s);
    expect(await runs(aegis, r.id)).toEqual([]);
    clock.set('2026-01-01T00:05:00.400Z');
    await tick(s);
    const [first, ...rest] = await runs(aegis, r.id);
    expect(rest).toEqual([]);
    expect(first).toMatchObject({
      dueAt: '2026-01-01T00:05:00.000Z',
      trigger: 'schedule',
      outcome: 'running',
    });
    expect(first?.sessionId).toBeTruthy();
    expect((await aegis.routines.get(r.id, admin)).nextFireAt).toBe('2026-01-01T00:10:00.000Z');
    // The session's first turn has ended: the next tick completes the run and fires nothing more.
    await tick(s);
    expect(await runs(aegis, r.id)).toEqual([
      expect.objectContaining({ id: first?.id, outcome: 'completed', error: null }),
    ]);
  });

  it('follows the spring-forward DST change in Europe/Rome: 02:30 does not exist, fires once at 03:00', async () => {
    const clock = fakeClock('2026-03-27T00:00:00Z');
    const aegis = engine(clock);
    const r = await aegis.routines.create(
      every('30 2 * * *', { timezone: 'Europe/Rome', overlap: 'allow' }),
      admin,
    );
    const s = aegis.routines.createScheduler({ clock });
    for (let h = 0; h < 4 * 24; h++) {
      clock.advance(3_600_000);
      await tick(s);
    }
    expect((await runs(aegis, r.id)).map((x) => x.dueAt)).toEqual([
      '2026-03-27T01:30:00.000Z', // 02:30 CET
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z', // 03:00 CEST: the skipped hour
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('fires once when the fall-back DST change in America/New_York repeats 01:30', async () => {
    const clock = fakeClock('2026-10-31T00:00:00Z');
    const aegis = engine(clock);
    const r = await aegis.routines.create(
      every('30 1 * * *', { timezone: 'America/New_York', overlap: 'allow' }),
      admin,
    );
    const s = aegis.routines.createScheduler({ clock });
    for (let m = 0; m < 3 * 24 * 4; m++) {
      clock.advance(15 * 60_000);
      await tick(s);
    }
    expect((await runs(aegis, r.id)).map((x) => x.dueAt)).toEqual([
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z', // 01:30 EDT; not again at 01:30 EST
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  describe('catch-up after downtime', () => {
    /** Fires once at 00:01, then "restarts" at 00:30:30 with a new scheduler on the same store. */
    async function downtime(catchUp: 'none' | 'latest' | 'all') {
      const clock = fakeClock('2026-01-01T00:00:00Z');
      const aegis = engine(clock);
      const r = await aegis.routines.create(every('* * * * *', { catchUp, overlap: 'allow' }), admin);
      clock.set('2026-01-01T00:01:00Z');
      await tick(aegis.routines.createScheduler({ clock }));
      clock.set('2026-01-01T00:30:30Z');
      const after = aegis.routines.createScheduler({ clock });
      await tick(after);
      await tick(after);
      const all = await runs(aegis, r.id);
      return { all, next: (await aegis.routines.get(r.id, admin)).nextFireAt };
    }

    it('none: fires none of the missed due times and waits for the next one', async () => {
      const { all, next } = await downtime('none');
      expect(all.map((x) => x.dueAt)).toEqual(['2026-01-01T00:01:00.000Z']);
      expect(next).toBe('2026-01-01T00:31:00.000Z');
    });

    it('latest: fires the most recent missed due time once', async () => {
      const { all, next } = await downtime('latest');
      expect(all.map((x) => [x.dueAt, x.trigger])).toEqual([
        ['2026-01-01T00:01:00.000Z', 'schedule'],
        ['2026-01-01T00:30:00.000Z', 'catch_up'],
      ]);
      expect(next).toBe('2026-01-01T00:31:00.000Z');
    });

    it('all: fires each missed due time, the 10 most recent at most, oldest first', async () => {
      const { all, next } = await downtime('all');
      expect(all.map((x) => x.dueAt)).toEqual([
        '2026-01-01T00:01:00.000Z',
        ...Array.from({ length: 10 }, (_, i) => `2026-01-01T00:${21 + i}:00.000Z`),
      ]);
      expect(all.slice(1).every((x) => x.trigger === 'catch_up' && x.sessionId !== null)).toBe(true);
      expect(next).toBe('2026-01-01T00:31:00.000Z');
    });
  });

  describe('overlap while the previous run is still going', () => {
    async function overlapping(overlap: 'skip' | 'queue' | 'allow') {
      const clock = fakeClock('2026-01-01T00:00:00Z');
      const aegis = engine(clock);
      const r = await aegis.routines.create(
        every('every 1m', { overlap, target: { session: { workDir: '/w/a', prompt: 'wait' } } }),
        admin,
      );
      const s = aegis.routines.createScheduler({ clock });
      clock.advance(60_000);
      await tick(s);
      clock.advance(60_000);
      await tick(s);
      return { aegis, r, s, clock };
    }

    it('skip: records the due time as skipped', async () => {
      const { aegis, r } = await overlapping('skip');
      expect((await runs(aegis, r.id)).map((x) => [x.outcome, x.error])).toEqual([
        ['running', null],
        ['skipped', 'The previous run was still going (overlap: skip).'],
      ]);
    });

    it('queue: starts the queued run once the previous one ends', async () => {
      const { aegis, r, s } = await overlapping('queue');
      const [first, second] = await runs(aegis, r.id);
      expect([first?.outcome, second?.outcome, second?.sessionId]).toEqual(['running', 'queued', null]);
      await aegis.sessions.kill(first?.sessionId as string, admin);
      await tick(s); // the first run ends (failed: killed) and the queued one starts
      const after = await runs(aegis, r.id);
      expect(after.map((x) => x.outcome)).toEqual(['failed', 'running']);
      expect(after[0]?.error).toBe('The session was killed.');
      expect(after[1]?.sessionId).toBeTruthy();
      expect(after[1]?.sessionId).not.toBe(first?.sessionId);
    });

    it('allow: starts a second session beside the first', async () => {
      const { aegis, r } = await overlapping('allow');
      const all = await runs(aegis, r.id);
      expect(all.map((x) => x.outcome)).toEqual(['running', 'running']);
      expect(new Set(all.map((x) => x.sessionId)).size).toBe(2);
    });
  });

  it('records a failed run when the target cannot start, and goes on with the schedule', async () => {
    const clock = fakeClock('2026-01-01T00:00:00Z');
    const aegis = engine(clock);
    const t = await aegis.templates.create({ name: 'nightly', prompt: 'go' }, admin);
    const r = await aegis.routines.create(
      every('every 1h', { target: { template: 'nightly', workDir: '/w/a' } }),
      admin,
    );
    await aegis.templates.delete(t.id, admin);
    const s = aegis.routines.createScheduler({ clock });
    clock.advance(3_600_000);
    await tick(s);
    const [failed] = await runs(aegis, r.id);
    expect(failed).toMatchObject({ outcome: 'failed', sessionId: null });
    expect(failed?.error).toMatch(/^Template "nightly" could not be used: .*Edit the routine's target\.$/);
    expect((await aegis.routines.get(r.id, admin)).nextFireAt).toBe('2026-01-01T02:00:00.000Z');
    await aegis.templates.create({ name: 'nightly', prompt: 'go' }, admin);
    clock.advance(3_600_000);
    await tick(s);
    expect((await runs(aegis, r.id)).map((x) => x.outcome)).toEqual(['failed', 'running']);
  });

  it('fires a due time once when two schedulers share the store', async () => {
    const clock = fakeClock('2026-01-01T00:00:00Z');
    const store = createMemoryStore();
    const a = engine(clock, store);
    const r = await a.routines.create(every('every 10s', { overlap: 'allow' }), admin);
    const one = a.routines.createScheduler({ clock });
    const two = a.routines.createScheduler({ clock });
    for (let i = 0; i < 6; i++) {
      clock.advance(10_000);
      await Promise.all([one.tick(), two.tick()]);
    }
    await Promise.all([one.settled(), two.settled()]);
    const due = (await runs(a, r.id)).map((x) => x.dueAt);
    expect(due).toHaveLength(6);
    expect(new Set(due).size).toBe(6);
  });

  it('runs now outside the schedule, even while paused', async () => {
    const clock = fakeClock('2026-01-01T00:00:00Z');
    const aegis = engine(clock);
    const r = await aegis.routines.create(every('0 9 * * 1-5'), admin);
    expect((await aegis.routines.pause(r.id, admin)).nextFireAt).toBeNull();
    const run = await aegis.routines.runNow(r.id, admin);
    expect(run).toMatchObject({ trigger: 'manual', outcome: 'running', dueAt: '2026-01-01T00:00:00.000Z' });
    expect(run.sessionId).toBeTruthy();
    clock.set('2026-01-05T10:00:00Z');
    const resumed = await aegis.routines.resume(r.id, admin);
    expect(resumed.nextFireAt).toBe('2026-01-06T09:00:00.000Z');
  });
});

describe('a stop between claiming a run and starting it', () => {
  it('fails that run when the next (sole) scheduler starts, so overlap skip is not blocked by it', async () => {
    const clock = fakeClock('2026-01-01T00:00:00Z');
    const store = createMemoryStore();
    const aegis = engine(clock, store);
    const r = await aegis.routines.create(every('every 1m'), admin);
    // What a killed server leaves: the due time claimed, its run recorded, nothing started.
    const dueAt = '2026-01-01T00:01:00.000Z';
    await store.routines.claim({
      routineId: r.id,
      dueAt,
      nextFireAt: '2026-01-01T00:02:00.000Z',
      lastFiredAt: dueAt,
      runs: [
        {
          id: 'cut',
          routineId: r.id,
          trigger: 'schedule',
          dueAt,
          firedAt: dueAt,
          endedAt: null,
          outcome: 'running',
          sessionId: null,
          pipelineId: null,
          costUsd: null,
          error: null,
        },
      ],
    });
    clock.set('2026-01-01T00:01:30Z');
    const shared = aegis.routines.createScheduler({ clock });
    await tick(shared);
    expect((await store.routines.getRun('cut'))?.outcome).toBe('running'); // another node may be starting it
    const sole = aegis.routines.createScheduler({ clock, exclusive: true });
    await tick(sole);
    expect(await store.routines.getRun('cut')).toMatchObject({
      outcome: 'failed',
      error: 'The server stopped while starting this run, so whether its target started is unknown.',
    });
    clock.set('2026-01-01T00:02:00Z');
    await tick(sole);
    expect((await runs(aegis, r.id)).map((x) => x.outcome)).toEqual(['failed', 'running']);
  });
});
