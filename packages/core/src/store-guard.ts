import { AegisError } from './errors.js';
import type { LiveSession } from './live-session.js';
import type { AegisStore, StorePressure } from './store.js';

type Problem = { code: string; message: string; hint: string };

export interface StoreGuardOptions {
  store: AegisStore;
  /** The live sessions, by id: the guard stops their turns and, past twice the bound, their agents. */
  live: Map<string, LiveSession>;
  onError: (err: unknown, context: string) => void;
  holdMs: number;
  holdBytes: number;
}

function storeProblem(p: StorePressure): Problem {
  const where = p.location ?? 'the state directory';
  const secs = p.forMs < 10_000 ? (p.forMs / 1000).toFixed(1) : String(Math.round(p.forMs / 1000));
  if (p.code === 'SQLITE_FULL') {
    return {
      code: 'STORE_UNAVAILABLE',
      message: `Storage full: free disk space in ${where}. Writes failed for ${secs} s, so the turn was stopped; every event up to here is kept and stored once there is space.`,
      hint: `Free disk space in ${where}, then send the prompt again.`,
    };
  }
  return {
    code: 'STORE_UNAVAILABLE',
    message: `The session store in ${where} could not be written for ${secs} s (${p.reason}), so the turn was stopped; every event up to here is kept and stored once it works again.`,
    hint: 'Check the disk and whether another process holds the database lock, then send the prompt again.',
  };
}

/**
 * Watches a store that keeps failing (disk full, I/O error, a lock held elsewhere). Live sessions'
 * events are held in memory meanwhile; past `holdMs` or `holdBytes` the guard stops running turns
 * so the backlog stops growing, and refuses new work until the store works again.
 */
export function createStoreGuard(options: StoreGuardOptions) {
  const { store, live, onError, holdMs, holdBytes } = options;
  /** Set once running turns were stopped because the store kept failing; cleared when it recovers. */
  let stop: { at: number; problem: Problem } | null = null;

  return {
    /** Reacts to a store that keeps failing: bounds the held backlog by stopping what produces it. */
    check(): void {
      const pressure = store.pressure?.() ?? null;
      if (!pressure) {
        stop = null;
        return;
      }
      if (!stop && (pressure.forMs >= holdMs || pressure.heldBytes >= holdBytes)) {
        if (!pressure.failing) return; // catching up: it works again
        const problem = storeProblem(pressure);
        stop = { at: Date.now(), problem };
        let stopped = 0;
        for (const s of live.values()) if (s.stopForStore(problem)) stopped += 1;
        onError(
          new AegisError('STORE_UNAVAILABLE', problem.message, { details: { ...pressure } }),
          `store failing: stopped ${stopped} running turn(s)`,
        );
        return;
      }
      if (stop && pressure.heldBytes >= 2 * holdBytes) {
        // Agents that ignored the cancel and keep streaming: stop them, or memory grows without bound.
        const since = stop;
        for (const s of [...live.values()]) {
          if (s.lastEventAt <= since.at) continue;
          live.delete(s.session.id);
          s.end(
            'killed',
            `${since.problem.message} The agent kept sending updates, so it was stopped.`,
          ).catch((err) => onError(err, 'stopping an agent while the store fails'));
        }
      }
    },

    /** New work is refused while the store fails for a reason that does not pass by itself. */
    refuseNewWork(): void {
      const pressure = store.pressure?.();
      if (!pressure?.failing || (pressure.transient && !stop)) return;
      const problem = stop?.problem ?? storeProblem(pressure);
      throw new AegisError(
        'STORE_UNAVAILABLE',
        `${pressure.code === 'SQLITE_FULL' ? `Storage full: free disk space in ${pressure.location ?? 'the state directory'}` : `The session store cannot be written (${pressure.reason})`}; no new prompt is accepted until it works again.`,
        { details: { hint: problem.hint, since: pressure.since, heldWrites: pressure.heldWrites } },
      );
    },
  };
}
