import {
  ABANDON_IDEMPOTENCY_SQL,
  CLAIM_IDEMPOTENCY_SQL,
  type IdempotencyRow,
  idempotencyFromRow,
  RENEW_IDEMPOTENCY_SQL,
} from '../idempotency-rows.js';
import type { IdempotencyStore } from '../idempotency-store.js';
import type { AegisDatabase } from './open-database.js';
import { closedError, unavailable } from './store-errors.js';

/** SQLite {@link IdempotencyStore} on the session store's connection; every call is one statement. */
export function createSqliteIdempotencyStore(
  db: AegisDatabase,
  opts: { path: string; isClosed: () => boolean },
): IdempotencyStore {
  const client = db.$client;
  const claim = client.prepare(CLAIM_IDEMPOTENCY_SQL.replace(/\$\d+/g, '?'));
  const select = client.prepare(
    'select * from "idempotency_keys" where "owner_id" = ? and "key" = ? and "expires_at" > ?',
  );
  const complete = client.prepare(
    `update "idempotency_keys" set "state" = 'done', "response_status" = ?, "response_content_type" = ?,
       "response_body" = ? where "owner_id" = ? and "key" = ? and "claim_id" = ?`,
  );
  const release = client.prepare(
    'delete from "idempotency_keys" where "owner_id" = ? and "key" = ? and "claim_id" = ?',
  );
  const renew = client.prepare(RENEW_IDEMPOTENCY_SQL.replace(/\$\d+/g, '?'));
  // The prefix is used twice: one named parameter.
  const abandon = client.prepare(ABANDON_IDEMPOTENCY_SQL.replaceAll('$1', '@prefix'));
  const deleteExpired = client.prepare('delete from "idempotency_keys" where "expires_at" <= ?');
  function guard<T>(verb: string, fn: () => T): Promise<T> {
    if (opts.isClosed()) return Promise.reject(closedError(opts.path));
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(unavailable(opts.path, verb, err, 'Check the database file and retry.'));
    }
  }
  return {
    claim(c) {
      return guard('write to', () => {
        // One connection, synchronous: the insert-or-take-over and the read see the same state.
        const won = claim.get(
          c.ownerId,
          c.key,
          c.claimId,
          c.method,
          c.path,
          c.fingerprint,
          c.createdAt,
          c.lockedUntil,
          c.expiresAt,
        ) as IdempotencyRow | undefined;
        if (won) return { claimed: true as const, record: idempotencyFromRow(won) };
        const held = select.get(c.ownerId, c.key, c.createdAt) as IdempotencyRow;
        return { claimed: false as const, record: idempotencyFromRow(held) };
      });
    },
    get(ownerId, key, now) {
      return guard('read from', () => {
        const row = select.get(ownerId, key, now) as IdempotencyRow | undefined;
        return row && idempotencyFromRow(row);
      });
    },
    complete(ownerId, key, claimId, r) {
      return guard(
        'write to',
        () => complete.run(r.status, r.contentType, r.body, ownerId, key, claimId).changes > 0,
      );
    },
    release(ownerId, key, claimId) {
      return guard('write to', () => release.run(ownerId, key, claimId).changes > 0);
    },
    renew(ownerId, key, claimId, lockedUntil) {
      return guard('write to', () => renew.run(lockedUntil, ownerId, key, claimId).changes > 0);
    },
    abandon(claimPrefix) {
      return guard('write to', () => abandon.run({ prefix: claimPrefix }).changes);
    },
    deleteExpired(now) {
      return guard('write to', () => deleteExpired.run(now).changes);
    },
  };
}
