import { createHash, randomUUID } from 'node:crypto';
import {
  AegisError,
  createMemoryIdempotencyStore,
  type IdempotencyRecord,
  type IdempotencyStore,
} from '@aegis/core';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.js';
import { errorResponse } from './http-errors.js';
import type { Logger } from './logger.js';

/** The operations that honour an `Idempotency-Key` header (elsewhere it is ignored). */
export const IDEMPOTENT_OPERATIONS: ReadonlySet<string> = new Set([
  'createSession',
  'sendMessage',
  'sendInput',
  'sendPrompt',
  'approvePermission',
  'rejectPermission',
  'batchCreateSessions',
  'createPipeline',
]);

/** The request header, and the response header that marks a replayed answer. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
/** 1–255 printable ASCII characters (space to `~`). */
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

export interface IdempotencyOptions {
  /** Where records live; give every server sharing a database the store's `idempotency`. Default: in memory. */
  store?: IdempotencyStore | undefined;
  /** How long a key and its response are kept. Default 24 h. */
  ttlMs?: number | undefined;
  /** How long a duplicate waits for the first request to finish before 409 IDEMPOTENCY_IN_PROGRESS. Default 10 s. */
  waitMs?: number | undefined;
  /**
   * How long a claim holds its key without word from its server. The server serving the request
   * renews it every third of this while the request runs, so a claim that lapses is one whose server
   * died (or hung) mid-request, and a retry runs the request again. Default 30 s.
   */
  lockMs?: number | undefined;
  /**
   * Starts every claim id this server makes (`node:<id>/<boot>/`), so that its claims can be
   * abandoned at once when it is known to be gone: the next process under the same state dir or
   * node id calls `store.abandon(prefix)` at start. Default: none.
   */
  claimPrefix?: string | undefined;
  /** Told when a record cannot be completed or released (the response still goes out). */
  onError?: ((message: string, fields: Record<string, unknown>) => void) | undefined;
  now?: () => number;
}

export const DEFAULT_IDEMPOTENCY = Object.freeze({
  ttlMs: 24 * 60 * 60 * 1000,
  waitMs: 10_000,
  lockMs: 30_000,
});

const POLL_MS = 50;
/** Expired records are deleted at most this often per server, on the way of a request. */
const PRUNE_EVERY_MS = 60_000;
/** How often a server measures its clock against the store's (`IdempotencyStore.clock`). */
const CLOCK_SYNC_MS = 60_000;

/** JSON with object keys sorted, so a retry that orders its fields differently is the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function fingerprintOf(method: string, path: string, body: string): string {
  let normal = body;
  try {
    if (body.trim()) normal = canonical(JSON.parse(body));
  } catch {
    // Not JSON: the bytes as sent.
  }
  return createHash('sha256').update(`${method} ${path}\n${normal}`).digest('hex');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `Idempotency-Key` on the operations in {@link IDEMPOTENT_OPERATIONS}: a request retried with the
 * same key gets the first request's status and body again (with `Idempotent-Replayed: true`), and
 * its effect happens once. Mount after authentication (the caller's identity scopes the keys) and
 * before the session caps and the routes.
 *
 * - A key is the caller's (API key id, or the local user): another caller's same key is unrelated.
 * - The same key with another method, path or body: 422 IDEMPOTENCY_KEY_REUSED.
 * - A duplicate that arrives while the first is still being served waits for it (up to `waitMs`)
 *   and gets its response; past that, 409 IDEMPOTENCY_IN_PROGRESS with `Retry-After`.
 * - 2xx and 4xx answers are kept for `ttlMs`; 5xx and 429 are not (a retry runs again).
 * - Records live in the store, so servers sharing a database share keys. A request another node
 *   forwarded (`X-Aegis-Forwarded-By`, signed) is not claimed again: the node it arrived at holds
 *   the claim and stores the owner's answer.
 */
export function idempotencyMiddleware(options: IdempotencyOptions = {}): MiddlewareHandler<AppEnv> {
  const store = options.store ?? createMemoryIdempotencyStore();
  const ttlMs = options.ttlMs ?? DEFAULT_IDEMPOTENCY.ttlMs;
  const waitMs = options.waitMs ?? DEFAULT_IDEMPOTENCY.waitMs;
  const lockMs = options.lockMs ?? DEFAULT_IDEMPOTENCY.lockMs;
  const local = options.now ?? Date.now;
  // Claims are timed by the store's clock where it has one (shared by every node): this server's
  // clock plus the offset measured against it, refreshed every CLOCK_SYNC_MS in the background.
  const storeClock = store.clock?.bind(store);
  let skewMs = 0;
  let syncedAt: number | null = null;
  let syncing: Promise<void> | null = null;
  const syncClock = (clock: () => Promise<number>): Promise<void> => {
    syncing ??= (async () => {
      const sent = local();
      try {
        const theirs = await clock();
        const received = local();
        if (Number.isFinite(theirs)) skewMs = theirs - (sent + received) / 2;
        syncedAt = received;
      } catch (err) {
        syncedAt = local(); // tried: the next attempt waits like a refresh does
        report("reading the store's clock for idempotency keys failed", err, {});
      } finally {
        syncing = null;
      }
    })();
    return syncing;
  };
  const now = () => local() + skewMs;
  const iso = (ms: number) => new Date(ms).toISOString();
  const report = (message: string, err: unknown, fields: Record<string, unknown>) =>
    options.onError?.(message, { ...fields, error: err instanceof Error ? err.message : String(err) });

  let prunedAt = 0;
  const prune = (t: number) => {
    if (t - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = t;
    store.deleteExpired(iso(t)).catch((err) => report('pruning idempotency keys failed', err, {}));
  };

  return async (c, next) => {
    const key = c.req.header(IDEMPOTENCY_KEY_HEADER);
    const op = c.get('operation');
    if (key === undefined || !op || !IDEMPOTENT_OPERATIONS.has(op.operationId)) return next();
    // Forwarded by another node (signature checked): that node holds the key's claim and stores
    // this answer; claiming it here too would find it taken and answer 409.
    if (c.get('peer')) return next();
    if (!KEY_PATTERN.test(key)) {
      return errorResponse(
        c,
        new AegisError(
          'BAD_REQUEST',
          `The Idempotency-Key header must be 1 to 255 printable ASCII characters (got ${key.length}); a random UUID is a good key.`,
          { details: { header: IDEMPOTENCY_KEY_HEADER, maxLength: 255 } },
        ),
      );
    }
    const ownerId = c.get('actor').id ?? 'local';
    const method = c.req.method;
    const path = c.req.path;
    const fingerprint = fingerprintOf(method, path, await c.req.text());
    const claimId = `${options.claimPrefix ?? ''}${randomUUID()}`;
    if (storeClock) {
      if (syncedAt === null) await syncClock(storeClock);
      else if (local() - syncedAt >= CLOCK_SYNC_MS) void syncClock(storeClock);
    }
    const started = now();
    prune(started);

    const deadline = started + waitMs;
    for (;;) {
      const t = now();
      const { claimed, record } = await store.claim({
        ownerId,
        key,
        claimId,
        method,
        path,
        fingerprint,
        createdAt: iso(t),
        lockedUntil: iso(t + lockMs),
        expiresAt: iso(t + ttlMs),
      });
      if (claimed) break;
      if (record.fingerprint !== fingerprint) return reused(c, key, record);
      if (record.state === 'done' && record.response) {
        const r = record.response;
        return new Response(r.body, {
          status: r.status,
          headers: {
            'content-type': r.contentType ?? 'application/json',
            [IDEMPOTENT_REPLAYED_HEADER]: 'true',
          },
        });
      }
      if (now() >= deadline) return inProgress(c, key, record);
      await sleep(POLL_MS);
    }

    const release = () =>
      store
        .release(ownerId, key, claimId)
        .catch((err) => report('releasing an idempotency key failed', err, { key, method, path }));
    // While the request runs, its claim is renewed: a duplicate keeps waiting for this answer.
    const renewal = setInterval(
      () => {
        store
          .renew(ownerId, key, claimId, iso(now() + lockMs))
          .catch((err) => report('renewing an idempotency key failed', err, { key, method, path }));
      },
      Math.max(1, Math.floor(lockMs / 3)),
    );
    renewal.unref();
    try {
      await next();
    } catch (err) {
      await release();
      throw err;
    } finally {
      clearInterval(renewal);
    }
    const res = c.res;
    let kept = false;
    if (res.status < 500 && res.status !== 429) {
      try {
        const body = await res.clone().text();
        const contentType = res.headers.get('content-type');
        kept = await store.complete(ownerId, key, claimId, { status: res.status, contentType, body });
      } catch (err) {
        report('storing an idempotent response failed', err, { key, method, path });
      }
    }
    // A failure (5xx), a passing limit (429) or a response that could not be stored: the next retry
    // runs the request again instead of waiting for a record that will never complete.
    if (!kept) await release();
  };
}

function reused(c: Context, key: string, first: IdempotencyRecord): Response {
  const what =
    first.method === c.req.method && first.path === c.req.path
      ? `${first.method} ${first.path} with another body`
      : `${first.method} ${first.path}`;
  return errorResponse(
    c,
    new AegisError(
      'IDEMPOTENCY_KEY_REUSED',
      `Idempotency-Key "${key}" was already used for ${what}; a key stands for one request. Retry with exactly the same method, path and body to get its response, or send a new key (a fresh UUID) for a new request.`,
      { details: { key, method: first.method, path: first.path, expiresAt: first.expiresAt } },
    ),
  );
}

function inProgress(c: Context, key: string, first: IdempotencyRecord): Response {
  c.header('Retry-After', '1');
  return errorResponse(
    c,
    new AegisError(
      'IDEMPOTENCY_IN_PROGRESS',
      `The first request with Idempotency-Key "${key}" (${first.method} ${first.path}, started ${first.createdAt}) is still being served; retry with the same key in a moment to get its response.`,
      { details: { key, retryAfter: 1 } },
    ),
  );
}

/**
 * Frees the `Idempotency-Key`s of requests a previous process was serving when it stopped without a
 * shutdown, so their retries run at once instead of waiting for the claim's lock to lapse: every
 * running claim when this server holds the state dir (no other process can be serving one), a
 * cluster node's own (under its node id) otherwise. Returns the prefix of this process's claims.
 */
export async function freeAbandonedIdempotencyKeys(
  store: { idempotency: IdempotencyStore },
  where: { nodeId: string | null; holdsStateDir: boolean },
  logger: Pick<Logger, 'warn'>,
): Promise<string> {
  const node = where.nodeId === null ? '' : `node:${where.nodeId}/`;
  if (!where.nodeId && !where.holdsStateDir) return node;
  const freed = await store.idempotency.abandon(node);
  if (freed > 0) {
    logger.warn(
      'freed the Idempotency-Keys of requests cut off by the previous run; their retries run again',
      {
        count: freed,
      },
    );
  }
  return `${node}${randomUUID().slice(0, 8)}/`;
}
