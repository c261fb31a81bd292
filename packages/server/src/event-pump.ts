import type { ServerResponse } from 'node:http';
import type { AegisEvent } from '@aegis/core';

/** Events asked of the store per page: the most, and the first page (before event sizes are known). */
const MAX_PAGE = 1000;
const FIRST_PAGE = 32;
/** Bytes of frames one replay page aims at: pages of large events hold fewer of them. */
const PAGE_BYTES = 256 * 1024;

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
export interface FrameSink {
  /** Resolves when the sink can take more (the socket drained, or it closed), or undefined at once. */
  write(chunk: string | Uint8Array): Promise<void> | undefined;
  /** True while a write waits for the socket to drain. */
  readonly blocked: boolean;
  readonly closed: boolean;
  onClose(fn: () => void): void;
  /** Ends the stream now (the connection is closed; the client resumes with Last-Event-ID). */
  abort(): void;
}

/** Writes straight to Node's response: no web-stream pair and no UTF-8 re-encoding per write. */
export function nodeSink(res: ServerResponse, requestId: string): FrameSink {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': requestId,
  });
  res.flushHeaders();
  let closed = false;
  let draining: Promise<void> | undefined;
  const onClose: (() => void)[] = [];
  res.once('close', () => {
    closed = true;
    for (const fn of onClose) fn();
  });
  return {
    get closed() {
      return closed;
    },
    get blocked() {
      return res.writableNeedDrain;
    },
    onClose: (fn) => onClose.push(fn),
    // res.write() queues any chunk in memory and only says whether to wait: waiting for 'drain'
    // before the next write is what keeps an unread stream from queueing the whole log.
    write(chunk) {
      if (closed || res.write(chunk)) return undefined;
      // One wait per blocked spell, however many writes join it: nothing accumulates on a long stream.
      draining ??= new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          draining = undefined;
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
      return draining;
    },
    abort: () => res.destroy(),
  };
}

export interface PumpOptions {
  /** Frame ids: the per-session `seq` or the global `id`. */
  cursor: 'seq' | 'id';
  load: (after: number, limit: number) => Promise<AegisEvent[]>;
  subscribe: (fn: (e: AegisEvent) => void) => () => void;
  heartbeatMs: number;
  /** Bytes of live events held while the socket is not draining (then they are read from the log). */
  bufferBytes: number;
  /** A write that has not drained after this long closes the stream. */
  blockedTimeoutMs: number;
  /** Ends the stream (a revoked key); the pump returns. */
  signal?: AbortSignal | undefined;
  /** Told when the stream is closed for not draining. */
  onBlocked?: (() => void) | undefined;
  /** Told when held live events overflowed the buffer and are to be read from the log. */
  onFellBehind?: (() => void) | undefined;
  /**
   * Re-checked every `credentialCheckMs`: false (the key expired, was revoked elsewhere, or its
   * rotated secret's grace ended) ends the stream, after `onInvalid`.
   */
  credentialValid?: (() => Promise<boolean>) | undefined;
  credentialCheckMs?: number | undefined;
  onInvalid?: (() => void) | undefined;
}

/**
 * Sends stored events after `from`, then live ones, at the pace of the socket. Subscribes before
 * reading the log and drops events already sent, so nothing is lost or repeated in the switch.
 * Live events are gathered until the next turn of the event loop and written as one chunk; while
 * the socket is not draining they are held up to `bufferBytes`, then dropped and read again from
 * the log (every event is stored before it is announced, so the log has them). The next page of
 * the log is read only once the last one drained, so an unread stream holds about one page.
 */
export async function pump(sink: FrameSink, from: number, opts: PumpOptions): Promise<void> {
  let last = from;
  let pending: AegisEvent[] = [];
  let pendingBytes = 0;
  /** Live events were dropped (or the log not read yet): read the log before sending live ones. */
  let behind = true;
  /**
   * Live events are held, not sent on the next turn: while the log is read or a write waits to
   * drain. Only then are their bytes counted, so a stream in step pays nothing per event.
   */
  let holding = true;
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
    if (holding) {
      pendingBytes += eventJson(e).length;
      if (pendingBytes > opts.bufferBytes) {
        pending = [];
        pendingBytes = 0;
        behind = true;
        opts.onFellBehind?.();
      }
    }
    wakeSoon();
  });
  const stop = () => {
    sink.abort();
    wake?.();
  };
  opts.signal?.addEventListener('abort', stop, { once: true });
  if (opts.signal?.aborted) stop();
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
  /** Waits for a write to drain; one that does not within the limit closes the stream. */
  const drained = async (write: Promise<void> | undefined) => {
    if (!write) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([
      write.then(() => false),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(true), opts.blockedTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut && !sink.closed) {
      opts.onBlocked?.();
      sink.abort();
    }
  };
  /** Sends the log after `last` page by page, each page once the previous one drained. */
  const catchUp = async () => {
    let limit = FIRST_PAGE;
    while (!sink.closed) {
      // Cleared before the read: whatever is dropped from here on is stored after this read began.
      behind = false;
      const page = await opts.load(last, limit);
      const asked = limit;
      let bytes = 0;
      for (const e of page) bytes += eventJson(e).length;
      limit = Math.max(
        1,
        Math.min(MAX_PAGE, Math.floor(PAGE_BYTES / Math.max(1, bytes / (page.length || 1)))),
      );
      await drained(send(page));
      if (page.length < asked) return;
    }
  };

  const heartbeat = setInterval(() => {
    if (!sink.blocked && !sink.closed) void sink.write(': ping\n\n')?.catch(() => {});
  }, opts.heartbeatMs);
  const valid = opts.credentialValid;
  const recheck =
    valid &&
    setInterval(() => {
      if (sink.closed) return;
      valid().then(
        (ok) => {
          if (ok || sink.closed) return;
          opts.onInvalid?.();
          stop();
        },
        () => {},
      );
    }, opts.credentialCheckMs ?? 5_000);
  try {
    while (!sink.closed) {
      if (behind) {
        holding = true;
        await catchUp();
        continue;
      }
      const ready = pending;
      pending = [];
      pendingBytes = 0;
      const write = send(ready);
      holding = write !== undefined;
      await drained(write);
      holding = false;
      if (pending.length === 0 && !behind && !sink.closed) await new Promise<void>((r) => (wake = r));
      wake = null;
    }
  } finally {
    clearInterval(heartbeat);
    if (recheck) clearInterval(recheck);
    unsubscribe();
    opts.signal?.removeEventListener('abort', stop);
  }
}
