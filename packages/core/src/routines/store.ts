import type { Routine, RoutineRun, RoutineRunOutcome } from './schemas.js';

/**
 * Durable routines and their runs. The scheduler's exactly-once rests on {@link RoutineStore.claim}:
 * a due time is taken by moving `nextFireAt` on from it, conditionally, in the same transaction
 * that records its runs (unique per routine, trigger and due time), so two schedulers sharing the
 * store, or one restarted, never fire a due time twice.
 */
export interface RoutineStore {
  insert(routine: Routine): Promise<void>;
  /**
   * Writes the definition fields. `nextFireAt`/`lastFiredAt` are written only when `moveNext` is
   * true, so an edit never rolls back a due time the scheduler claimed meanwhile. False when gone.
   */
  update(routine: Routine, opts: { moveNext: boolean }): Promise<boolean>;
  get(id: string): Promise<Routine | undefined>;
  /** By name, then id; `ownerId` undefined → every owner's. */
  list(query: {
    ownerId?: string | null | undefined;
    limit: number;
    offset: number;
  }): Promise<{ routines: Routine[]; total: number }>;
  /** Deletes the routine and its runs. */
  delete(id: string): Promise<boolean>;
  /** Enabled routines whose `nextFireAt` is at or before `now`, earliest first. */
  due(now: string, limit: number): Promise<Routine[]>;
  /**
   * Takes the due time `dueAt` of a routine: if its `nextFireAt` still equals `dueAt` and it is
   * enabled, moves it to `nextFireAt`, sets `lastFiredAt` and inserts `runs`, all at once. False
   * (and nothing written) when another scheduler took it first or the routine changed.
   */
  claim(claim: {
    routineId: string;
    dueAt: string;
    nextFireAt: string | null;
    lastFiredAt: string;
    runs: RoutineRun[];
  }): Promise<boolean>;
  /** Records a run started outside the schedule (run now). */
  insertRun(run: RoutineRun): Promise<void>;
  /** Replaces a run if its outcome is still `from`; false when another scheduler moved it first. */
  updateRun(run: RoutineRun, from: RoutineRunOutcome): Promise<boolean>;
  getRun(id: string): Promise<RoutineRun | undefined>;
  /** A routine's runs, newest due time first. */
  listRuns(query: {
    routineId: string;
    limit: number;
    offset: number;
  }): Promise<{ runs: RoutineRun[]; total: number }>;
  /** Every run still `running` or `queued`, of every routine, oldest due time first. */
  activeRuns(): Promise<RoutineRun[]>;
}

const clone = <T>(v: T): T => structuredClone(v);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const runKey = (r: RoutineRun) => `${r.routineId}\u0000${r.trigger}\u0000${r.dueAt}`;
const byDueDesc = (a: RoutineRun, b: RoutineRun) => cmp(b.dueAt, a.dueAt) || cmp(b.id, a.id);

/** In-memory {@link RoutineStore}; `assertOpen` throws once the owning store is closed. */
export function createMemoryRoutineStore(assertOpen: () => void): RoutineStore {
  const routines = new Map<string, Routine>();
  const runs = new Map<string, RoutineRun>();
  const keys = new Set<string>();
  return {
    async insert(r) {
      assertOpen();
      routines.set(r.id, clone(r));
    },
    async update(r, opts) {
      assertOpen();
      const current = routines.get(r.id);
      if (!current) return false;
      const next = clone(r);
      if (!opts.moveNext) {
        next.nextFireAt = current.nextFireAt;
        next.lastFiredAt = current.lastFiredAt;
      }
      routines.set(r.id, next);
      return true;
    },
    async get(id) {
      const r = routines.get(id);
      return r && clone(r);
    },
    async list(q) {
      const all = [...routines.values()]
        .filter((r) => q.ownerId === undefined || r.ownerId === q.ownerId)
        .sort((a, b) => cmp(a.name, b.name) || cmp(a.id, b.id));
      return { routines: all.slice(q.offset, q.offset + q.limit).map(clone), total: all.length };
    },
    async delete(id) {
      assertOpen();
      for (const [runId, run] of runs) {
        if (run.routineId === id) {
          runs.delete(runId);
          keys.delete(runKey(run));
        }
      }
      return routines.delete(id);
    },
    async due(now, limit) {
      return [...routines.values()]
        .filter((r) => r.enabled && r.nextFireAt !== null && r.nextFireAt <= now)
        .sort((a, b) => cmp(a.nextFireAt as string, b.nextFireAt as string) || cmp(a.id, b.id))
        .slice(0, limit)
        .map(clone);
    },
    async claim(c) {
      assertOpen();
      const r = routines.get(c.routineId);
      if (!r?.enabled || r.nextFireAt !== c.dueAt) return false;
      if (c.runs.some((run) => keys.has(runKey(run)))) return false;
      r.nextFireAt = c.nextFireAt;
      r.lastFiredAt = c.lastFiredAt;
      for (const run of c.runs) {
        runs.set(run.id, clone(run));
        keys.add(runKey(run));
      }
      return true;
    },
    async insertRun(run) {
      assertOpen();
      if (keys.has(runKey(run))) throw new Error(`run ${runKey(run)} exists`);
      runs.set(run.id, clone(run));
      keys.add(runKey(run));
    },
    async updateRun(run, from) {
      assertOpen();
      const current = runs.get(run.id);
      if (!current || current.outcome !== from) return false;
      runs.set(run.id, clone(run));
      return true;
    },
    async getRun(id) {
      const r = runs.get(id);
      return r && clone(r);
    },
    async listRuns(q) {
      const all = [...runs.values()].filter((r) => r.routineId === q.routineId).sort(byDueDesc);
      return { runs: all.slice(q.offset, q.offset + q.limit).map(clone), total: all.length };
    },
    async activeRuns() {
      return [...runs.values()]
        .filter((r) => r.outcome === 'running' || r.outcome === 'queued')
        .sort((a, b) => -byDueDesc(a, b))
        .map(clone);
    },
  };
}
