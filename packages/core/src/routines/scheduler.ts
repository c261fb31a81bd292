import type { Actor } from '../sessions-api-types.js';
import { parseSchedule } from './schedule.js';
import type { Routine, RoutineRun, RoutineTrigger } from './schemas.js';
import type { RoutineStore } from './store.js';

/** The time source and timers of a scheduler; tests pass a fake one. */
export interface SchedulerClock {
  now(): Date;
  setTimer(fn: () => void, ms: number): () => void;
}

export const realClock: SchedulerClock = {
  now: () => new Date(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return () => clearTimeout(t);
  },
};

/** What a scheduler starts and watches; see `targets.ts` for the engine's. */
export interface RoutineTargets {
  /** Starts the routine's target as `actor`; resolves with the session or pipeline it started. */
  start(routine: Routine, actor: Actor): Promise<{ sessionId?: string; pipelineId?: string }>;
  /** How a started run ended, or null while it is still going. */
  status(
    run: RoutineRun,
  ): Promise<{ outcome: 'completed' | 'failed'; error: string | null; costUsd: number | null } | null>;
}

export interface RoutineSchedulerOptions {
  store: RoutineStore;
  targets: RoutineTargets;
  /** Who a routine fires as; throwing (a revoked owner key, caps reached) fails the run with the message. */
  actorFor(routine: Routine): Promise<Actor>;
  clock?: SchedulerClock | undefined;
  /** How often due times and running runs are checked. Default 1000 ms. */
  tickMs?: number | undefined;
  /** The most due times one catch-up fires (`catchUp: all`) and the most runs that wait queued. Default 10. */
  catchUpLimit?: number | undefined;
  /** A run that started nothing after this long (its scheduler stopped while starting it) fails. Default 2 min. */
  startTimeoutMs?: number | undefined;
  /**
   * No other scheduler shares the store (a single server): a run claimed before this scheduler
   * started that never recorded what it started was cut off by a stop, and fails at once.
   */
  exclusive?: boolean | undefined;
  /** A run was just started, failed to start, or was skipped (for the audit log). */
  onRun?: ((run: RoutineRun, routine: Routine) => void) | undefined;
  onError(err: unknown, context: string): void;
}

export interface RoutineScheduler {
  /** Checks running runs, starts queued ones and fires what is due now. Resolves once claims are made. */
  tick(): Promise<void>;
  /** Resolves when every target start begun so far has settled (tests). */
  settled(): Promise<void>;
  /** Starts a run outside the schedule; resolves once its target started (or failed to). */
  runNow(routine: Routine): Promise<RoutineRun>;
  /** Starts the timer loop. */
  start(): void;
  close(): Promise<void>;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The routine scheduler. Every due time is fired at most once, however many schedulers share the
 * store and however often they restart: a due time is claimed in the store (see
 * {@link RoutineStore.claim}) before anything starts. Due times that passed before this scheduler
 * started were missed (no scheduler ran) and follow the routine's `catchUp`; the others fire, each
 * subject to `overlap` when the previous run is still going.
 */
export function createRoutineScheduler(options: RoutineSchedulerOptions): RoutineScheduler {
  const { store, targets } = options;
  const clock = options.clock ?? realClock;
  const tickMs = options.tickMs ?? 1000;
  const limit = options.catchUpLimit ?? 10;
  const startTimeoutMs = options.startTimeoutMs ?? 2 * 60_000;
  const startedAt = clock.now();
  const inflight = new Set<Promise<unknown>>();
  /** Runs this scheduler is starting now. */
  const starting = new Set<string>();
  let cancelTimer: (() => void) | undefined;
  let ticking: Promise<void> | undefined;
  let closed = false;

  const track = <T>(p: Promise<T>): Promise<T> => {
    inflight.add(p);
    void p.finally(() => inflight.delete(p)).catch(() => {});
    return p;
  };

  function newRun(routine: Routine, dueAt: string, trigger: RoutineTrigger): RoutineRun {
    return {
      id: globalThis.crypto.randomUUID(),
      routineId: routine.id,
      trigger,
      dueAt,
      firedAt: null,
      endedAt: null,
      outcome: 'running',
      sessionId: null,
      pipelineId: null,
      costUsd: null,
      error: null,
    };
  }

  /** Starts a claimed run's target and records what it started, or why it failed. */
  async function launch(routine: Routine, run: RoutineRun): Promise<RoutineRun> {
    starting.add(run.id);
    try {
      return await launchOnce(routine, run);
    } finally {
      starting.delete(run.id);
    }
  }

  async function launchOnce(routine: Routine, run: RoutineRun): Promise<RoutineRun> {
    let done: RoutineRun;
    try {
      const actor = await options.actorFor(routine);
      const started = await targets.start(routine, actor);
      done = { ...run, sessionId: started.sessionId ?? null, pipelineId: started.pipelineId ?? null };
    } catch (err) {
      done = { ...run, outcome: 'failed', endedAt: clock.now().toISOString(), error: message(err) };
    }
    if (await store.updateRun(done, 'running')) options.onRun?.(done, routine);
    return done;
  }

  /** Settles running runs whose session or pipeline ended; gives up on runs that never started. */
  async function finishRuns(active: RoutineRun[]): Promise<void> {
    const now = clock.now();
    for (const run of active) {
      if (run.outcome !== 'running') continue;
      try {
        if (!run.sessionId && !run.pipelineId) {
          const since = Date.parse(run.firedAt ?? run.dueAt);
          const cutOff = options.exclusive === true && since < startedAt.getTime() && !starting.has(run.id);
          if (cutOff || now.getTime() - since > startTimeoutMs) {
            await store.updateRun(
              {
                ...run,
                outcome: 'failed',
                endedAt: now.toISOString(),
                error:
                  'The server stopped while starting this run, so whether its target started is unknown.',
              },
              'running',
            );
          }
          continue;
        }
        const end = await targets.status(run);
        if (end) {
          await store.updateRun(
            {
              ...run,
              outcome: end.outcome,
              error: end.error,
              costUsd: end.costUsd,
              endedAt: now.toISOString(),
            },
            'running',
          );
        }
      } catch (err) {
        options.onError(err, `checking routine run ${run.id}`);
      }
    }
  }

  /** Starts the oldest queued run of each routine with nothing running. */
  async function startQueued(): Promise<void> {
    const active = await store.activeRuns();
    const busy = new Set(active.filter((r) => r.outcome === 'running').map((r) => r.routineId));
    for (const run of active) {
      if (run.outcome !== 'queued' || busy.has(run.routineId)) continue;
      busy.add(run.routineId);
      const routine = await store.get(run.routineId);
      if (!routine) continue;
      const started: RoutineRun = { ...run, outcome: 'running', firedAt: clock.now().toISOString() };
      if (await store.updateRun(started, 'queued')) void track(launch(routine, started));
    }
  }

  /** Claims what is due of one routine and starts it. */
  async function fireDue(routine: Routine, running: boolean, queued: number): Promise<void> {
    const now = clock.now();
    const dueAt = routine.nextFireAt as string;
    let schedule: ReturnType<typeof parseSchedule>;
    try {
      schedule = parseSchedule(routine.schedule, routine.timezone);
    } catch (err) {
      options.onError(err, `routine ${routine.id} has a schedule that no longer parses`);
      return;
    }
    const due = schedule.recent(new Date(dueAt), now, limit + 1);
    // The stored due time is due even when the schedule no longer produces it (edited meanwhile).
    if (due.length === 0) due.push(new Date(dueAt));
    const missed = due.filter((d) => d < startedAt);
    const current = due.filter((d) => d >= startedAt);
    const catchUp =
      routine.catchUp === 'none'
        ? []
        : routine.catchUp === 'latest'
          ? missed.slice(-1)
          : missed.slice(-limit);
    const fire: { at: Date; trigger: RoutineTrigger }[] = [
      ...catchUp.map((at) => ({ at, trigger: 'catch_up' as const })),
      ...current.map((at) => ({ at, trigger: 'schedule' as const })),
    ];
    const next = schedule.next(now, new Date(dueAt));
    const runs: RoutineRun[] = [];
    let busy = running;
    let waiting = queued;
    for (const f of fire) {
      const run = newRun(routine, f.at.toISOString(), f.trigger);
      if (busy && routine.overlap === 'skip') {
        Object.assign(run, {
          outcome: 'skipped',
          endedAt: now.toISOString(),
          error: 'The previous run was still going (overlap: skip).',
        });
      } else if (busy && routine.overlap === 'queue') {
        if (waiting >= limit) {
          Object.assign(run, {
            outcome: 'skipped',
            endedAt: now.toISOString(),
            error: `${limit} runs were already queued (overlap: queue).`,
          });
        } else {
          run.outcome = 'queued';
          waiting++;
        }
      } else {
        run.firedAt = now.toISOString();
        busy = true;
      }
      runs.push(run);
    }
    const claimed = await store.claim({
      routineId: routine.id,
      dueAt,
      nextFireAt: next ? next.toISOString() : null,
      lastFiredAt: now.toISOString(),
      runs,
    });
    if (!claimed) return;
    for (const run of runs) {
      if (run.outcome === 'running') void track(launch(routine, run));
      else if (run.outcome === 'skipped') options.onRun?.(run, routine);
    }
  }

  async function tickOnce(): Promise<void> {
    const active = await store.activeRuns();
    await finishRuns(active);
    await startQueued();
    const now = clock.now().toISOString();
    const stillActive = await store.activeRuns();
    for (const routine of await store.due(now, 100)) {
      try {
        const mine = stillActive.filter((r) => r.routineId === routine.id);
        await fireDue(
          routine,
          mine.some((r) => r.outcome === 'running'),
          mine.filter((r) => r.outcome === 'queued').length,
        );
      } catch (err) {
        options.onError(err, `firing routine ${routine.id}`);
      }
    }
  }

  function tick(): Promise<void> {
    // One tick at a time; a tick asked for while one runs waits for it and runs again.
    const run = (ticking ?? Promise.resolve()).then(tickOnce, tickOnce);
    ticking = run.catch(() => {});
    return run;
  }

  function loop(): void {
    if (closed) return;
    cancelTimer = clock.setTimer(() => {
      tick()
        .catch((err) => options.onError(err, 'routine scheduler tick'))
        .finally(loop);
    }, tickMs);
  }

  return {
    tick,
    async settled() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
    async runNow(routine) {
      const run = newRun(routine, clock.now().toISOString(), 'manual');
      run.firedAt = run.dueAt;
      await store.insertRun(run);
      return track(launch(routine, run));
    },
    start() {
      if (!cancelTimer && !closed) {
        void tick().catch((err) => options.onError(err, 'routine scheduler tick'));
        loop();
      }
    },
    async close() {
      closed = true;
      cancelTimer?.();
      await ticking;
      await Promise.allSettled([...inflight]);
    },
  };
}
