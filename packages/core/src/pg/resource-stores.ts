import { and, asc, count, desc, eq, gt, gte, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import { templateNameConflict } from '../orchestration/memory-resource-stores.js';
import type { PipelineRecord, PipelineSpec, ResourceStores } from '../orchestration/resource-store.js';
import type { MemoryEntry, Pipeline, Template } from '../orchestration/schemas.js';
import { type GuardContext, guarded } from './guard.js';
import { LOCK_NAMESPACE, LOCKS, type PgDatabase } from './open-database.js';
import { memoryEntries, pipelines, templates } from './schema.js';

/** Every memory key sorts below this suffix (keys use only characters below `~`), so `[p, p~)` is the prefix range. */
const PREFIX_END = '~';

/** PostgreSQL {@link ResourceStores} on the store's pool; same behaviour as the SQLite ones. */
export function createPgResourceStores(db: PgDatabase, ctx: GuardContext): ResourceStores {
  const liveAt = (now: string): SQL | undefined =>
    or(isNull(memoryEntries.expiresAt), gt(memoryEntries.expiresAt, now));
  const ownerIs = (ownerId: string | null, column: typeof templates.ownerId | typeof pipelines.ownerId) =>
    ownerId === null ? isNull(column) : eq(column, ownerId);

  return {
    templates: {
      list(q = {}) {
        return guarded(ctx, 'read from', async () =>
          (
            await db
              .select({ spec: templates.spec })
              .from(templates)
              .where(q.ownerId === undefined ? undefined : ownerIs(q.ownerId, templates.ownerId))
              .orderBy(asc(templates.name), asc(templates.id))
          ).map((r) => r.spec as Template),
        );
      },
      get(id) {
        return guarded(ctx, 'read from', async () => {
          const [row] = await db.select({ spec: templates.spec }).from(templates).where(eq(templates.id, id));
          return row?.spec as Template | undefined;
        });
      },
      put(t) {
        return guarded(ctx, 'write to', () =>
          // The name check and the write under one lock, so two nodes cannot both take a name.
          db.transaction(async (tx) => {
            await tx.execute(
              sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE + LOCKS.templates}, hashtext(current_schema()))`,
            );
            const same = await tx
              .select({ id: templates.id })
              .from(templates)
              .where(and(ownerIs(t.ownerId, templates.ownerId), eq(templates.name, t.name)));
            if (same.some((r) => r.id !== t.id)) throw templateNameConflict(t.name);
            await tx
              .insert(templates)
              .values({
                id: t.id,
                ownerId: t.ownerId,
                name: t.name,
                spec: t,
                createdAt: t.createdAt,
                updatedAt: t.updatedAt,
              })
              .onConflictDoUpdate({
                target: templates.id,
                set: { ownerId: t.ownerId, name: t.name, spec: t, updatedAt: t.updatedAt },
              });
            return t;
          }),
        );
      },
      delete(id) {
        return guarded(ctx, 'write to', async () => {
          const gone = await db.delete(templates).where(eq(templates.id, id)).returning({ id: templates.id });
          return gone.length > 0;
        });
      },
    },

    memoryEntries: {
      get(key, now) {
        return guarded(ctx, 'read from', async () => {
          const [row] = await db
            .select()
            .from(memoryEntries)
            .where(and(eq(memoryEntries.key, key), liveAt(now)));
          return row && toEntry(row);
        });
      },
      put(e) {
        return guarded(ctx, 'write to', async () => {
          const value = JSON.stringify(e.value);
          await db
            .insert(memoryEntries)
            .values({ key: e.key, value, updatedAt: e.updatedAt, expiresAt: e.expiresAt })
            .onConflictDoUpdate({
              target: memoryEntries.key,
              set: { value, updatedAt: e.updatedAt, expiresAt: e.expiresAt },
            });
          return e;
        });
      },
      list(q) {
        return guarded(ctx, 'read from', async () => {
          const prefix = q.prefix ?? '';
          const rows = await db
            .select()
            .from(memoryEntries)
            .where(
              and(
                prefix ? gte(memoryEntries.key, prefix) : undefined,
                prefix ? lt(memoryEntries.key, prefix + PREFIX_END) : undefined,
                liveAt(q.now),
              ),
            )
            .orderBy(asc(memoryEntries.key))
            .limit(q.limit);
          return rows.map(toEntry);
        });
      },
      delete(key, now) {
        return guarded(ctx, 'write to', async () => {
          // Whether the deleted row was live at `now`, decided by the same statement that deletes it.
          const gone = await db
            .delete(memoryEntries)
            .where(eq(memoryEntries.key, key))
            .returning({
              live: sql<boolean>`(${memoryEntries.expiresAt} is null or ${memoryEntries.expiresAt} > ${now})`,
            });
          return gone[0]?.live === true;
        });
      },
      deleteExpired(now) {
        return guarded(ctx, 'write to', async () => {
          const gone = await db
            .delete(memoryEntries)
            .where(lte(memoryEntries.expiresAt, now))
            .returning({ key: memoryEntries.key });
          return gone.length;
        });
      },
    },

    pipelines: {
      put({ pipeline, spec }) {
        return guarded(ctx, 'write to', async () => {
          await db
            .insert(pipelines)
            .values({
              id: pipeline.id,
              ownerId: pipeline.ownerId,
              state: pipeline.status,
              spec,
              status: pipeline,
              createdAt: pipeline.createdAt,
              updatedAt: pipeline.updatedAt,
            })
            .onConflictDoUpdate({
              target: pipelines.id,
              set: { state: pipeline.status, status: pipeline, spec, updatedAt: pipeline.updatedAt },
            });
        });
      },
      get(id) {
        return guarded(ctx, 'read from', async () => {
          const [row] = await db.select().from(pipelines).where(eq(pipelines.id, id));
          return row && toRecord(row);
        });
      },
      list(q) {
        return guarded(ctx, 'read from', () => {
          const where = q.ownerId === undefined ? undefined : ownerIs(q.ownerId, pipelines.ownerId);
          // Page and total from one snapshot.
          return db.transaction(
            async (tx) => {
              const rows = await tx
                .select({ status: pipelines.status })
                .from(pipelines)
                .where(where)
                .orderBy(desc(pipelines.createdAt), asc(pipelines.id))
                .limit(q.limit)
                .offset(q.offset);
              const [total] = await tx.select({ total: count() }).from(pipelines).where(where);
              return { pipelines: rows.map((r) => r.status as Pipeline), total: total?.total ?? 0 };
            },
            { isolationLevel: 'repeatable read', accessMode: 'read only' },
          );
        });
      },
      listRunning() {
        return guarded(ctx, 'read from', async () =>
          (await db.select().from(pipelines).where(eq(pipelines.state, 'running'))).map(toRecord),
        );
      },
    },
  };
}

function toEntry(row: typeof memoryEntries.$inferSelect): MemoryEntry {
  return {
    key: row.key,
    value: JSON.parse(row.value) as unknown,
    updatedAt: row.updatedAt,
    expiresAt: row.expiresAt,
  };
}

function toRecord(row: typeof pipelines.$inferSelect): PipelineRecord {
  return { pipeline: row.status as Pipeline, spec: row.spec as PipelineSpec };
}
