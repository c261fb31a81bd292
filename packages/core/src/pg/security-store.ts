import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gt, gte, lte, or, type SQL, sql } from 'drizzle-orm';
import {
  type ApiKeyStore,
  type AuditRecord,
  type AuditStore,
  apiKeyFromRow,
  canonicalAudit,
} from '../security-store.js';
import { type GuardContext, guarded } from './guard.js';
import { LOCK_NAMESPACE, LOCKS, type PgDatabase } from './open-database.js';
import { apiKeys, auditHead, auditLog } from './schema.js';

/** {@link ApiKeyStore.state} in one round trip (`$1` = now). */
const KEY_STATE_SQL = `select exists(select 1 from "api_keys") as "any",
  exists(select 1 from "api_keys" where "revoked_at" is null and ("expires_at" is null or "expires_at" > $1)) as "active"`;

/** API keys in the `api_keys` table. */
export function createPgApiKeyStore(db: PgDatabase, ctx: GuardContext): ApiKeyStore {
  const byId = async (id: string) => {
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
    return row && apiKeyFromRow(row);
  };
  return {
    insert(k) {
      return guarded(ctx, 'write to', async () => {
        await db.insert(apiKeys).values({
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
        });
      });
    },
    get(id) {
      return guarded(ctx, 'read from', () => byId(id));
    },
    findByHash(hash) {
      return guarded(ctx, 'read from', async () => {
        const [row] = await db
          .select()
          .from(apiKeys)
          .where(or(eq(apiKeys.hash, hash), eq(apiKeys.previousHash, hash)))
          .limit(1);
        return row && apiKeyFromRow(row);
      });
    },
    list() {
      return guarded(ctx, 'read from', async () =>
        (await db.select().from(apiKeys).orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))).map(apiKeyFromRow),
      );
    },
    state(now) {
      return guarded(ctx, 'read from', async () => {
        const { rows } = await db.$client.query<{ any: boolean; active: boolean }>(KEY_STATE_SQL, [now]);
        const { any, active } = rows[0] ?? { any: false, active: false };
        return !any ? 'none' : active ? 'active' : 'lapsed';
      });
    },
    update(id, patch) {
      return guarded(ctx, 'write to', async () => {
        if (Object.keys(patch).length > 0) await db.update(apiKeys).set(patch).where(eq(apiKeys.id, id));
        return byId(id);
      });
    },
  };
}

/**
 * The hash-chained `audit_log`. Each append takes a transaction-level advisory lock, reads the last
 * hash and inserts the new row, so appends from several connections (or nodes) form one chain.
 */
export function createPgAuditStore(db: PgDatabase, ctx: GuardContext): AuditStore {
  return {
    append(draft) {
      return guarded(ctx, 'write to', () =>
        db.transaction(async (tx) => {
          await tx.execute(
            sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE + LOCKS.audit}, hashtext(current_schema()))`,
          );
          const [last] = await tx
            .select({ id: auditLog.id, hash: auditLog.hash })
            .from(auditLog)
            .orderBy(desc(auditLog.id))
            .limit(1);
          const prevHash = last?.hash ?? null;
          const hash = createHash('sha256')
            .update(canonicalAudit({ ...draft, prevHash }))
            .digest('hex');
          // Ids are consecutive (a gap means a deleted record): taken under the lock, not from the
          // identity sequence, which leaves gaps when a transaction rolls back.
          const [head] = await tx.select().from(auditHead).where(eq(auditHead.id, 1));
          const id = Math.max(head?.lastId ?? 0, last?.id ?? 0) + 1;
          await tx.insert(auditLog).values({ ...draft, id, prevHash, hash });
          await tx
            .insert(auditHead)
            .values({ id: 1, lastId: id, hash, count: 1 })
            .onConflictDoUpdate({
              target: auditHead.id,
              set: { lastId: id, hash, count: sql`${auditHead.count} + 1` },
            });
          return { ...draft, id, prevHash, hash } satisfies AuditRecord;
        }),
      );
    },
    head() {
      return guarded(ctx, 'read from', async () => {
        const [row] = await db.select().from(auditHead).where(eq(auditHead.id, 1));
        return row ? { lastId: row.lastId, count: row.count, hash: row.hash } : null;
      });
    },
    list(q) {
      return guarded(ctx, 'read from', async () => {
        const conditions: SQL[] = [gt(auditLog.id, q.afterId ?? 0)];
        if (q.actorId !== undefined) conditions.push(eq(auditLog.actorId, q.actorId));
        if (q.action !== undefined) conditions.push(eq(auditLog.action, q.action));
        if (q.target !== undefined) conditions.push(eq(auditLog.target, q.target));
        if (q.from !== undefined) conditions.push(gte(auditLog.at, q.from));
        if (q.to !== undefined) conditions.push(lte(auditLog.at, q.to));
        const rows = await db
          .select()
          .from(auditLog)
          .where(and(...conditions))
          .orderBy(asc(auditLog.id))
          .limit(q.limit);
        return rows.map((r) => ({ ...r, details: r.details ?? null }));
      });
    },
  };
}
