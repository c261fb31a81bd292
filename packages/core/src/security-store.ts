/**
 * Storage for API keys and the audit log. Both live beside the session store (same database) and
 * are reached as `store.apiKeys` and `store.audit`.
 */

export const API_KEY_ROLES = ['admin', 'operator', 'viewer'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** One API key. Only a hash of its secret is ever stored. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  role: ApiKeyRole;
  /** SHA-256 (hex) of the current secret. */
  hash: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  /** The key (or `local`) that created this one. */
  createdBy: string | null;
  /** After a rotation: the replaced secret's hash, accepted until `previousExpiresAt`. */
  previousHash: string | null;
  previousExpiresAt: string | null;
  lastUsedAt: string | null;
}

export type ApiKeyPatch = Partial<
  Pick<ApiKeyRecord, 'hash' | 'expiresAt' | 'revokedAt' | 'previousHash' | 'previousExpiresAt' | 'lastUsedAt'>
>;

export interface ApiKeyStore {
  insert(key: ApiKeyRecord): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** The key whose current or previous (rotated) secret has this hash. */
  findByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  /** Every key, oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  /**
   * `none`: no key was ever stored; `active`: a key is neither revoked nor expired at `now`
   * (ISO-8601 UTC; compared as text with `expiresAt`, which is stored in the same form); `lapsed`:
   * keys exist and none is active. Asked on every request without credentials while zero-config
   * local access is possible, so it reads a row or two whatever the number of keys.
   */
  state(now: string): Promise<ApiKeyState>;
  update(id: string, patch: ApiKeyPatch): Promise<ApiKeyRecord | undefined>;
}

/** What the stored keys allow as a whole: zero-config local access ends once a key exists. */
export type ApiKeyState = 'none' | 'active' | 'lapsed';

/** One audit record; `hash` = SHA-256 over {@link canonicalAudit} of the other fields + `prevHash`. */
export interface AuditRecord {
  id: number;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  /** The operationId (or `permission.policy` for a policy decision). */
  action: string;
  /** Session id, key id or path the action touched. */
  target: string | null;
  /** HTTP status, or what the policy decided. */
  outcome: string;
  details: Record<string, unknown> | null;
  prevHash: string | null;
  hash: string;
}

export type AuditDraft = Omit<AuditRecord, 'id' | 'prevHash' | 'hash'>;

export interface AuditQuery {
  actorId?: string | undefined;
  action?: string | undefined;
  target?: string | undefined;
  /** Inclusive ISO-8601 bounds on `at`. */
  from?: string | undefined;
  to?: string | undefined;
  /** Records with `id > afterId`, oldest first. */
  afterId?: number | undefined;
  limit: number;
}

/**
 * The chain's anchor: the newest record's id and hash and how many records exist, kept apart from
 * the records and updated in the same transaction as each append, so that deleting the newest
 * records (which leaves a shorter chain that still links) is detected.
 */
export interface AuditHead {
  lastId: number;
  count: number;
  hash: string;
}

export interface AuditStore {
  /**
   * Appends a record, chaining it to the last one, and moves the {@link AuditHead} in the same
   * transaction; appends are serialized. Ids are consecutive (1, 2, 3…): a gap means a deleted record.
   */
  append(draft: AuditDraft): Promise<AuditRecord>;
  list(query: AuditQuery): Promise<AuditRecord[]>;
  /** The anchor written by the last append; null while the log is empty. */
  head(): Promise<AuditHead | null>;
}

/** Deterministic JSON: object keys sorted at every depth, no whitespace. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The exact text an audit record's hash is computed over. */
export function canonicalAudit(record: AuditDraft & { prevHash: string | null }): string {
  return canonicalJson({
    at: record.at,
    actorId: record.actorId,
    actorRole: record.actorRole,
    action: record.action,
    target: record.target,
    outcome: record.outcome,
    details: record.details,
    prevHash: record.prevHash,
  });
}

/** SHA-256 as lowercase hex, through WebCrypto (no Node built-ins in core's entry point). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Why verification stopped: a record's content does not match its hash, it does not link to the
 * record before it, its id does not follow the previous one (a record was deleted), or the chain
 * does not end where the {@link AuditHead} says (the newest records were deleted, or rows were
 * added behind the store's back).
 */
export type AuditBreak = 'hash_mismatch' | 'prev_hash_mismatch' | 'id_gap' | 'head_mismatch';

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** The first record whose link, hash or id does not hold (or, for `head_mismatch`, the first missing or unexpected id), and why. */
  firstBroken: { id: number; reason: AuditBreak } | null;
}

/**
 * Walks the whole chain, oldest first, and reports the first record whose `prevHash` is not the
 * previous record's `hash`, whose `hash` does not match its content or whose id is not the previous
 * id + 1; then checks that the chain ends at the store's {@link AuditHead}. Pages are small because
 * records written before digests were bounded can be large.
 */
export async function verifyAuditChain(audit: AuditStore, pageSize = 200): Promise<AuditVerification> {
  let prev: string | null = null;
  let afterId = 0;
  let checked = 0;
  const broken = (id: number, reason: AuditBreak): AuditVerification => ({
    ok: false,
    checked,
    firstBroken: { id, reason },
  });
  for (;;) {
    const page = await audit.list({ afterId, limit: pageSize });
    for (const r of page) {
      if (checked > 0 && r.id !== afterId + 1) return broken(afterId + 1, 'id_gap');
      if (r.prevHash !== prev) return broken(r.id, 'prev_hash_mismatch');
      if ((await sha256Hex(canonicalAudit(r))) !== r.hash) return broken(r.id, 'hash_mismatch');
      prev = r.hash;
      afterId = r.id;
      checked++;
    }
    if (page.length < pageSize) break;
  }
  const head = await audit.head();
  if (head === null)
    return checked === 0 ? { ok: true, checked, firstBroken: null } : broken(1, 'head_mismatch');
  if (head.lastId !== afterId || head.hash !== prev || head.count !== checked) {
    return broken(Math.min(head.lastId, afterId) + 1, 'head_mismatch');
  }
  return { ok: true, checked, firstBroken: null };
}

/** True when `r` passes the query's filters (shared by the stores). */
export function matchesAuditQuery(r: AuditRecord, q: AuditQuery): boolean {
  return (
    r.id > (q.afterId ?? 0) &&
    (q.actorId === undefined || r.actorId === q.actorId) &&
    (q.action === undefined || r.action === q.action) &&
    (q.target === undefined || r.target === q.target) &&
    (q.from === undefined || r.at >= q.from) &&
    (q.to === undefined || r.at <= q.to)
  );
}

/** In-memory key store (tests, embedding). */
export function createMemoryApiKeyStore(): ApiKeyStore {
  const keys = new Map<string, ApiKeyRecord>();
  const clone = <T>(v: T): T => structuredClone(v);
  return {
    async insert(key) {
      if (keys.has(key.id)) throw new Error(`api key ${key.id} exists`);
      keys.set(key.id, clone(key));
    },
    async get(id) {
      const k = keys.get(id);
      return k && clone(k);
    },
    async findByHash(hash) {
      for (const k of keys.values()) if (k.hash === hash || k.previousHash === hash) return clone(k);
      return undefined;
    },
    async list() {
      return [...keys.values()].map(clone);
    },
    async state(now) {
      if (keys.size === 0) return 'none';
      for (const k of keys.values()) if (!k.revokedAt && (!k.expiresAt || k.expiresAt > now)) return 'active';
      return 'lapsed';
    },
    async update(id, patch) {
      const k = keys.get(id);
      if (!k) return undefined;
      const next = { ...k, ...patch };
      keys.set(id, next);
      return clone(next);
    },
  };
}

/** In-memory audit log with the same chaining as SQLite. */
export function createMemoryAuditStore(): AuditStore {
  const records: AuditRecord[] = [];
  let head: AuditHead | null = null;
  let tail: Promise<unknown> = Promise.resolve();
  return {
    append(draft) {
      const run = tail.then(async () => {
        const prevHash = records.at(-1)?.hash ?? null;
        const hash = await sha256Hex(canonicalAudit({ ...draft, prevHash }));
        const record: AuditRecord = { ...structuredClone(draft), id: records.length + 1, prevHash, hash };
        records.push(record);
        head = { lastId: record.id, count: records.length, hash };
        return structuredClone(record);
      });
      tail = run.catch(() => {});
      return run;
    },
    async list(q) {
      return records
        .filter((r) => matchesAuditQuery(r, q))
        .slice(0, q.limit)
        .map((r) => structuredClone(r));
    },
    async head() {
      return head && { ...head };
    },
  };
}

/** A row of the `api_keys` table, as both the SQLite and the PostgreSQL schema name its columns. */
export interface ApiKeyRow {
  id: string;
  name: string;
  role: string;
  hash: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  owner: string | null;
  previousHash: string | null;
  previousExpiresAt: string | null;
  lastUsedAt: string | null;
}

/** The record an `api_keys` row holds (one mapping for every SQL store). */
export const apiKeyFromRow = (r: ApiKeyRow): ApiKeyRecord => ({
  id: r.id,
  name: r.name,
  role: r.role as ApiKeyRole,
  hash: r.hash,
  createdAt: r.createdAt,
  expiresAt: r.expiresAt,
  revokedAt: r.revokedAt,
  createdBy: r.owner,
  previousHash: r.previousHash,
  previousExpiresAt: r.previousExpiresAt,
  lastUsedAt: r.lastUsedAt,
});
