import {
  ABANDON_IDEMPOTENCY_SQL,
  CLAIM_IDEMPOTENCY_SQL,
  type IdempotencyRow,
  idempotencyFromRow,
  RENEW_IDEMPOTENCY_SQL,
} from '../idempotency-rows.js';
import type { IdempotencyClaimResult, IdempotencyStore } from '../idempotency-store.js';
import { type GuardContext, guarded } from './guard.js';
import type { PgDatabase } from './open-database.js';

const SELECT = 'select * from "idempotency_keys" where "owner_id" = $1 and "key" = $2 and "expires_at" > $3';

/**
 * PostgreSQL {@link IdempotencyStore}. The claim is one `insert … on conflict … do update … where`
 * statement: of several nodes racing on one key, the database lets exactly one insert (or take over
 * an expired or abandoned row); the others see the winner's row.
 */
export function createPgIdempotencyStore(db: PgDatabase, ctx: GuardContext): IdempotencyStore {
  const pool = db.$client;
  return {
    claim(c) {
      return guarded(ctx, 'write to', async (): Promise<IdempotencyClaimResult> => {
        // The holder may release its row between the two statements: then claim again.
        for (;;) {
          const won = await pool.query<IdempotencyRow>(CLAIM_IDEMPOTENCY_SQL, [
            c.ownerId,
            c.key,
            c.claimId,
            c.method,
            c.path,
            c.fingerprint,
            c.createdAt,
            c.lockedUntil,
            c.expiresAt,
          ]);
          if (won.rows[0]) return { claimed: true, record: idempotencyFromRow(won.rows[0]) };
          const held = await pool.query<IdempotencyRow>(SELECT, [c.ownerId, c.key, c.createdAt]);
          if (held.rows[0]) return { claimed: false, record: idempotencyFromRow(held.rows[0]) };
        }
      });
    },
    get(ownerId, key, now) {
      return guarded(ctx, 'read from', async () => {
        const { rows } = await pool.query<IdempotencyRow>(SELECT, [ownerId, key, now]);
        return rows[0] && idempotencyFromRow(rows[0]);
      });
    },
    complete(ownerId, key, claimId, r) {
      return guarded(ctx, 'write to', async () => {
        const res = await pool.query(
          `update "idempotency_keys" set "state" = 'done', "response_status" = $1,
             "response_content_type" = $2, "response_body" = $3
           where "owner_id" = $4 and "key" = $5 and "claim_id" = $6`,
          [r.status, r.contentType, r.body, ownerId, key, claimId],
        );
        return (res.rowCount ?? 0) > 0;
      });
    },
    release(ownerId, key, claimId) {
      return guarded(ctx, 'write to', async () => {
        const res = await pool.query(
          'delete from "idempotency_keys" where "owner_id" = $1 and "key" = $2 and "claim_id" = $3',
          [ownerId, key, claimId],
        );
        return (res.rowCount ?? 0) > 0;
      });
    },
    renew(ownerId, key, claimId, lockedUntil) {
      return guarded(ctx, 'write to', async () => {
        const res = await pool.query(RENEW_IDEMPOTENCY_SQL, [lockedUntil, ownerId, key, claimId]);
        return (res.rowCount ?? 0) > 0;
      });
    },
    abandon(claimPrefix) {
      return guarded(ctx, 'write to', async () => {
        const res = await pool.query(ABANDON_IDEMPOTENCY_SQL, [claimPrefix]);
        return res.rowCount ?? 0;
      });
    },
    clock() {
      return guarded(ctx, 'read from', async () => {
        const { rows } = await pool.query<{ ms: number }>(
          'select (extract(epoch from clock_timestamp()) * 1000)::float8 as "ms"',
        );
        return Number(rows[0]?.ms);
      });
    },
    deleteExpired(now) {
      return guarded(ctx, 'write to', async () => {
        const res = await pool.query('delete from "idempotency_keys" where "expires_at" <= $1', [now]);
        return res.rowCount ?? 0;
      });
    },
  };
}
