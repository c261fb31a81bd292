import { AegisError } from '../errors.js';
import type { PipelineRecord, ResourceStores } from './resource-store.js';
import type { MemoryEntry, Template } from './schemas.js';

const clone = <T>(v: T): T => structuredClone(v);
const live = (e: MemoryEntry, now: string) => e.expiresAt === null || e.expiresAt > now;
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function templateNameConflict(name: string): AegisError {
  return new AegisError(
    'CONFLICT',
    `A template named "${name}" already exists; pick another name or update that template.`,
    { details: { name } },
  );
}

/** In-memory {@link ResourceStores}; `assertOpen` throws once the owning store is closed. */
export function createMemoryResourceStores(assertOpen: () => void): ResourceStores {
  const templates = new Map<string, Template>();
  const memory = new Map<string, MemoryEntry>();
  const pipelines = new Map<string, PipelineRecord>();

  return {
    templates: {
      async list(q = {}) {
        return [...templates.values()]
          .filter((t) => q.ownerId === undefined || t.ownerId === q.ownerId)
          .sort((a, b) => byKey(a.name, b.name) || byKey(a.id, b.id))
          .map(clone);
      },
      async get(id) {
        const t = templates.get(id);
        return t && clone(t);
      },
      async put(t) {
        assertOpen();
        for (const other of templates.values()) {
          if (other.id !== t.id && other.ownerId === t.ownerId && other.name === t.name) {
            throw templateNameConflict(t.name);
          }
        }
        templates.set(t.id, clone(t));
        return clone(t);
      },
      async delete(id) {
        assertOpen();
        return templates.delete(id);
      },
    },
    memoryEntries: {
      async get(key, now) {
        const e = memory.get(key);
        return e && live(e, now) ? clone(e) : undefined;
      },
      async put(entry) {
        assertOpen();
        memory.set(entry.key, clone(entry));
        return clone(entry);
      },
      async list(q) {
        const prefix = q.prefix ?? '';
        return [...memory.values()]
          .filter((e) => e.key.startsWith(prefix) && live(e, q.now))
          .sort((a, b) => byKey(a.key, b.key))
          .slice(0, q.limit)
          .map(clone);
      },
      async delete(key, now) {
        assertOpen();
        const e = memory.get(key);
        memory.delete(key);
        return !!e && live(e, now);
      },
      async deleteExpired(now) {
        assertOpen();
        let n = 0;
        for (const e of [...memory.values()]) {
          if (!live(e, now)) n += memory.delete(e.key) ? 1 : 0;
        }
        return n;
      },
    },
    pipelines: {
      async put(record) {
        assertOpen();
        pipelines.set(record.pipeline.id, clone(record));
      },
      async get(id) {
        const r = pipelines.get(id);
        return r && clone(r);
      },
      async list(q) {
        const all = [...pipelines.values()]
          .map((r) => r.pipeline)
          .filter((p) => q.ownerId === undefined || p.ownerId === q.ownerId)
          .sort((a, b) => byKey(b.createdAt, a.createdAt) || byKey(a.id, b.id));
        return { pipelines: all.slice(q.offset, q.offset + q.limit).map(clone), total: all.length };
      },
      async listRunning() {
        return [...pipelines.values()].filter((r) => r.pipeline.status === 'running').map(clone);
      },
    },
  };
}
