import type { IdempotencyRecord } from './idempotency-store.js';

/*
 * The `idempotency_keys` table as both SQL stores use it (the same SQL runs on SQLite and PostgreSQL).
 * No driver imports here, so the PostgreSQL store does not load SQLite's.
 */

/** A row of `idempotency_keys` as the driver returns it. */
export interface IdempotencyRow {
  owner_id: string;
  key: string;
  claim_id: string;
  method: string;
  path: string;
  fingerprint: string;
  state: string;
  response_status: number | null;
  response_content_type: string | null;
  response_body: string | null;
  created_at: string;
  locked_until: string;
  expires_at: string;
}

export function idempotencyFromRow(r: IdempotencyRow): IdempotencyRecord {
  return {
    ownerId: r.owner_id,
    key: r.key,
    claimId: r.claim_id,
    method: r.method,
    path: r.path,
    fingerprint: r.fingerprint,
    state: r.state === 'done' ? 'done' : 'running',
    response:
      r.state === 'done' && r.response_status !== null
        ? { status: r.response_status, contentType: r.response_content_type, body: r.response_body ?? '' }
        : null,
    createdAt: r.created_at,
    lockedUntil: r.locked_until,
    expiresAt: r.expires_at,
  };
}

/**
 * The claim as one statement: insert, or take over a row that expired or whose `running` claim was
 * abandoned; a row that still holds is left alone and no row is returned. Shared (with `$n`
 * placeholders) by the PostgreSQL store.
 */
export const CLAIM_IDEMPOTENCY_SQL = `insert into "idempotency_keys" ("owner_id", "key", "claim_id", "method", "path",
    "fingerprint", "state", "response_status", "response_content_type", "response_body", "created_at",
    "locked_until", "expires_at")
  values ($1, $2, $3, $4, $5, $6, 'running', null, null, null, $7, $8, $9)
  on conflict ("owner_id", "key") do update set "claim_id" = excluded."claim_id", "method" = excluded."method",
    "path" = excluded."path", "fingerprint" = excluded."fingerprint", "state" = 'running',
    "response_status" = null, "response_content_type" = null, "response_body" = null,
    "created_at" = excluded."created_at", "locked_until" = excluded."locked_until",
    "expires_at" = excluded."expires_at"
  where "idempotency_keys"."expires_at" <= excluded."created_at"
    or ("idempotency_keys"."state" = 'running' and "idempotency_keys"."locked_until" <= excluded."created_at")
  returning *`;

/** `renew`: moves a running claim's lock ($1 lockedUntil; $2 owner, $3 key, $4 claim id). */
export const RENEW_IDEMPOTENCY_SQL = `update "idempotency_keys" set "locked_until" = $1
  where "owner_id" = $2 and "key" = $3 and "claim_id" = $4 and "state" = 'running'`;

/**
 * `abandon`: deletes the running claims whose id starts with $1. A prefix comparison rather than
 * `like`, so `%` and `_` in a node id match only themselves.
 */
export const ABANDON_IDEMPOTENCY_SQL = `delete from "idempotency_keys"
  where "state" = 'running' and substr("claim_id", 1, length($1)) = $1`;
