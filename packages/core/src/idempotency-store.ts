/**
 * Records of requests sent with an `Idempotency-Key`, so a retried request is answered with the
 * first one's response instead of being applied twice. Kept in the store (not in a process) so that
 * every server sharing a database sees the same keys.
 */

/** The response a finished request gave; replayed verbatim to its retries. */
export interface IdempotentResponse {
  status: number;
  contentType: string | null;
  body: string;
}

/** One key of one caller. Times are ISO-8601 (UTC, `Z`), compared as text. */
export interface IdempotencyRecord {
  /** Who sent it: an API key id, `bootstrap`, or `local` for the zero-config local user. */
  ownerId: string;
  key: string;
  /** Unique per claim: only the request that claimed the record may complete or release it. */
  claimId: string;
  method: string;
  path: string;
  /** A digest of method, path and body: a retry must carry the same. */
  fingerprint: string;
  /** `running` while the first request is being served; `done` once its response is stored. */
  state: 'running' | 'done';
  response: IdempotentResponse | null;
  createdAt: string;
  /**
   * A `running` record past this is taken as abandoned (its server died): a retry may claim it. The
   * server serving the request pushes it forward while it runs (`renew`).
   */
  lockedUntil: string;
  /** After this the record is gone: the key may be used afresh. */
  expiresAt: string;
}

/** What a request claims: a new `running` record. */
export type IdempotencyClaim = Omit<IdempotencyRecord, 'state' | 'response'>;

export type IdempotencyClaimResult =
  | { claimed: true; record: IdempotencyRecord }
  | { claimed: false; record: IdempotencyRecord };

export interface IdempotencyStore {
  /**
   * Atomically claims `(ownerId, key)`: stores `claim` as a `running` record unless a record exists
   * that has not expired (`expiresAt` > `claim.createdAt`) and is not an abandoned `running` one
   * (`lockedUntil` <= `claim.createdAt`); those two are replaced. Of several callers racing on one
   * key (in one process or several sharing the database), exactly one gets `claimed: true`; the
   * others get the record that won.
   */
  claim(claim: IdempotencyClaim): Promise<IdempotencyClaimResult>;
  /** The record, unless it expired at `now`. */
  get(ownerId: string, key: string, now: string): Promise<IdempotencyRecord | undefined>;
  /** Stores the response of the claim `claimId` (state `done`); false when that claim no longer holds the record. */
  complete(ownerId: string, key: string, claimId: string, response: IdempotentResponse): Promise<boolean>;
  /** Deletes the record of the claim `claimId` (a retry runs again); false when it no longer holds it. */
  release(ownerId: string, key: string, claimId: string): Promise<boolean>;
  /**
   * Moves the lock of the running claim `claimId` to `lockedUntil` (its request is still being
   * served); false when that claim no longer holds the record or it is done.
   */
  renew(ownerId: string, key: string, claimId: string, lockedUntil: string): Promise<boolean>;
  /**
   * Deletes the `running` records whose claim id starts with `claimPrefix`: their server is known to
   * be gone (restarted, or its node left the cluster), so a retry runs the request again at once
   * instead of waiting for the lock to lapse. Returns how many.
   */
  abandon(claimPrefix: string): Promise<number>;
  /** Removes records expired at `now`; returns how many. */
  deleteExpired(now: string): Promise<number>;
  /**
   * The store's own time (epoch milliseconds), for a store several servers share (PostgreSQL: the
   * database's clock): each server times its claims by it, so a server whose clock runs ahead does
   * not take another's live claim for abandoned. Absent: each server's clock is the time.
   */
  clock?(): Promise<number>;
}

/** Whether a stored record still stands against a claim made at `now` (otherwise it is replaced). */
export function idempotencyRecordHolds(r: IdempotencyRecord, now: string): boolean {
  return r.expiresAt > now && (r.state === 'done' || r.lockedUntil > now);
}

/** An in-memory {@link IdempotencyStore}; `assertOpen` throws once the owning store is closed. */
export function createMemoryIdempotencyStore(assertOpen: () => void = () => {}): IdempotencyStore {
  const records = new Map<string, IdempotencyRecord>();
  const id = (ownerId: string, key: string) => JSON.stringify([ownerId, key]);
  const clone = <T>(v: T): T => structuredClone(v);
  return {
    async claim(claim) {
      assertOpen();
      const existing = records.get(id(claim.ownerId, claim.key));
      if (existing && idempotencyRecordHolds(existing, claim.createdAt)) {
        return { claimed: false, record: clone(existing) };
      }
      const record: IdempotencyRecord = { ...clone(claim), state: 'running', response: null };
      records.set(id(claim.ownerId, claim.key), record);
      return { claimed: true, record: clone(record) };
    },
    async get(ownerId, key, now) {
      assertOpen();
      const r = records.get(id(ownerId, key));
      return r && r.expiresAt > now ? clone(r) : undefined;
    },
    async complete(ownerId, key, claimId, response) {
      assertOpen();
      const r = records.get(id(ownerId, key));
      if (r?.claimId !== claimId) return false;
      r.state = 'done';
      r.response = clone(response);
      return true;
    },
    async release(ownerId, key, claimId) {
      assertOpen();
      const r = records.get(id(ownerId, key));
      if (r?.claimId !== claimId) return false;
      return records.delete(id(ownerId, key));
    },
    async renew(ownerId, key, claimId, lockedUntil) {
      assertOpen();
      const r = records.get(id(ownerId, key));
      if (r?.claimId !== claimId || r.state !== 'running') return false;
      r.lockedUntil = lockedUntil;
      return true;
    },
    async abandon(claimPrefix) {
      assertOpen();
      let n = 0;
      for (const [k, r] of records) {
        if (r.state === 'running' && r.claimId.startsWith(claimPrefix)) {
          records.delete(k);
          n++;
        }
      }
      return n;
    },
    async deleteExpired(now) {
      assertOpen();
      let n = 0;
      for (const [k, r] of records) {
        if (r.expiresAt <= now) {
          records.delete(k);
          n++;
        }
      }
      return n;
    },
  };
}
