import { type Aegis, AegisError, type AuditDraft, type AuditStore } from '@aegis/core';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.js';
import { requestDigest } from './request-digest.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const UNAUTHENTICATED = 'unauthenticated';
/** The most session ids a completion record lists (a batch's results). */
const MAX_IDS = 20;

export interface AuditTrailOptions {
  audit: AuditStore;
  now?: () => Date;
  /**
   * Refusals (401, 429) recorded per caller per minute — per key, and all unauthenticated callers
   * together; the rest of that minute is counted and summed up in one `audit.suppressed` record, so
   * refused traffic cannot grow the log without bound. Default 60.
   */
  maxDenialsPerMinute?: number;
  /** @deprecated Renamed {@link AuditTrailOptions.maxDenialsPerMinute} (it now applies per caller). */
  maxUnauthenticatedPerMinute?: number;
  onError?: (err: unknown) => void;
}

interface DenialWindow {
  start: number;
  recorded: number;
  suppressed: number;
  first: string;
  last: string;
}

/** Per-caller minute windows of refusals; summaries of ended windows wait in `pending`. */
function denialCounter(max: number) {
  const windows = new Map<string, DenialWindow>();
  const pending: { caller: string; window: DenialWindow }[] = [];
  let lastSweep = 0;
  const close = (caller: string, w: DenialWindow) => {
    if (w.suppressed > 0) pending.push({ caller, window: w });
    windows.delete(caller);
  };
  return {
    /** Whether to record this refusal. */
    admit(caller: string, at: Date): boolean {
      const t = at.getTime();
      let w = windows.get(caller);
      if (w && t - w.start >= 60_000) close(caller, w);
      w = windows.get(caller);
      if (!w) {
        w = { start: t, recorded: 0, suppressed: 0, first: '', last: '' };
        windows.set(caller, w);
      }
      if (w.recorded < max) {
        w.recorded++;
        return true;
      }
      w.suppressed++;
      w.first ||= at.toISOString();
      w.last = at.toISOString();
      return false;
    },
    /** Summaries to write now: windows that ended (checked at most once a minute for idle callers). */
    drain(at: Date) {
      const t = at.getTime();
      if (t - lastSweep >= 60_000) {
        lastSweep = t;
        for (const [caller, w] of windows) if (t - w.start >= 60_000) close(caller, w);
      }
      return pending.splice(0);
    },
  };
}

const isJson = (headers: Headers) => (headers.get('content-type') ?? '').includes('json');

async function responseJson(c: Context): Promise<unknown> {
  if (!isJson(c.res.headers)) return undefined;
  return c.res
    .clone()
    .json()
    .catch(() => undefined);
}

/** The id the request acted on: its path id, else the session or key its answer names. */
function targetOf(params: Record<string, string>, response: unknown, path: string): string {
  if (params.id) return params.id;
  const r = response as { session?: { id?: unknown }; key?: { id?: unknown }; id?: unknown } | undefined;
  const id = r?.session?.id ?? r?.key?.id ?? r?.id;
  return typeof id === 'string' ? id : path;
}

/** Session ids a batch answer names (at most {@link MAX_IDS}). */
function batchIds(response: unknown): string[] | undefined {
  const results = (response as { results?: unknown } | undefined)?.results;
  if (!Array.isArray(results)) return undefined;
  const ids = results
    .map((r) => (r as { session?: { id?: unknown }; id?: unknown }).session?.id ?? (r as { id?: unknown }).id)
    .filter((id): id is string => typeof id === 'string');
  return ids.length > MAX_IDS ? [...ids.slice(0, MAX_IDS), `…+${ids.length - MAX_IDS}`] : ids;
}

function actorFields(c: Context<AppEnv>) {
  const actor = c.get('actor');
  return { actorId: actor ? (actor.id ?? 'local') : null, actorRole: actor?.role ?? null };
}

/** A person signed in through the identity provider: their subject and email, in the record's details. */
function personOf(c: Context<AppEnv>) {
  const person = c.get('actor')?.person;
  return person ? { person: { subject: person.subject, email: person.email ?? null } } : {};
}

function actionOf(c: Context<AppEnv>): string {
  return c.get('operation')?.operationId ?? `${c.req.method} ${c.req.path.slice(0, 200)}`;
}

/** What the record says was asked: a bounded digest (never the body, never a secret). */
function digestOf(c: Context<AppEnv>) {
  const query = c.req.query();
  return requestDigest({
    method: c.req.method,
    path: c.req.path,
    params: c.get('operation')?.params,
    query: Object.keys(query).length > 0 ? query : undefined,
    raw: c.get('auditBody'),
    contentType: c.req.header('content-type'),
  });
}

/**
 * Writes the audit record of an authorized mutating request *before* its handler runs (outcome
 * `started`, with the request digest), so no effect can exist without its record: if the record
 * cannot be written the request is refused (503) and nothing is done. Register after the auth
 * middleware (it runs only for requests that passed it) and before the routes.
 */
export function auditIntentMiddleware(options: AuditTrailOptions): MiddlewareHandler<AppEnv> {
  const now = options.now ?? (() => new Date());
  return async (c, next) => {
    // A request another node forwarded was recorded there, before it was sent on: once is enough.
    if (!MUTATING.has(c.req.method) || c.get('peer')) return next();
    const op = c.get('operation');
    let id: number;
    try {
      const record = await options.audit.append({
        at: now().toISOString(),
        ...actorFields(c),
        action: actionOf(c),
        target: op?.params.id ?? c.req.path.slice(0, 200),
        outcome: 'started',
        details: { requestId: c.get('requestId') ?? null, ...personOf(c), ...digestOf(c) },
      });
      id = record.id;
    } catch (err) {
      options.onError?.(err);
      throw err instanceof AegisError
        ? err
        : new AegisError(
            'STORE_UNAVAILABLE',
            'The audit record of this request could not be written, so it was not carried out; check the server log and free disk space.',
            { cause: err },
          );
    }
    c.set('auditIntent', id);
    return next();
  };
}

/**
 * Appends one audit record per mutating `/v1` request (POST/PUT/PATCH/DELETE) once it is answered,
 * whatever the route and whatever the outcome. A request that passed authorization already has
 * its `started` record ({@link auditIntentMiddleware}); this one completes it with the status, the
 * resolved target and the error code. A refused request gets one record with the request digest;
 * refusals past {@link AuditTrailOptions.maxDenialsPerMinute} per caller are only counted. Register
 * it outside the auth middleware so it sees the actor and operation that middleware resolved.
 */
export function auditMiddleware(options: AuditTrailOptions): MiddlewareHandler<AppEnv> {
  const now = options.now ?? (() => new Date());
  const max = options.maxDenialsPerMinute ?? options.maxUnauthenticatedPerMinute ?? 60;
  const denials = denialCounter(max);
  const append = async (draft: AuditDraft) => {
    try {
      await options.audit.append(draft);
    } catch (err) {
      options.onError?.(err);
    }
  };
  const summarize = async (at: Date) => {
    for (const { caller, window } of denials.drain(at)) {
      await append({
        at: at.toISOString(),
        actorId: caller === UNAUTHENTICATED ? null : caller,
        actorRole: null,
        action: 'audit.suppressed',
        target: caller,
        outcome: String(window.suppressed),
        details: {
          reason: `more than ${max} requests from ${caller === UNAUTHENTICATED ? 'unauthenticated callers' : `key ${caller}`} were refused (401/429) in a minute; the rest are counted here`,
          count: window.suppressed,
          from: window.first,
          to: window.last,
        },
      });
    }
  };
  return async (c, next) => {
    if (!MUTATING.has(c.req.method)) return next();
    // Read first, so the digest hashes the exact bytes sent (later readers get a parsed copy).
    c.set('auditBody', await c.req.arrayBuffer().catch(() => undefined));
    await next();
    // Forwarded by a peer (signed): the node it arrived at records it, with the answer it got from here.
    if (c.get('peer')) return;
    const at = now();
    const actor = c.get('actor');
    const status = c.res.status;
    const intent = c.get('auditIntent');
    if (intent === undefined && (status === 401 || status === 429)) {
      const caller = !actor || actor.id === 'anonymous' ? UNAUTHENTICATED : (actor.id ?? 'local');
      const admitted = denials.admit(caller, at);
      await summarize(at);
      if (!admitted) return;
    } else {
      await summarize(at);
    }
    const response = await responseJson(c);
    const error =
      status >= 400 ? (response as { error?: { code?: unknown } } | undefined)?.error?.code : undefined;
    const params = c.get('operation')?.params ?? {};
    const base = {
      at: at.toISOString(),
      ...actorFields(c),
      action: actionOf(c),
      outcome: String(status),
    };
    const requestId = c.get('requestId') ?? null;
    const errorField = typeof error === 'string' ? { error: error.slice(0, 100) } : {};
    if (intent !== undefined) {
      const ids = status < 300 ? batchIds(response) : undefined;
      await append({
        ...base,
        target: targetOf(params, status < 300 ? response : undefined, c.req.path.slice(0, 200)),
        details: { requestId, intent, ...personOf(c), ...(ids ? { sessionIds: ids } : {}), ...errorField },
      });
      return;
    }
    await append({
      ...base,
      target: params.id ?? c.req.path.slice(0, 200),
      details: { requestId, ...personOf(c), ...digestOf(c), ...errorField },
    });
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

/** Audits budget stops and warnings (a change of budget is audited as its PATCH request). */
export function auditBudgetEvents(aegis: Aegis, options: AuditTrailOptions): () => void {
  const now = options.now ?? (() => new Date());
  return aegis.subscribe((e) => {
    if (e.type !== 'budget.exceeded' && e.type !== 'budget.warning') return;
    options.audit
      .append({
        at: now().toISOString(),
        actorId: 'budget',
        actorRole: 'system',
        action: e.type,
        target: e.sessionId,
        outcome: e.data.limit,
        details: { scope: e.data.scope, used: e.data.used, max: e.data.max, eventId: e.id },
      })
      .catch((err) => options.onError?.(err));
  });
}
