import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createAegis } from '../engine.js';
import { createMemoryStore } from '../memory-store.js';
import { dropTestSchemas, openTestPgStore, testSchema } from '../pg/__fixtures__/pg-test-db.js';
import { removeTmpDirs, tmpDbPath } from '../sqlite/__fixtures__/store-fixtures.js';
import { createSqliteStore } from '../sqlite/index.js';
import type { AegisStore } from '../store.js';
import { createMemoryDriver } from '../testing/memory-driver.js';
import type { Routine, RoutineRun } from './schemas.js';

/** The behaviour every store shares for routines and their runs. */

const open: AegisStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close().catch(() => {})));
  removeTmpDirs();
});
afterAll(dropTestSchemas);

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:01:00.000Z';
const T2 = '2026-01-01T00:02:00.000Z';

const routine = (id: string, name: string, ownerId: string | null, over: Partial<Routine> = {}): Routine => ({
  id,
  name,
  schedule: '* * * * *',
  scheduleKind: 'cron',
  timezone: 'UTC',
  overlap: 'skip',
  catchUp: 'latest',
  enabled: true,
  nextFireAt: T1,
  lastFiredAt: null,
  ownerId,
  ownerRole: 'operator',
  target: { session: { workDir: '/w', prompt: 'hi \u0000 there' } },
  createdAt: T0,
  updatedAt: T0,
  ...over,
});

const run = (id: string, routineId: string, dueAt: string, over: Partial<RoutineRun> = {}): RoutineRun => ({
  id,
  routineId,
  trigger: 'schedule',
  dueAt,
  firedAt: dueAt,
  endedAt: null,
  outcome: 'running',
  sessionId: null,
  pipelineId: null,
  costUsd: null,
  error: null,
  ...over,
});

describe.each([
  ['memory', () => createMemoryStore()],
  ['sqlite', () => createSqliteStore({ path: tmpDbPath() })],
  ['postgres', () => openTestPgStore()],
] as [string, () => AegisStore | Promise<AegisStore>][])('routine store: %s', (_name, create) => {
  const newStore = async () => {
    const s = await create();
    open.push(s);
    return s;
  };

  it('stores routines, lists them by owner and name, updates and deletes them with their runs', async () => {
    const { routines } = await newStore();
    await routines.insert(routine('r2', 'zeta', 'alice'));
    await routines.insert(routine('r1', 'alpha', 'alice'));
    await routines.insert(routine('r3', 'beta', null));
    expect(await routines.get('r1')).toEqual(routine('r1', 'alpha', 'alice'));
    const all = await routines.list({ limit: 10, offset: 0 });
    expect({ ids: all.routines.map((r) => r.id), total: all.total }).toEqual({
      ids: ['r1', 'r3', 'r2'],
      total: 3,
    });
    const alice = await routines.list({ ownerId: 'alice', limit: 1, offset: 1 });
    expect({ ids: alice.routines.map((r) => r.id), total: alice.total }).toEqual({ ids: ['r2'], total: 2 });
    expect((await routines.list({ ownerId: null, limit: 10, offset: 0 })).routines.map((r) => r.id)).toEqual([
      'r3',
    ]);
    await routines.insertRun(run('x1', 'r1', T1));
    expect(await routines.delete('r1')).toBe(true);
    expect(await routines.delete('r1')).toBe(false);
    expect(await routines.get('r1')).toBeUndefined();
    expect(await routines.getRun('x1')).toBeUndefined();
    expect(await routines.update(routine('r1', 'alpha', 'alice'), { moveNext: true })).toBe(false);
  });

  it('an edit keeps the due time the scheduler moved unless asked to move it', async () => {
    const { routines } = await newStore();
    await routines.insert(routine('r1', 'a', 'alice'));
    expect(
      await routines.claim({ routineId: 'r1', dueAt: T1, nextFireAt: T2, lastFiredAt: T1, runs: [] }),
    ).toBe(true);
    await routines.update(routine('r1', 'renamed', 'alice', { nextFireAt: T1 }), { moveNext: false });
    expect(await routines.get('r1')).toMatchObject({ name: 'renamed', nextFireAt: T2, lastFiredAt: T1 });
    await routines.update(routine('r1', 'renamed', 'alice', { enabled: false, nextFireAt: null }), {
      moveNext: true,
    });
    expect(await routines.get('r1')).toMatchObject({ enabled: false, nextFireAt: null, lastFiredAt: null });
  });

  it('finds enabled routines due at a time, earliest first', async () => {
    const { routines } = await newStore();
    await routines.insert(routine('late', 'a', null, { nextFireAt: T2 }));
    await routines.insert(routine('early', 'b', null, { nextFireAt: T1 }));
    await routines.insert(routine('paused', 'c', null, { nextFireAt: T0, enabled: false }));
    await routines.insert(routine('done', 'd', null, { nextFireAt: null }));
    expect((await routines.due(T0, 10)).map((r) => r.id)).toEqual([]);
    expect((await routines.due(T2, 10)).map((r) => r.id)).toEqual(['early', 'late']);
    expect((await routines.due(T2, 1)).map((r) => r.id)).toEqual(['early']);
  });

  it('claims a due time once: a second claim of it, or of a paused routine, changes nothing', async () => {
    const { routines } = await newStore();
    await routines.insert(routine('r1', 'a', null));
    const first = { routineId: 'r1', dueAt: T1, nextFireAt: T2, lastFiredAt: T1, runs: [run('a', 'r1', T1)] };
    expect(await routines.claim(first)).toBe(true);
    expect(await routines.claim({ ...first, runs: [run('b', 'r1', T1)] })).toBe(false);
    expect((await routines.get('r1'))?.nextFireAt).toBe(T2);
    expect(
      (await routines.listRuns({ routineId: 'r1', limit: 10, offset: 0 })).runs.map((r) => r.id),
    ).toEqual(['a']);
    await routines.update(routine('r1', 'a', null, { enabled: false, nextFireAt: T2 }), { moveNext: true });
    expect(await routines.claim({ ...first, dueAt: T2, runs: [run('c', 'r1', T2)] })).toBe(false);
  });

  it('refuses a claim whose run for that due time exists already, leaving the due time where it was', async () => {
    const { routines } = await newStore();
    await routines.insert(routine('r1', 'a', null));
    await routines.insertRun(run('old', 'r1', T1));
    const claim = {
      routineId: 'r1',
      dueAt: T1,
      nextFireAt: T2,
      lastFiredAt: T1,
      runs: [run('new', 'r1', T1)],
    };
    expect(await routines.claim(claim)).toBe(false);
    expect((await routines.get('r1'))?.nextFireAt).toBe(T1);
    expect(await routines.getRun('new')).toBeUndefined();
  });

  it('moves a run only from the outcome it was read in; lists runs newest first and active ones oldest first', async () => {
    const { routines } = await newStore();
    await routines.insert(routine('r1', 'a', null));
    await routines.insertRun(run('a', 'r1', T0));
    await routines.insertRun(run('b', 'r1', T1, { outcome: 'queued', firedAt: null }));
    await routines.insertRun(run('c', 'r1', T2, { outcome: 'skipped', firedAt: null }));
    expect((await routines.activeRuns()).map((r) => r.id)).toEqual(['a', 'b']);
    const done = run('a', 'r1', T0, { outcome: 'completed', sessionId: 's1', costUsd: 0.25, endedAt: T1 });
    expect(await routines.updateRun(done, 'running')).toBe(true);
    expect(await routines.updateRun({ ...done, outcome: 'failed' }, 'running')).toBe(false);
    expect(await routines.getRun('a')).toEqual(done);
    expect((await routines.activeRuns()).map((r) => r.id)).toEqual(['b']);
    const page = await routines.listRuns({ routineId: 'r1', limit: 2, offset: 0 });
    expect({ ids: page.runs.map((r) => r.id), total: page.total }).toEqual({ ids: ['c', 'b'], total: 3 });
  });
});

describe('routine store: sqlite durability', () => {
  it('keeps routines, their due times and runs across a reopen', async () => {
    const path = tmpDbPath();
    const first = createSqliteStore({ path });
    await first.routines.insert(routine('r1', 'a', 'alice'));
    await first.routines.claim({
      routineId: 'r1',
      dueAt: T1,
      nextFireAt: T2,
      lastFiredAt: T1,
      runs: [run('x', 'r1', T1)],
    });
    await first.close();
    const second = createSqliteStore({ path });
    open.push(second);
    expect(await second.routines.get('r1')).toMatchObject({ nextFireAt: T2, lastFiredAt: T1 });
    expect(await second.routines.getRun('x')).toEqual(run('x', 'r1', T1));
    expect(
      await second.routines.claim({ routineId: 'r1', dueAt: T1, nextFireAt: T2, lastFiredAt: T1, runs: [] }),
    ).toBe(false);
  });
});

describe('routine scheduler: two nodes on one PostgreSQL schema', () => {
  it('fires every due time exactly once when two schedulers with their own connections race for it', async () => {
    const schema = testSchema();
    const storeA = await openTestPgStore({ schema });
    const storeB = await openTestPgStore({ schema });
    const { driver: da } = createMemoryDriver(() => []);
    const { driver: db } = createMemoryDriver(() => []);
    let t = Date.parse('2026-01-01T00:00:00Z');
    const clock = { now: () => new Date(t), setTimer: () => () => {} };
    const a = createAegis({ agent: da, store: storeA, now: clock.now });
    const b = createAegis({ agent: db, store: storeB, now: clock.now });
    const admin = { id: null, admin: true };
    try {
      const r = await a.routines.create(
        {
          name: 'race',
          schedule: 'every 1s',
          overlap: 'allow',
          catchUp: 'none',
          target: { session: { workDir: '/w', prompt: 'x' } },
        },
        admin,
      );
      const sa = a.routines.createScheduler({ clock });
      const sb = b.routines.createScheduler({ clock });
      for (let i = 0; i < 25; i++) {
        t += 1000;
        await Promise.all([sa.tick(), sb.tick(), sa.tick(), sb.tick()]);
      }
      await Promise.all([sa.settled(), sb.settled()]);
      const { runs, total } = await b.routines.runs(r.id, { limit: 100 }, admin);
      expect(total).toBe(25);
      expect(new Set(runs.map((x) => x.dueAt)).size).toBe(25);
      expect(new Set(runs.map((x) => x.sessionId)).size).toBe(25);
      expect(runs.every((x) => x.sessionId !== null)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
