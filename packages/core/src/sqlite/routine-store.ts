import { and, asc, count, desc, eq, inArray, isNull, lte } from 'drizzle-orm';
import { AegisError } from '../errors.js';
import type { Routine, RoutineRun } from '../routines/schemas.js';
import type { RoutineStore } from '../routines/store.js';
import type { AegisDatabase } from './open-database.js';
import { routineRuns, routines } from './schema.js';
import { closedError, unavailable } from './store-errors.js';

/** SQLite {@link RoutineStore} on the session store's connection; a claim is one immediate transaction. */
export function createSqliteRoutineStore(
  db: AegisDatabase,
  opts: { path: string; isClosed: () => boolean },
): RoutineStore {
  const client = db.$client;
  function guard<T>(verb: 'read from' | 'write to', fn: () => T): Promise<T> {
    if (opts.isClosed()) return Promise.reject(closedError(opts.path));
    try {
      return Promise.resolve(fn());
    } catch (err) {
      if (err instanceof AegisError) return Promise.reject(err);
      return Promise.reject(
        unavailable(opts.path, verb, err, 'Nothing was changed; check the database file and retry.'),
      );
    }
  }
  const row = (r: Routine) => ({
    id: r.id,
    ownerId: r.ownerId,
    name: r.name,
    enabled: r.enabled,
    nextFireAt: r.nextFireAt,
    lastFiredAt: r.lastFiredAt,
    spec: r,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  });
  const runRow = (r: RoutineRun) => ({
    id: r.id,
    routineId: r.routineId,
    trigger: r.trigger,
    dueAt: r.dueAt,
    outcome: r.outcome,
    run: r,
  });

  const claim = client.transaction((c: Parameters<RoutineStore['claim']>[0]): boolean => {
    const moved = db
      .update(routines)
      .set({ nextFireAt: c.nextFireAt, lastFiredAt: c.lastFiredAt })
      .where(and(eq(routines.id, c.routineId), eq(routines.enabled, true), eq(routines.nextFireAt, c.dueAt)))
      .run().changes;
    if (moved === 0) return false;
    for (const run of c.runs) {
      const inserted = db.insert(routineRuns).values(runRow(run)).onConflictDoNothing().run().changes;
      // Recorded already (a restart between claim and move cannot happen here, but be strict).
      if (inserted === 0) throw new ClaimLost();
    }
    return true;
  });

  return {
    insert(r) {
      return guard('write to', () => {
        db.insert(routines).values(row(r)).run();
      });
    },
    update(r, o) {
      return guard('write to', () => {
        const { nextFireAt, lastFiredAt, ...rest } = row(r);
        const set = o.moveNext ? { ...rest, nextFireAt, lastFiredAt } : rest;
        return db.update(routines).set(set).where(eq(routines.id, r.id)).run().changes > 0;
      });
    },
    get(id) {
      return guard('read from', () => {
        const r = db.select().from(routines).where(eq(routines.id, id)).get();
        return r && toRoutine(r);
      });
    },
    list(q) {
      return guard('read from', () => {
        const where =
          q.ownerId === undefined
            ? undefined
            : q.ownerId === null
              ? isNull(routines.ownerId)
              : eq(routines.ownerId, q.ownerId);
        return client.transaction(() => {
          const rows = db
            .select()
            .from(routines)
            .where(where)
            .orderBy(asc(routines.name), asc(routines.id))
            .limit(q.limit)
            .offset(q.offset)
            .all();
          const total = db.select({ total: count() }).from(routines).where(where).get()?.total ?? 0;
          return { routines: rows.map(toRoutine), total };
        })();
      });
    },
    delete(id) {
      return guard('write to', () =>
        client.transaction(() => {
          db.delete(routineRuns).where(eq(routineRuns.routineId, id)).run();
          return db.delete(routines).where(eq(routines.id, id)).run().changes > 0;
        })(),
      );
    },
    due(now, limit) {
      return guard('read from', () =>
        db
          .select()
          .from(routines)
          .where(and(eq(routines.enabled, true), lte(routines.nextFireAt, now)))
          .orderBy(asc(routines.nextFireAt), asc(routines.id))
          .limit(limit)
          .all()
          .map(toRoutine),
      );
    },
    claim(c) {
      return guard('write to', () => {
        try {
          return claim.immediate(c);
        } catch (err) {
          if (err instanceof ClaimLost) return false;
          throw err;
        }
      });
    },
    insertRun(run) {
      return guard('write to', () => {
        db.insert(routineRuns).values(runRow(run)).run();
      });
    },
    updateRun(run, from) {
      return guard(
        'write to',
        () =>
          db
            .update(routineRuns)
            .set({ outcome: run.outcome, run })
            .where(and(eq(routineRuns.id, run.id), eq(routineRuns.outcome, from)))
            .run().changes > 0,
      );
    },
    getRun(id) {
      return guard('read from', () => {
        const r = db.select({ run: routineRuns.run }).from(routineRuns).where(eq(routineRuns.id, id)).get();
        return r?.run as RoutineRun | undefined;
      });
    },
    listRuns(q) {
      return guard('read from', () =>
        client.transaction(() => {
          const where = eq(routineRuns.routineId, q.routineId);
          const rows = db
            .select({ run: routineRuns.run })
            .from(routineRuns)
            .where(where)
            .orderBy(desc(routineRuns.dueAt), desc(routineRuns.id))
            .limit(q.limit)
            .offset(q.offset)
            .all();
          const total = db.select({ total: count() }).from(routineRuns).where(where).get()?.total ?? 0;
          return { runs: rows.map((r) => r.run as RoutineRun), total };
        })(),
      );
    },
    activeRuns() {
      return guard('read from', () =>
        db
          .select({ run: routineRuns.run })
          .from(routineRuns)
          .where(inArray(routineRuns.outcome, ['running', 'queued']))
          .orderBy(asc(routineRuns.dueAt), asc(routineRuns.id))
          .all()
          .map((r) => r.run as RoutineRun),
      );
    },
  };
}

class ClaimLost extends Error {}

function toRoutine(r: typeof routines.$inferSelect): Routine {
  return {
    ...(r.spec as Routine),
    enabled: r.enabled,
    nextFireAt: r.nextFireAt,
    lastFiredAt: r.lastFiredAt,
  };
}
