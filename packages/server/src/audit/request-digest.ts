import { createHash } from 'node:crypto';

const SECRET_KEY = /token|secret|password|passwd|api[_-]?key|authorization|credential|private/i;
const MAX_STRING = 120;
const MAX_NAME = 64;
const MAX_FIELDS = 16;
const MAX_LIST = 10;
/** The most a digest's `fields` take as JSON; past it, fields are dropped from the end. */
export const MAX_FIELDS_BYTES = 1536;
/** Upper bound on a whole request digest as JSON (fields, hash, path, params, query). */
export const MAX_DIGEST_BYTES = 3072;

/** What an audit record keeps of a request: never the body itself, never a secret. */
export interface RequestDigest {
  method: string;
  path: string;
  params?: Record<string, string>;
  /** Query parameter names and values (cut), secrets redacted. */
  query?: Record<string, string>;
  body?: {
    /** SHA-256 (hex) of the exact body bytes: matches a body kept elsewhere, reveals nothing. */
    sha256: string;
    bytes: number;
    /** The body's small top-level fields, cut and redacted (see {@link bodyFields}). */
    fields?: Record<string, unknown>;
  };
}

const cut = (s: string, max = MAX_STRING) => (s.length > max ? `${s.slice(0, max)}…` : s);

function scalar(value: unknown): unknown {
  if (typeof value === 'string') return cut(value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return `[${value.length} items]`;
  return typeof value === 'object' ? '{…}' : String(value);
}

/** Names of a map (an `env`): the values are never kept, whatever they hold. */
function namesOf(value: object): string[] {
  const names = Object.keys(value);
  const shown = names.slice(0, MAX_LIST).map((n) => cut(n, MAX_NAME));
  return names.length > MAX_LIST ? [...shown, `…+${names.length - MAX_LIST}`] : shown;
}

function field(key: string, value: unknown, depth: number): unknown {
  if (SECRET_KEY.test(key)) return '[redacted]';
  if (key === 'env' && value && typeof value === 'object') return { names: namesOf(value) };
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string' || typeof v === 'number')) {
      const shown = value.slice(0, MAX_LIST).map((v) => (typeof v === 'string' ? cut(v, MAX_NAME) : v));
      return value.length > MAX_LIST ? [...shown, `…+${value.length - MAX_LIST}`] : shown;
    }
    const first = value[0];
    return depth === 0 && first && typeof first === 'object' && !Array.isArray(first)
      ? { items: value.length, first: object(first as Record<string, unknown>, 1) }
      : `[${value.length} items]`;
  }
  if (value && typeof value === 'object') {
    return depth === 0 ? object(value as Record<string, unknown>, 1) : '{…}';
  }
  return scalar(value);
}

function object(value: Record<string, unknown>, depth: number): Record<string, unknown> {
  const entries = Object.entries(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries.slice(0, MAX_FIELDS)) out[cut(k, MAX_NAME)] = field(k, v, depth);
  if (entries.length > MAX_FIELDS) out['…'] = `${entries.length - MAX_FIELDS} more fields`;
  return out;
}

/**
 * The meaningful part of a JSON body for the audit log: top-level scalars (strings cut to 120
 * characters), one level of nested objects, the first item of a list of objects (a batch's first
 * session), short lists of ids; values under secret-looking keys and every value of an `env` map
 * are never kept. At most {@link MAX_FIELDS_BYTES} as JSON: later fields are dropped to fit.
 */
export function bodyFields(body: unknown): Record<string, unknown> | undefined {
  if (!body || typeof body !== 'object') return body === undefined ? undefined : { value: scalar(body) };
  const out = Array.isArray(body) ? { items: field('items', body, 0) } : object(body as never, 0);
  const keys = Object.keys(out);
  let dropped = 0;
  while (keys.length > 0 && Buffer.byteLength(JSON.stringify(out)) > MAX_FIELDS_BYTES) {
    delete out[keys.pop()!];
    dropped++;
  }
  if (dropped > 0) out['…'] = `${dropped} fields omitted to keep the record small`;
  return out;
}

/** A bounded digest of a request (at most {@link MAX_DIGEST_BYTES} as JSON). */
export function requestDigest(input: {
  method: string;
  path: string;
  params?: Record<string, string> | undefined;
  query?: Record<string, string> | undefined;
  raw?: ArrayBuffer | undefined;
  contentType?: string | undefined;
}): RequestDigest {
  const digest: RequestDigest = { method: input.method, path: cut(input.path, 200) };
  const params = Object.entries(input.params ?? {});
  if (params.length > 0) digest.params = Object.fromEntries(params.map(([k, v]) => [k, cut(v, MAX_NAME)]));
  const query = Object.entries(input.query ?? {}).slice(0, MAX_LIST);
  if (query.length > 0) {
    digest.query = Object.fromEntries(
      query.map(([k, v]) => [cut(k, MAX_NAME), SECRET_KEY.test(k) ? '[redacted]' : cut(v, MAX_NAME)]),
    );
  }
  if (input.raw && input.raw.byteLength > 0) {
    const bytes = new Uint8Array(input.raw);
    digest.body = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.byteLength };
    if ((input.contentType ?? '').includes('json')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        parsed = undefined;
      }
      const fields = bodyFields(parsed);
      if (fields) digest.body.fields = fields;
    }
  }
  // Long parameter and query values together can still pass the bound: shed the least telling.
  if (Buffer.byteLength(JSON.stringify(digest)) > MAX_DIGEST_BYTES) delete digest.query;
  if (digest.body && Buffer.byteLength(JSON.stringify(digest)) > MAX_DIGEST_BYTES) delete digest.body.fields;
  return digest;
}
