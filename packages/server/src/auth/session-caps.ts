import { AsyncLocalStorage } from 'node:async_hooks';
import { type Actor, type Aegis, AegisError, isTerminal, SessionStatus } from '@aegis/core';
import type { Context, MiddlewareHandler } from 'hono';
import { CreateSessionRequest } from '../api-schemas.js';
import type { AppEnv } from '../app-env.js';
import { errorResponse } from '../http-errors.js';
import { BatchCreateRequest } from '../routes/batch.js';
import { CreatePipelineRequest } from '../routes/pipelines.js';
import { SESSION_STARTING_OPERATIONS } from './permissions.js';

export interface SessionCapLimits {
  /** Live (not ended) sessions one key may own at once. */
  sessionsPerKey: number;
  /** Live sessions of every owner at once, counted in the store (so across servers sharing it). */
  sessionsGlobal: number;
}

/** The caps, for sessions started outside a request (a routine's fire). */
export interface SessionAdmission {
  /** Why `wanted` more sessions of `actor` would pass a cap, or undefined when they fit. */
  admit(actor: Actor, wanted: number): Promise<string | undefined>;
}

const LIVE_STATUSES = SessionStatus.options.filter((s) => !isTerminal(s)) as SessionStatus[];
/** Sees every owner's sessions, for counting. */
const EVERYONE: Actor = Object.freeze({ id: null, admin: true, role: 'admin' });

/** A request that may start sessions: how many, and how many of them the store holds already. */
interface Reservation {
  owner: string;
  wanted: number;
  /** Its `session.created` events published so far: those sessions are counted by the store. */
  recorded: number;
}
const pending = (r: Reservation) => Math.max(0, r.wanted - r.recorded);

/** Serialises the check-then-reserve step, so two requests cannot both take the last place. */
function mutex() {
  let tail = Promise.resolve();
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn);
    tail = run.then(
      () => {},
      () => {},
    );
    return run;
  };
}

/**
 * The concurrent-session caps (`limits.sessionsPerKey`, `limits.sessionsGlobal`) on the operations
 * that start sessions (create, batch create, pipeline create); mount after authentication.
 *
 * Each session counts once: live sessions come from the store (every status but the terminal ones,
 * every owner for the global cap, so the cap holds across servers sharing one database), plus the
 * sessions requests in flight on this server will start but have not recorded yet — a request's
 * reservation shrinks as its `session.created` events are published (found by the request's async
 * context), so a session is never counted both as starting and as stored. A running pipeline's
 * stages yet to start are reserved too. A create or batch item the engine answers by reusing an idle
 * session (or by waiting for one starting in the same folder) starts nothing and counts nothing.
 */
export function sessionCapsMiddleware(options: {
  aegis: Aegis;
  limits: SessionCapLimits;
}): MiddlewareHandler<AppEnv> & SessionAdmission {
  const { aegis, limits } = options;
  const reservations = new Set<Reservation>();
  const inRequest = new AsyncLocalStorage<Reservation>();
  const exclusive = mutex();
  // Published right after the store commits, in the async context of the request that created it.
  aegis?.subscribe((event) => {
    if (event.type !== 'session.created') return;
    const r = inRequest.getStore();
    if (r && reservations.has(r)) r.recorded += 1;
  });

  /** Running pipelines started through this server, by id → owner: their unstarted stages are reserved. */
  const pipelines = new Map<string, string>();
  async function reservedStages(owner: string | undefined): Promise<number> {
    let n = 0;
    for (const [id, by] of pipelines) {
      const p = await aegis.pipelines.get(id, EVERYONE).catch(() => undefined);
      if (p?.status !== 'running') {
        pipelines.delete(id);
        continue;
      }
      if (owner === undefined || by === owner) n += p.stages.filter((st) => st.status === 'pending').length;
    }
    return n;
  }

  /**
   * How many sessions a request would start: a pipeline starts every stage (each a new session);
   * a create or batch item that the engine would answer by reusing an idle session of the caller
   * starts nothing (each idle session is reused by one item at most). A body its operation's
   * schema rejects starts nothing: validation answers it with a 400.
   */
  async function sessionsToStart(c: Context, operationId: string, actor: Actor): Promise<number> {
    const body: unknown = await c.req.json().catch(() => undefined);
    if (operationId === 'createPipeline') {
      const parsed = CreatePipelineRequest.safeParse(body);
      return parsed.success ? parsed.data.stages.length : 0;
    }
    const parsed =
      operationId === 'batchCreateSessions'
        ? BatchCreateRequest.safeParse(body)
        : CreateSessionRequest.transform((spec) => ({ sessions: [spec] })).safeParse(body);
    if (!parsed.success) return 0;
    const claimed = new Set<string>();
    let n = 0;
    for (const spec of parsed.data.sessions) {
      // As the route will: a template's fields (model, mode, env…) decide reuse too.
      const input = await aegis.templates.resolve(spec, actor).catch(() => null);
      if (input && (await aegis.sessions.startsNew(input, actor, claimed))) n++;
    }
    return n;
  }

  /** The refusal, or undefined when `wanted` more sessions fit under both caps. */
  async function refusal(actor: Actor, owner: string, wanted: number): Promise<string | undefined> {
    for (let attempt = 0; ; attempt++) {
      // Taken before the store is read: a request whose session is recorded while the store is
      // being read is then counted twice (never zero times), so a refusal is checked again.
      const snapshot = [...reservations].map((r) => ({ r, pending: pending(r) }));
      const moved = () => snapshot.some((s) => pending(s.r) !== s.pending);
      const inFlightAll = snapshot.reduce((n, s) => n + s.pending, 0);
      const inFlightOwn = snapshot.reduce((n, s) => n + (s.r.owner === owner ? s.pending : 0), 0);
      const liveAll = (await aegis.sessions.list({ status: LIVE_STATUSES, limit: 1 }, EVERYONE)).total;
      const reservedAll = await reservedStages(undefined);
      if (liveAll + inFlightAll + reservedAll + wanted > limits.sessionsGlobal) {
        if (attempt < 3 && moved()) continue;
        return `${liveAll + inFlightAll + reservedAll} of the maximum of ${limits.sessionsGlobal} live sessions are taken (this request would start ${wanted}); kill some or raise limits.sessionsGlobal.`;
      }
      const owned = await aegis.sessions.list(
        { status: LIVE_STATUSES, limit: 1 },
        { id: actor.id, admin: false },
      );
      const reserved = await reservedStages(owner);
      if (owned.total + inFlightOwn + reserved + wanted > limits.sessionsPerKey) {
        if (attempt < 3 && moved()) continue;
        const starting = inFlightOwn ? `, ${inFlightOwn} starting` : '';
        return `This key owns ${owned.total} live sessions${starting}${reserved ? ` and ${reserved} pipeline stages yet to start` : ''}; this request would start ${wanted} more, past its maximum of ${limits.sessionsPerKey}. Kill some or raise limits.sessionsPerKey.`;
      }
      return undefined;
    }
  }

  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    const op = c.get('operation');
    if (!op || !SESSION_STARTING_OPERATIONS.has(op.operationId)) return next();
    const actor = c.get('actor');
    const owner = actor.id ?? 'local';
    const wanted = await sessionsToStart(c, op.operationId, actor);
    if (wanted === 0) return next();
    const reservation: Reservation = { owner, wanted, recorded: 0 };
    const refused = await exclusive(async () => {
      const message = await refusal(actor, owner, wanted);
      if (!message) reservations.add(reservation);
      return message;
    });
    if (refused) {
      c.header('Retry-After', '5');
      return errorResponse(c, new AegisError('RATE_LIMITED', refused, { details: { retryAfterSec: 5 } }));
    }
    try {
      await inRequest.run(reservation, next);
      if (op.operationId === 'createPipeline' && c.res.status === 201) {
        const created = (await c.res
          .clone()
          .json()
          .catch(() => undefined)) as { id?: unknown } | undefined;
        if (typeof created?.id === 'string') pipelines.set(created.id, owner);
      }
    } finally {
      reservations.delete(reservation);
    }
  };
  return Object.assign(middleware, {
    admit: (actor: Actor, wanted: number) => exclusive(() => refusal(actor, actor.id ?? 'local', wanted)),
  });
}
