import type { AegisClient, RoutineRun } from '@aegis/client';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, sleep, startServerProcess, tempDir } from './harness.js';

/**
 * Routines across a SIGKILL: a real server fires three routines every 2 s (sessions of the scripted
 * agent), is killed mid-schedule, stays down for ~6 s and is started again on the same state dir.
 * No due time may fire twice, and each routine's `catchUp` decides what the downtime fires.
 */

const STEP = 2000;

async function allRuns(client: AegisClient, id: string): Promise<RoutineRun[]> {
  const { runs } = await client.listRoutineRuns(id, { limit: 100 });
  return runs.sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
}

/** Consecutive differences of the due times, in steps of the interval. */
const gaps = (runs: RoutineRun[]) =>
  runs.slice(1).map((r, i) => (Date.parse(r.dueAt) - Date.parse(runs[i]!.dueAt)) / STEP);

describe('routines: server SIGKILLed and restarted mid-schedule', () => {
  const root = tempDir('routines');
  const stateDir = root.sub('state');
  const work = root.sub('work');
  const servers: ServerProcess[] = [];
  // Idle agents stop after a second, so a session every 2 s does not pile up processes; the idle
  // sessions do pile up (they count against the key's live-session cap), hence the raised caps.
  const env = { AEGIS_IDLE_EVICT_MS: '1000' };
  const opts = {
    stateDir,
    allowedWorkDirs: [work],
    env,
    mode: 'launcher' as const,
    config: { limits: { sessionsPerKey: 1000, sessionsGlobal: 1000 } },
  };
  afterAll(async () => {
    for (const s of servers) await s.stop();
    root.remove();
  });

  it('fires no due time twice, and catches up none, the latest or all of the missed ones', async () => {
    const first = await startServerProcess(opts);
    servers.push(first);
    const make = (catchUp: 'none' | 'latest' | 'all') =>
      first.client.createRoutine({
        name: `every-2s-${catchUp}`,
        schedule: 'every 2s',
        catchUp,
        overlap: 'allow',
        target: { session: { workDir: work, prompt: 'tick' } },
      });
    const routines = { none: await make('none'), latest: await make('latest'), all: await make('all') };
    // Let each fire a few times.
    for (const deadline = Date.now() + 30_000; ; ) {
      const counts = await Promise.all(Object.values(routines).map((r) => allRuns(first.client, r.id)));
      if (counts.every((c) => c.length >= 3)) break;
      if (Date.now() > deadline) throw new Error(`routines did not fire:\n${first.output()}`);
      await sleep(200);
    }
    first.child.kill('SIGKILL');
    await first.exited;
    const killedAt = Date.now();
    await sleep(6000);

    const second = await startServerProcess(opts);
    servers.push(second);
    const restartedAt = Date.now();
    await sleep(5000);
    // Stop firing, and let starts in flight record their sessions.
    for (const r of Object.values(routines)) await second.client.pauseRoutine(r.id);
    const starting = async () => {
      const lists = await Promise.all(Object.values(routines).map((r) => allRuns(second.client, r.id)));
      return lists.flat().filter((r) => r.outcome === 'running' && r.sessionId === null).length;
    };
    for (const deadline = Date.now() + 30_000; (await starting()) > 0 && Date.now() < deadline; )
      await sleep(200);
    const runs = {
      none: await allRuns(second.client, routines.none.id),
      latest: await allRuns(second.client, routines.latest.id),
      all: await allRuns(second.client, routines.all.id),
    };
    await second.stop();

    for (const [name, list] of Object.entries(runs)) {
      // Exactly once: every due time at most one run, and each run its own session.
      const due = list.map((r) => r.dueAt);
      expect(new Set(due).size, name).toBe(due.length);
      const sessions = list.map((r) => r.sessionId).filter((s) => s !== null);
      expect(new Set(sessions).size, name).toBe(sessions.length);
      // Runs whose start the kill cut off (those in flight, on a busy machine more than one) have no
      // session and failed saying so, once the restarted server found them; every other one has one.
      const cut = list.filter((r) => r.sessionId === null);
      expect(
        cut.map((r) => r.error),
        name,
      ).toEqual(cut.map(() => expect.stringMatching(/stopped while starting this run/)));
      expect(
        cut.filter((r) => Date.parse(r.dueAt) > killedAt),
        name,
      ).toEqual([]);
      // A run whose session's turn was still going at the kill (on a busy machine the 'tick' turn can
      // be) failed, saying the stop cut that turn off; no other run with a session failed.
      const failed = list.filter((r) => r.outcome === 'failed' && r.sessionId !== null);
      const cutTurn = (r: RoutineRun) =>
        r.firedAt !== null &&
        Date.parse(r.firedAt) < killedAt &&
        /^The session's turn failed: Aegis stopped .*This turn was cut off/.test(r.error ?? '');
      expect(
        failed.filter((r) => !cutTurn(r)),
        name,
      ).toEqual([]);
      // The server fired again after the restart.
      expect(Date.parse(list.at(-1)!.dueAt), name).toBeGreaterThan(restartedAt);
    }

    // none: nothing caught up; the due times of the downtime are a gap of at least 3 steps.
    expect(runs.none.filter((r) => r.trigger === 'catch_up')).toEqual([]);
    expect(Math.max(...gaps(runs.none))).toBeGreaterThanOrEqual(3);

    // latest: one catch-up run, for the last due time before the restart; the schedule goes on from it.
    const late = runs.latest.filter((r) => r.trigger === 'catch_up');
    expect(late).toHaveLength(1);
    const i = runs.latest.indexOf(late[0]!);
    expect(Date.parse(late[0]!.dueAt)).toBeGreaterThan(killedAt);
    expect(gaps(runs.latest)[i]).toBe(1);
    expect(gaps(runs.latest)[i - 1]).toBeGreaterThanOrEqual(3);

    // all: every due time from the first to the last fired once, the missed ones as catch-up runs.
    expect(gaps(runs.all).every((g) => g === 1)).toBe(true);
    const caught = runs.all.filter((r) => r.trigger === 'catch_up');
    expect(caught.length).toBeGreaterThanOrEqual(3);
    expect(
      caught.every((r) => Date.parse(r.dueAt) >= killedAt - STEP && Date.parse(r.dueAt) < restartedAt),
    ).toBe(true);
  });
});
