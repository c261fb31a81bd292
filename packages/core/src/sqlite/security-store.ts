import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { and, asc, desc, eq, gt, gte, lte, or, type SQL, sql } from 'drizzle-orm';
import {
  type ApiKeyStore,
  type AuditRecord,
  type AuditStore,
  apiKeyFromRow,
  canonicalAudit,
} from '../security-store.js';
import type { AegisDatabase } from './open-database.js';
import { DEFAULT_BUSY_TIMEOUT_MS } from './open-database.js';
import { apiKeys, auditHead, auditLog } from './schema.js';
import { isLockError, unavailable } from './store-errors.js';

/** API keys in the `api_keys` table of an open Aegis database. */
export function createSqliteApiKeyStore(db: AegisDatabase): ApiKeyStore {
  const listAll = db.select().from(apiKeys).orderBy(asc(apiKeys.createdAt), asc(apiKeys.id)).prepare();
  // Asked on every request without credentials while zero-config local access is possible.
  // Two statements, so the usual case (no key yet: zero-config) is one trivial read.
  const anyKey = db.$client.prepare('select 1 from "api_keys" limit 1').pluck();
  const activeKey = db.$client
    .prepare(
      'select 1 from "api_keys" where "revoked_at" is null and ("expires_at" is null or "expires_at" > ?) limit 1',
    )
    .pluck();
  return {
    async insert(k) {
      db.insert(apiKeys)
        .values({
          id: k.id,
          name: k.name,
          role: k.role,
          hash: k.hash,
          createdAt: k.createdAt,
          expiresAt: k.expiresAt,
          revokedAt: k.revokedAt,
          owner: k.createdBy,
          previousHash: k.previousHash,
          previousExpiresAt: k.previousExpiresAt,
          lastUsedAt: k.lastUsedAt,
        })
        .run();
    },
    async get(id) {
      const row = db.select().from(apiKeys).where(eq(apiKeys.id, id)).get();
      return row && apiKeyFromRow(row);
    },
    async findByHash(hash) {
      const row = db
        .select()
        .from(apiKeys)
        .where(or(eq(apiKeys.hash, hash), eq(apiKeys.previousHash, hash)))
        .get();
      return row && apiKeyFromRow(row);
    },
    async list() {
      return listAll.all().map(apiKeyFromRow);
    },
    async state(now) {
      if (anyKey.get() === undefined) return 'none';
      return activeKey.get(now) === undefined ? 'lapsed' : 'active';
    },
    async update(id, patch) {
      if (Object.keys(patch).length > 0) db.update(apiKeys).set(patch).where(eq(apiKeys.id, id)).run();
      const row = db.select().from(apiKeys).where(eq(apiKeys.id, id)).get();
      return row && apiKeyFromRow(row);
    },
  };
}

/** How long one append attempt blocks the thread waiting for another connection's lock. */
const ATTEMPT_BUSY_MS = 50;

/** Why an audit append failed, in words an operator can act on (a full disk says so first). */
function appendError(db: AegisDatabase, err: unknown) {
  const path = db.$client.name;
  if (err instanceof Database.SqliteError && err.code === 'SQLITE_FULL') {
    return unavailable(
      path,
      'write the audit record to',
      err,
      `Storage full: free disk space in ${dirname(path)}. Requests are not carried out while their audit record cannot be written.`,
    );
  }
  return unavailable(
    path,
    'write the audit record to',
    err,
    'Requests are not carried out while their audit record cannot be written; check free disk space and whether another process holds the database lock.',
  );
}

/**
 * The hash-chained `audit_log`. Each append reads the last hash, inserts the new row and moves
 * `audit_head` in one IMMEDIATE transaction, so appends from several connections still form one
 * chain and the head always names the newest record. AUTOINCREMENT never reuses an id, so a
 * deleted newest record leaves a gap once the next record is written.
 */
export function createSqliteAuditStore(
  db: AegisDatabase,
  options: { lockWaitMs?: number | undefined; busyTimeoutMs?: number | undefined } = {},
): AuditStore {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const lockWaitMs = options.lockWaitMs ?? 30_000;
  const append = db.$client.transaction((draft: Omit<AuditRecord, 'id' | 'prevHash' | 'hash'>) => {
    const last = db.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1).get();
    const prevHash = last?.hash ?? null;
    const hash = createHash('sha256')
      .update(canonicalAudit({ ...draft, prevHash }))
      .digest('hex');
    const row = db
      .insert(auditLog)
      .values({ ...draft, prevHash, hash })
      .returning({ id: auditLog.id })
      .get();
    const head = { lastId: row.id, hash, count: sql`${auditHead.count} + 1` };
    db.insert(auditHead)
      .values({ id: 1, lastId: row.id, hash, count: 1 })
      .onConflictDoUpdate({ target: auditHead.id, set: head })
      .run();
    return { ...draft, id: row.id, prevHash, hash } satisfies AuditRecord;
  });
  return {
    // Requests wait for their record, so a database locked by another process must not block the
    // event loop: each attempt waits briefly for the lock, and retries are asynchronous.
    async append(draft) {
      const deadline = Date.now() + lockWaitMs;
      for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
        db.$client.pragma(`busy_timeout = ${ATTEMPT_BUSY_MS}`);
        try {
          return append.immediate(draft);
        } catch (err) {
          if (!isLockError(err) || Date.now() >= deadline) throw appendError(db, err);
        } finally {
          db.$client.pragma(`busy_timeout = ${busyTimeoutMs}`);
        }
        await new Promise((r) => setTimeout(r, pause));
      }
    },
    async head() {
      const row = db.select().from(auditHead).where(eq(auditHead.id, 1)).get();
      return row ? { lastId: row.lastId, count: row.count, hash: row.hash } : null;
    },
    async list(q) {
      const conditions: SQL[] = [gt(auditLog.id, q.afterId ?? 0)];
      if (q.actorId !== undefined) conditions.push(eq(auditLog.actorId, q.actorId));
      if (q.action !== undefined) conditions.push(eq(auditLog.action, q.action));
      if (q.target !== undefined) conditions.push(eq(auditLog.target, q.target));
      if (q.from !== undefined) conditions.push(gte(auditLog.at, q.from));
      if (q.to !== undefined) conditions.push(lte(auditLog.at, q.to));
      return db
        .select()
        .from(auditLog)
        .where(and(...conditions))
        .orderBy(asc(auditLog.id))
        .limit(q.limit)
        .all()
        .map((r) => ({ ...r, details: r.details ?? null }));
    },
  };
}
