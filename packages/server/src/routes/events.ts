import { ServerResponse } from 'node:http';
import { AegisError, AegisEvent } from '@aegis/core';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { EventsQuery, IdParam } from '../api-schemas.js';
import { type AppEnv, newRouter, type RouteDeps } from '../app-env.js';
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
    "Server-sent events. Each frame's `id` is the event's per-session `seq`. Reconnect with `Last-Event-ID` (or `?after=`) to get every event after it from the durable log, then live events, with no gaps or duplicates. A `: ping` comment is sent periodically to keep idle connections open.",
  tags: ['Events'],
  request: { params: IdParam, query: EventsQuery },
  responses: { 200: sse('Event stream'), ...errorResponses(400, 401, 404) },
});

const globalEventsRoute = createRoute({
  method: 'get',
  path: '/v1/events',
  operationId: 'streamEvents',
  summary: 'Stream the events of every session (SSE)',
  description: 'Like the per-session stream, but frame ids are the global event `id`.',
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

const PAGE = 1000;

/** Each event's JSON, made once and shared by every subscriber that sends it. */
const jsonOf = new WeakMap<AegisEvent, string>();
function eventJson(e: AegisEvent): string {
  let json = jsonOf.get(e);
  if (json === undefined) jsonOf.set(e, (json = JSON.stringify(e)));
  return json;
}

// Event types hold no newlines and JSON has none, so frames are written directly.
const frame = (e: AegisEvent, id: number) => `id: ${id}\nevent: ${e.type}\ndata: ${eventJson(e)}\n\n`;

/** A batch's frames as bytes, keyed by its first event: subscribers sent the same batch share them. */
const batches = { seq: new WeakMap<AegisEvent, Batch>(), id: new WeakMap<AegisEvent, Batch>() };
interface Batch {
  length: number;
  last: AegisEvent;
  bytes: Buffer;
}
function batchBytes(events: readonly AegisEvent[], cursor: 'seq' | 'id'): Buffer {
  const first = events[0] as AegisEvent;
  const last = events[events.length - 1] as AegisEvent;
  const hit = batches[cursor].get(first);
  if (hit && hit.length === events.length && hit.last === last) return hit.bytes;
  let out = '';
  for (const e of events) out += frame(e, e[cursor]);
  const bytes = Buffer.from(out);
  batches[cursor].set(first, { length: events.length, last, bytes });
  return bytes;
}

/** Where frames go: the Node response itself, or (in-process `app.request()`) hono's stream. */
interface FrameSink {
  /** Resolves when the sink can take more (the socket drained), or at once. */
  write(chunk: string | Uint8Array): Promise<void> | undefined;
  readonly closed: boolean;
  onClose(fn: () => void): void;
}

/** Writes straight to Node's response: no web-stream pair and no UTF-8 re-encoding per write. */
function nodeSink(c: Context<AppEnv>, res: ServerResponse): FrameSink {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': c.get('requestId') ?? '',
  });
  res.flushHeaders();
  let closed = false;
  const onClose: (() => void)[] = [];
  res.once('close', () => {
    closed = true;
    for (const fn of onClose) fn();
  });
  return {
    get closed() {
      return closed;
    },
    onClose: (fn) => onClose.push(fn),
    write(chunk) {
      if (closed || res.write(chunk)) return undefined;
      return new Promise<void>((resolve) => {
        res.once('drain', resolve);
        onClose.push(resolve);
      });
    },
  };
}

/**
 * Replays stored events after `from`, then switches to live ones. Subscribes before replaying and
 * drops live events already replayed, so nothing is lost or repeated in the switch. Live events are
 * gathered until the next turn of the event loop and written as one chunk: a stored batch (one
 * transaction, often hundreds of events) becomes one write per subscriber.
 */
async function pump(
  sink: FrameSink,
  from: number,
  heartbeatMs: number,
  opts: {
    /** Frame ids: the per-session `seq` or the global `id`. */
    cursor: 'seq' | 'id';
    load: (after: number) => Promise<AegisEvent[]>;
    subscribe: (fn: (e: AegisEvent) => void) => () => void;
  },
): Promise<void> {
  let last = from;
  let replaying = true;
  let pending: AegisEvent[] = [];
  let wake: (() => void) | null = null;
  let wakeQueued = false;
  const wakeSoon = () => {
    if (wakeQueued) return;
    wakeQueued = true;
    setImmediate(() => {
      wakeQueued = false;
      wake?.();
    });
  };
  const unsubscribe = opts.subscribe((e) => {
    pending.push(e);
    if (!replaying) wakeSoon();
  });
  sink.onClose(() => wake?.());
  const send = (events: readonly AegisEvent[]) => {
    const first = events[0];
    if (!first) return undefined;
    // Cursors rise within a batch, so when its first event is new they all are, and the bytes are
    // those every subscriber in step with this one sends: encoded once, shared.
    if (first[opts.cursor] > last) {
      last = (events[events.length - 1] as AegisEvent)[opts.cursor];
      return sink.write(batchBytes(events, opts.cursor));
    }
    let out = '';
    for (const e of events) {
      const id = e[opts.cursor];
      if (id <= last) continue;
      last = id;
      out += frame(e, id);
    }
    return out ? sink.write(out) : undefined;
  };
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  try {
    for (;;) {
      const page = await opts.load(last);
      await send(page);
      if (page.length < PAGE || sink.closed) break;
    }
    replaying = false;
    heartbeat = setInterval(() => void sink.write(': ping\n\n')?.catch(() => {}), heartbeatMs);
    while (!sink.closed) {
      const ready = pending;
      pending = [];
      await send(ready);
      if (pending.length === 0 && !sink.closed) await new Promise<void>((r) => (wake = r));
      wake = null;
    }
  } finally {
    clearInterval(heartbeat);
    unsubscribe();
  }
}

function streamEvents(c: Context<AppEnv>, deps: RouteDeps, from: number, opts: Parameters<typeof pump>[3]) {
  // The 200 and its headers are already sent: the failure can only be logged, and the stream ends.
  const failed = (err: unknown) => deps.logger.error('event stream failed', failureFields(c, err));
  const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing;
  if (outgoing instanceof ServerResponse) {
    const sink = nodeSink(c, outgoing);
    pump(sink, from, deps.heartbeatMs, opts)
      .catch(failed)
      .finally(() => outgoing.end());
    return RESPONSE_ALREADY_SENT;
  }
  return streamSSE(c, async (stream) => {
    let closed = false;
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
        onClose: (fn) => onClose.push(fn),
        write: (chunk) => stream.write(chunk).then(() => undefined),
      },
      from,
      deps.heartbeatMs,
      opts,
    ).catch(failed);
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
      load: (from) => aegis.sessions.events(id, { after: from, limit: PAGE }, c.get('actor')),
      subscribe: (fn) => aegis.subscribe(fn, { sessionId: id }),
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
      load: (from) => aegis.events({ after: from, limit: PAGE }),
      subscribe: (fn) => aegis.subscribe(fn),
    });
  }) as never);
  return app;
}
