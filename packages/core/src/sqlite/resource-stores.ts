import { and, asc, count, desc, eq, gt, gte, isNull, lt, lte, or, type SQL } from 'drizzle-orm';
import { AegisError } from '../errors.js';
import { templateNameConflict } from '../orchestration/memory-resource-stores.js';
import type { PipelineRecord, PipelineSpec, ResourceStores } from '../orchestration/resource-store.js';
import type { MemoryEntry, Pipeline, Template } from '../orchestration/schemas.js';
import type { AegisDatabase } from './open-database.js';
import { memoryEntries, pipelines, templates } from './schema.js';
import { closedError, unavailable } from './store-errors.js';

/** Every memory key sorts below this suffix (keys use only characters below `~`), so `[p, p~)` is the prefix range. */
const PREFIX_END = '~';

/**
 * SQLite {@link ResourceStores} on the session store's connection. Writes are single statements (or
 * one small transaction for the template name check), so they need no batching.
 */
export function createSqliteResourceStores(
  db: AegisDatabase,
  opts: { path: string; isClosed: () => boolean },
): ResourceStores {
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
  const liveAt = (now: string): SQL | undefined =>
    or(isNull(memoryEntries.expiresAt), gt(memoryEntries.expiresAt, now));
  const ownerIs = (ownerId: string | null, column: typeof templates.ownerId | typeof pipelines.ownerId) =>
    ownerId === null ? isNull(column) : eq(column, ownerId);

  const putTemplate = client.transaction((t: Template) => {
    const clash = db
      .select({ id: templates.id })
      .from(templates)
      .where(and(ownerIs(t.ownerId, templates.ownerId), eq(templates.name, t.name)))
      .all()
      .some((r) => r.id !== t.id);
    if (clash) throw templateNameConflict(t.name);
    db.insert(templates)
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
      })
      .run();
  });

  return {
    templates: {
      list(q = {}) {
        return guard('read from', () =>
          db
            .select({ spec: templates.spec })
            .from(templates)
            .where(q.ownerId === undefined ? undefined : ownerIs(q.ownerId, templates.ownerId))
            .orderBy(asc(templates.name), asc(templates.id))
            .all()
            .map((r) => r.spec as Template),
        );
      },
      get(id) {
        return guard(
          'read from',
          () =>
            db.select({ spec: templates.spec }).from(templates).where(eq(templates.id, id)).get()?.spec as
              | Template
              | undefined,
        );
      },
      put(t) {
        return guard('write to', () => {
          putTemplate.immediate(t);
          return t;
        });
      },
      delete(id) {
        return guard('write to', () => db.delete(templates).where(eq(templates.id, id)).run().changes > 0);
      },
    },

    memoryEntries: {
      get(key, now) {
        return guard('read from', () => {
          const row = db
            .select()
            .from(memoryEntries)
            .where(and(eq(memoryEntries.key, key), liveAt(now)))
            .get();
          return row && toEntry(row);
        });
      },
      put(e) {
        return guard('write to', () => {
          db.insert(memoryEntries)
            .values({
              key: e.key,
              value: JSON.stringify(e.value),
              updatedAt: e.updatedAt,
              expiresAt: e.expiresAt,
            })
            .onConflictDoUpdate({
              target: memoryEntries.key,
              set: { value: JSON.stringify(e.value), updatedAt: e.updatedAt, expiresAt: e.expiresAt },
            })
            .run();
          return e;
        });
      },
      list(q) {
        return guard('read from', () => {
          const prefix = q.prefix ?? '';
          return db
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
            .limit(q.limit)
            .all()
            .map(toEntry);
        });
      },
      delete(key, now) {
        return guard('write to', () =>
          client.transaction(() => {
            const wasLive = db
              .select({ key: memoryEntries.key })
              .from(memoryEntries)
              .where(and(eq(memoryEntries.key, key), liveAt(now)))
              .get();
            db.delete(memoryEntries).where(eq(memoryEntries.key, key)).run();
            return !!wasLive;
          })(),
        );
      },
      deleteExpired(now) {
        return guard(
          'write to',
          () => db.delete(memoryEntries).where(lte(memoryEntries.expiresAt, now)).run().changes,
        );
      },
    },

    pipelines: {
      put({ pipeline, spec }) {
        return guard('write to', () => {
          db.insert(pipelines)
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
            })
            .run();
        });
      },
      get(id) {
        return guard('read from', () => {
          const row = db.select().from(pipelines).where(eq(pipelines.id, id)).get();
          return row && toRecord(row);
        });
      },
      list(q) {
        return guard('read from', () => {
          const where = q.ownerId === undefined ? undefined : ownerIs(q.ownerId, pipelines.ownerId);
          return client.transaction(() => {
            const rows = db
              .select({ status: pipelines.status })
              .from(pipelines)
              .where(where)
              .orderBy(desc(pipelines.createdAt), asc(pipelines.id))
              .limit(q.limit)
              .offset(q.offset)
              .all();
            const total = db.select({ total: count() }).from(pipelines).where(where).get()?.total ?? 0;
            return { pipelines: rows.map((r) => r.status as Pipeline), total };
          })();
        });
      },
      listRunning() {
        return guard('read from', () =>
          db.select().from(pipelines).where(eq(pipelines.state, 'running')).all().map(toRecord),
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
