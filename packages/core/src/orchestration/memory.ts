import { AegisError } from '../errors.js';
import { JSON_MAX_DEPTH, valueDepthExceeds } from '../json-depth.js';
import type { MemoryEntryStore } from './resource-store.js';
import { MEMORY_VALUE_MAX_BYTES, type MemoryEntry, MemoryKey } from './schemas.js';

/** Longest TTL: one year. */
export const MEMORY_TTL_MAX_SEC = 365 * 24 * 3600;
const PURGE_EVERY_MS = 60_000;

const notFound = (key: string) =>
  new AegisError(
    'NOT_FOUND',
    `No memory entry "${key}" (never set, deleted or expired). List the keys by prefix.`,
    {
      details: { key, next: 'listMemory' },
    },
  );

function checkKey(key: string): void {
  const parsed = MemoryKey.safeParse(key);
  if (!parsed.success) {
    throw AegisError.validation(
      `Invalid memory key "${key.slice(0, 300)}": ${parsed.error.issues[0]?.message ?? 'invalid'}.`,
    );
  }
}

/**
 * Key/value memory shared by every session on this server: JSON values up to 64 KiB, optional TTL.
 * Expired entries are never returned; they are purged at most once a minute on writes.
 */
export function createMemoryService(deps: { store: MemoryEntryStore; now: () => Date }) {
  let lastPurge = 0;
  const nowIso = () => deps.now().toISOString();

  async function purge(): Promise<void> {
    const t = deps.now().getTime();
    if (t - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = t;
    await deps.store.deleteExpired(nowIso());
  }

  return {
    async set(key: string, input: { value: unknown; ttlSec?: number | undefined }): Promise<MemoryEntry> {
      checkKey(key);
      if (input.value === undefined) {
        throw AegisError.validation('Body needs a `value` (any JSON, null included): {"value": ...}.');
      }
      if (valueDepthExceeds(input.value)) {
        throw AegisError.validation(
          `Memory value for "${key}" nests arrays/objects more than ${JSON_MAX_DEPTH} levels deep; flatten it (e.g. a list of records) or store it as a string.`,
          { key, maxDepth: JSON_MAX_DEPTH },
        );
      }
      const size = new TextEncoder().encode(JSON.stringify(input.value)).length;
      if (size > MEMORY_VALUE_MAX_BYTES) {
        throw new AegisError(
          'PAYLOAD_TOO_LARGE',
          `Memory value for "${key}" is ${size} bytes as JSON; the limit is ${MEMORY_VALUE_MAX_BYTES}. Store a reference (a path or URL) instead.`,
          { details: { key, size, limit: MEMORY_VALUE_MAX_BYTES } },
        );
      }
      const ttl = input.ttlSec;
      if (ttl !== undefined && !(Number.isInteger(ttl) && ttl >= 1 && ttl <= MEMORY_TTL_MAX_SEC)) {
        throw AegisError.validation(
          `ttlSec must be a whole number of seconds from 1 to ${MEMORY_TTL_MAX_SEC}.`,
        );
      }
      await purge();
      const now = deps.now();
      return deps.store.put({
        key,
        value: input.value,
        updatedAt: now.toISOString(),
        expiresAt: ttl === undefined ? null : new Date(now.getTime() + ttl * 1000).toISOString(),
      });
    },
    async get(key: string): Promise<MemoryEntry> {
      checkKey(key);
      const entry = await deps.store.get(key, nowIso());
      if (!entry) throw notFound(key);
      return entry;
    },
    /** Live entries whose key starts with `prefix`, by key; `truncated` when more match than `limit`. */
    async list(query: { prefix?: string | undefined; limit?: number | undefined } = {}) {
      const limit = query.limit ?? 100;
      const rows = await deps.store.list({ prefix: query.prefix, limit: limit + 1, now: nowIso() });
      return { entries: rows.slice(0, limit), truncated: rows.length > limit };
    },
    async delete(key: string): Promise<{ key: string; deleted: true }> {
      checkKey(key);
      if (!(await deps.store.delete(key, nowIso()))) throw notFound(key);
      return { key, deleted: true };
    },
  };
}

export type MemoryService = ReturnType<typeof createMemoryService>;
