import { ServerResponse } from 'node:http';
import { AegisError, AegisEvent } from '@aegis/core';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { EventsQuery, IdParam } from '../api-schemas.js';
import { type AppEnv, newRouter, type RouteDeps } from '../app-env.js';
import { nodeSink, type PumpOptions, pump } from '../event-pump.js';
import { errorResponses, failureFields } from '../http-errors.js';

const sse = (description: string) => ({
  description: `${description}. Each SSE frame: \`id:\` = seq (per session) or id (global), \`event:\` = the event type, \`data:\` = one AegisEvent as JSON.`,
  content: {
    'text/event-stream': {
      schema: AegisEvent,
    },
  },
});

const sessionEventsRoute = createRoute({
  method: 'get',
  path: '/v1/sessions/{id}/events',
  operationId: 'streamSessionEvents',
  summary: "Stream a session's events (SSE)",
  description:
    "Server-sent events. Each frame's `id` is the event's per-session `seq`. Reconnect with `Last-Event-ID` (or `?after=`) to get every event after it from the durable log, then live events, with no gaps or duplicates. A `: ping` comment is sent periodically to keep idle connections open. Events are sent at the pace the client reads them; a stream whose client takes nothing for `eventStreams.blockedTimeoutMs` (default 30 s) is closed (resume with `Last-Event-ID`), and revoking the key that opened it ends it. One key may hold `eventStreams.perKey` streams open (default 20); one more is answered 429.",
  tags: ['Events'],
  request: { params: IdParam, query: EventsQuery },
  responses: { 200: sse('Event stream'), ...errorResponses(400, 401, 404) },
});

const globalEventsRoute = createRoute({
  method: 'get',
  path: '/v1/events',
  operationId: 'streamEvents',
  summary: 'Stream the events of every session (SSE)',
  description:
    'Like the per-session stream (same pacing, limits and 429), but frame ids are the global event `id`.',
  tags: ['Events'],
  request: { query: EventsQuery },
  responses: { 200: sse('Event stream'), ...errorResponses(400, 401, 403) },
});

function resumePoint(c: Context, after: number | undefined): number {
  const header = c.req.header('last-event-id');
  if (header === undefined || header.trim() === '') return after ?? 0;
  // Digits only: Number() would also take "0x10" or "1e3" and resume from a surprising place.
  const n = /^\d+$/.test(header.trim()) ? Number(header) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw AegisError.validation(
      `Last-Event-ID must be a non-negative integer; got "${header.slice(0, 40)}".`,
    );
  }
  return n;
}

function streamEvents(
  c: Context<AppEnv>,
  deps: RouteDeps,
  from: number,
  opts: Pick<PumpOptions, 'cursor' | 'load' | 'subscribe'>,
) {
  const actor = c.get('actor');
  const owner = actor.id ?? 'local';
  let open: ReturnType<RouteDeps['streams']['open']>;
  try {
    open = deps.streams.open(owner);
  } catch (err) {
    c.header('Retry-After', '5');
    throw err;
  }
  const limits = deps.eventStreams;
  const requestId = c.get('requestId') ?? '';
  const options: PumpOptions = {
    ...opts,
    heartbeatMs: deps.heartbeatMs,
    bufferBytes: limits.bufferBytes,
    blockedTimeoutMs: limits.blockedTimeoutMs,
    signal: open.signal,
    onBlocked: () =>
      deps.logger.warn('event stream closed: its client has not read for too long', {
        requestId,
        path: c.req.path,
        blockedTimeoutMs: limits.blockedTimeoutMs,
      }),
    credentialValid: c.get('credentialValid'),
    onInvalid: () =>
      deps.logger.info('event stream closed: its credential no longer works', {
        requestId,
        path: c.req.path,
      }),
    onFellBehind: () =>
      deps.logger.debug('event stream fell behind its live events; reading them from the log', {
        requestId,
        bufferBytes: limits.bufferBytes,
      }),
  };
  // The 200 and its headers are already sent: the failure can only be logged, and the stream ends.
  const failed = (err: unknown) => deps.logger.error('event stream failed', failureFields(c, err));
  const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing;
  if (outgoing instanceof ServerResponse) {
    pump(nodeSink(outgoing, requestId), from, options)
      .catch(failed)
      .finally(() => {
        open.release();
        outgoing.end();
      });
    return RESPONSE_ALREADY_SENT;
  }
  return streamSSE(c, async (stream) => {
    let closed = false;
    let blocked = false;
    const onClose: (() => void)[] = [];
    stream.onAbort(() => {
      closed = true;
      for (const fn of onClose) fn();
    });
    await pump(
      {
        get closed() {
          return closed;
        },
        get blocked() {
          return blocked;
        },
        onClose: (fn) => onClose.push(fn),
        write: (chunk) => {
          blocked = true;
          return stream.write(chunk).then(() => {
            blocked = false;
          });
        },
        abort: () => stream.abort(),
      },
      from,
      options,
    )
      .catch(failed)
      .finally(() => open.release());
  });
}

export function eventRoutes(deps: RouteDeps) {
  const { aegis } = deps;
  const app = newRouter();
  app.openapi(sessionEventsRoute, (async (c: Context<AppEnv>) => {
    const { id } = IdParam.parse(c.req.param());
    const after = resumePoint(c, EventsQuery.parse(c.req.query()).after);
    await aegis.sessions.get(id, c.get('actor'));
    return streamEvents(c, deps, after, {
      cursor: 'seq',
      load: (from, limit) => aegis.sessions.events(id, { after: from, limit }, c.get('actor')),
      // On a cluster node: every node's events of the session, from the shared log.
      subscribe: (fn) => aegis.subscribe(fn, { sessionId: id, cluster: true }),
    });
  }) as never);
  app.openapi(globalEventsRoute, (async (c: Context<AppEnv>) => {
    const after = resumePoint(c, EventsQuery.parse(c.req.query()).after);
    if (c.get('actor').admin !== true) {
      throw new AegisError(
        'FORBIDDEN',
        'The global event stream is for admins; stream your own sessions with /v1/sessions/{id}/events.',
      );
    }
    return streamEvents(c, deps, after, {
      cursor: 'id',
      load: (from, limit) => aegis.events({ after: from, limit }),
      subscribe: (fn) => aegis.subscribe(fn, { cluster: true }),
    });
  }) as never);
  return app;
}
