import type { Aegis, AuditDraft, AuditStore } from '@aegis/core';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SECRET_KEY = /token|secret|password|passwd|api[_-]?key|authorization|credential|private/i;
const MAX_STRING = 200;
const MAX_DEPTH = 4;

/**
 * A copy of a request body fit for the audit log: values under secret-looking keys and every
 * value of an `env` map are replaced, long strings are cut, deep structures are summarised.
 */
export function redactForAudit(value: unknown, depth = 0, key = ''): unknown {
  if (SECRET_KEY.test(key)) return '[redacted]';
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? `[${value.length} items]` : '{…}';
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => redactForAudit(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, 50)) {
    out[k] =
      k === 'env' && v && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v).map((name) => [name, '[redacted]']))
        : redactForAudit(v, depth + 1, k);
  }
  return out;
}

function targetOf(params: Record<string, string>, response: unknown, path: string): string {
  if (params.id) return params.id;
  const r = response as { session?: { id?: unknown }; key?: { id?: unknown }; id?: unknown } | undefined;
  const id = r?.session?.id ?? r?.key?.id ?? r?.id;
  return typeof id === 'string' ? id : path;
}

export interface AuditTrailOptions {
  audit: AuditStore;
  now?: () => Date;
  /**
   * Requests refused before any credential was accepted (401, and 429 for a blocked address) are
   * recorded up to this many per minute; the rest of that minute is counted and summed up in one
   * `audit.suppressed` record, so unauthenticated traffic cannot grow the log without bound.
   * Default 60.
   */
  maxUnauthenticatedPerMinute?: number;
  onError?: (err: unknown) => void;
}

/**
 * Appends one audit record per mutating `/v1` request (POST/PUT/PATCH/DELETE), whatever the
 * route and whatever the outcome (denied requests included). Register it outside the auth
 * middleware so it sees the actor and operation that middleware resolved.
 */
export function auditMiddleware(options: AuditTrailOptions): MiddlewareHandler<AppEnv> {
  const now = options.now ?? (() => new Date());
  const maxDenied = options.maxUnauthenticatedPerMinute ?? 60;
  const denied = { windowStart: 0, recorded: 0, suppressed: 0, first: '', last: '' };
  /** Whether to record this unauthenticated denial; appends the previous window's summary first. */
  const admitDenial = async (at: Date): Promise<boolean> => {
    const t = at.getTime();
    if (t - denied.windowStart >= 60_000) {
      if (denied.suppressed > 0) {
        await options.audit
          .append({
            at: at.toISOString(),
            actorId: null,
            actorRole: null,
            action: 'audit.suppressed',
            target: 'unauthenticated',
            outcome: String(denied.suppressed),
            details: {
              reason: `more than ${maxDenied} unauthenticated requests were refused in a minute; the rest are counted here`,
              count: denied.suppressed,
              from: denied.first,
              to: denied.last,
            },
          })
          .catch((err) => options.onError?.(err));
      }
      Object.assign(denied, { windowStart: t, recorded: 0, suppressed: 0, first: '', last: '' });
    }
    if (denied.recorded < maxDenied) {
      denied.recorded++;
      return true;
    }
    denied.suppressed++;
    denied.first ||= at.toISOString();
    denied.last = at.toISOString();
    return false;
  };
  return async (c, next) => {
    if (!MUTATING.has(c.req.method)) return next();
    await next();
    const actor = c.get('actor');
    const op = c.get('operation');
    const unauthenticated = !actor || actor.id === 'anonymous';
    if (unauthenticated && (c.res.status === 401 || c.res.status === 429) && !(await admitDenial(now()))) {
      return;
    }
    let body: unknown;
    if ((c.req.header('content-type') ?? '').includes('json'))
      body = await c.req.json().catch(() => undefined);
    let response: unknown;
    if (c.res.status < 300 && (c.res.headers.get('content-type') ?? '').includes('json')) {
      response = await c.res
        .clone()
        .json()
        .catch(() => undefined);
    }
    let errorCode: string | undefined;
    if (c.res.status >= 400 && (c.res.headers.get('content-type') ?? '').includes('json')) {
      errorCode = (
        (await c.res
          .clone()
          .json()
          .catch(() => undefined)) as { error?: { code?: string } } | undefined
      )?.error?.code;
    }
    const draft: AuditDraft = {
      at: now().toISOString(),
      actorId: actor ? (actor.id ?? 'local') : null,
      actorRole: actor?.role ?? null,
      action: op?.operationId ?? `${c.req.method} ${c.req.path}`,
      target: targetOf(op?.params ?? {}, response, c.req.path),
      outcome: String(c.res.status),
      details: {
        requestId: c.get('requestId') ?? null,
        method: c.req.method,
        path: c.req.path,
        ...(body !== undefined ? { body: redactForAudit(body) } : {}),
        ...(errorCode ? { error: errorCode } : {}),
      },
    };
    try {
      await options.audit.append(draft);
    } catch (err) {
      options.onError?.(err);
    }
  };
}

/** Audits permission requests answered by a server-side policy (humans are audited per request). */
export function auditPolicyDecisions(aegis: Aegis, options: AuditTrailOptions): () => void {
  const now = options.now ?? (() => new Date());
  return aegis.subscribe((e) => {
    if (e.type !== 'permission.resolved' || e.data.decidedBy.type !== 'policy') return;
    options.audit
      .append({
        at: now().toISOString(),
        actorId: e.data.decidedBy.actor ?? 'policy',
        actorRole: 'policy',
        action: 'permission.policy',
        target: e.sessionId,
        outcome: e.data.optionKind ?? e.data.outcome,
        details: {
          requestId: e.data.requestId,
          optionId: e.data.optionId,
          rule: e.data.decidedBy.rule ?? null,
          source: e.data.decidedBy.source ?? null,
          eventId: e.id,
        },
      })
      .catch((err) => options.onError?.(err));
  });
}
