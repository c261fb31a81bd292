import { and, asc, count, desc, eq, inArray, isNull, lte } from 'drizzle-orm';
import type { Routine, RoutineRun } from '../routines/schemas.js';
import type { RoutineStore } from '../routines/store.js';
import { type GuardContext, guarded } from './guard.js';
import type { PgDatabase } from './open-database.js';
import { routineRuns, routines } from './schema.js';

class ClaimLost extends Error {}

/**
 * PostgreSQL {@link RoutineStore}. A claim is a conditional UPDATE of `next_fire_at` plus the run
 * inserts in one transaction: under READ COMMITTED a second node's UPDATE of the same row waits for
 * the first to commit, then finds `next_fire_at` moved and changes nothing, so it fires nothing.
 */
export function createPgRoutineStore(db: PgDatabase, ctx: GuardContext): RoutineStore {
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

  return {
    insert(r) {
      return guarded(ctx, 'write to', async () => {
        await db.insert(routines).values(row(r));
      });
    },
    update(r, o) {
      return guarded(ctx, 'write to', async () => {
        const { nextFireAt, lastFiredAt, ...rest } = row(r);
        const set = o.moveNext ? { ...rest, nextFireAt, lastFiredAt } : rest;
        const done = await db
          .update(routines)
          .set(set)
          .where(eq(routines.id, r.id))
          .returning({ id: routines.id });
        return done.length > 0;
      });
    },
    get(id) {
      return guarded(ctx, 'read from', async () => {
        const [r] = await db.select().from(routines).where(eq(routines.id, id));
        return r && toRoutine(r);
      });
    },
    list(q) {
      return guarded(ctx, 'read from', () => {
        const where =
          q.ownerId === undefined
            ? undefined
            : q.ownerId === null
              ? isNull(routines.ownerId)
              : eq(routines.ownerId, q.ownerId);
        return db.transaction(
          async (tx) => {
            const rows = await tx
              .select()
              .from(routines)
              .where(where)
              .orderBy(asc(routines.name), asc(routines.id))
              .limit(q.limit)
              .offset(q.offset);
            const [total] = await tx.select({ total: count() }).from(routines).where(where);
            return { routines: rows.map(toRoutine), total: total?.total ?? 0 };
          },
          { isolationLevel: 'repeatable read', accessMode: 'read only' },
        );
      });
    },
    delete(id) {
      return guarded(ctx, 'write to', () =>
        db.transaction(async (tx) => {
          await tx.delete(routineRuns).where(eq(routineRuns.routineId, id));
          const gone = await tx.delete(routines).where(eq(routines.id, id)).returning({ id: routines.id });
          return gone.length > 0;
        }),
      );
    },
    due(now, limit) {
      return guarded(ctx, 'read from', async () =>
        (
          await db
            .select()
            .from(routines)
            .where(and(eq(routines.enabled, true), lte(routines.nextFireAt, now)))
            .orderBy(asc(routines.nextFireAt), asc(routines.id))
            .limit(limit)
        ).map(toRoutine),
      );
    },
    claim(c) {
      return guarded(ctx, 'write to', async () => {
        try {
          return await db.transaction(async (tx) => {
            const moved = await tx
              .update(routines)
              .set({ nextFireAt: c.nextFireAt, lastFiredAt: c.lastFiredAt })
              .where(
                and(
                  eq(routines.id, c.routineId),
                  eq(routines.enabled, true),
                  eq(routines.nextFireAt, c.dueAt),
                ),
              )
              .returning({ id: routines.id });
            if (moved.length === 0) return false;
            if (c.runs.length > 0) {
              const inserted = await tx
                .insert(routineRuns)
                .values(c.runs.map(runRow))
                .onConflictDoNothing()
                .returning({ id: routineRuns.id });
              if (inserted.length !== c.runs.length) throw new ClaimLost();
            }
            return true;
          });
        } catch (err) {
          if (err instanceof ClaimLost) return false;
          throw err;
        }
      });
    },
    insertRun(run) {
      return guarded(ctx, 'write to', async () => {
        await db.insert(routineRuns).values(runRow(run));
      });
    },
    updateRun(run, from) {
      return guarded(ctx, 'write to', async () => {
        const done = await db
          .update(routineRuns)
          .set({ outcome: run.outcome, run })
          .where(and(eq(routineRuns.id, run.id), eq(routineRuns.outcome, from)))
          .returning({ id: routineRuns.id });
        return done.length > 0;
      });
    },
    getRun(id) {
      return guarded(ctx, 'read from', async () => {
        const [r] = await db.select({ run: routineRuns.run }).from(routineRuns).where(eq(routineRuns.id, id));
        return r?.run as RoutineRun | undefined;
      });
    },
    listRuns(q) {
      return guarded(ctx, 'read from', () =>
        db.transaction(
          async (tx) => {
            const where = eq(routineRuns.routineId, q.routineId);
            const rows = await tx
              .select({ run: routineRuns.run })
              .from(routineRuns)
              .where(where)
              .orderBy(desc(routineRuns.dueAt), desc(routineRuns.id))
              .limit(q.limit)
              .offset(q.offset);
            const [total] = await tx.select({ total: count() }).from(routineRuns).where(where);
            return { runs: rows.map((r) => r.run as RoutineRun), total: total?.total ?? 0 };
          },
          { isolationLevel: 'repeatable read', accessMode: 'read only' },
        ),
      );
    },
    activeRuns() {
      return guarded(ctx, 'read from', async () =>
        (
          await db
            .select({ run: routineRuns.run })
            .from(routineRuns)
            .where(inArray(routineRuns.outcome, ['running', 'queued']))
            .orderBy(asc(routineRuns.dueAt), asc(routineRuns.id))
        ).map((r) => r.run as RoutineRun),
      );
    },
  };
}

function toRoutine(r: typeof routines.$inferSelect): Routine {
  return { ...(r.spec as Routine), enabled: r.enabled, nextFireAt: r.nextFireAt, lastFiredAt: r.lastFiredAt };
}
