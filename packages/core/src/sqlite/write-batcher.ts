import {
  context,
  type Link,
  ROOT_CONTEXT,
  type SpanContext,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';

/** What {@link WriteBatcher}'s commit function reports for one caller's item. */
export type ItemOutcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface PushOptions {
  /**
   * Keep the item when the store fails (disk full, I/O error, a lock past `forMs`) and retry it,
   * in order, until it commits, instead of rejecting it. Items pushed later queue behind it.
   */
  hold?: boolean | undefined;
}

/** Writes held because the store keeps failing (see {@link PushOptions.hold}). */
export interface HeldWrites {
  /** `Date.now()` of the first failed attempt. */
  since: number;
  /** The last failure, as thrown by the commit function. */
  error: unknown;
  /** Whether the retry policy calls that failure transient (a lock held elsewhere). */
  transient: boolean;
  /** `false` once an attempt committed again and the backlog is being written out. */
  failing: boolean;
  /** Items waiting (held and not held). */
  items: number;
  /** Their size, as reported by `sizeOf`. */
  bytes: number;
}

export interface WriteBatcher<I, O> {
  /** Queues `item`; resolves once the group it joined has committed. */
  push(item: I, options?: PushOptions): Promise<O>;
  /** Resolves when everything queued so far has been committed or rejected. */
  drain(): Promise<void>;
  /** What is waiting while the store fails; `null` while writes go through. */
  held(): HeldWrites | null;
  /** Rejects everything still queued with `error` (used when closing on a store that keeps failing). */
  abandon(error: unknown): number;
}

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
  hold: boolean;
  at: number;
  bytes: number;
  /** The span the item was pushed in, linked from the batch's span. */
  origin: SpanContext | undefined;
}

/**
 * How a batcher traces its groups: an `aegis.store.write_batch` span for each commit attempt that
 * failed or retried, took at least `slowMs`, or is the first to carry a write of some span.
 */
export interface BatchTracing {
  tracer: Tracer;
  /** `db.system` of the store: `sqlite` or `postgresql`. */
  system: string;
  /** A commit at least this long always gets a span. Default {@link SLOW_BATCH_MS}. */
  slowMs?: number | undefined;
}

/** A commit attempt that takes at least this long gets a span whatever it carries. */
const SLOW_BATCH_MS = 5;
/** How many linked span ids a batcher remembers to tell a span's first write from its later ones. */
const REMEMBERED_ORIGINS = 4096;

/** `performance.now()` as an OpenTelemetry high-resolution epoch time. */
function hrTimeOf(now: number): [number, number] {
  const ms = performance.timeOrigin + now;
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.min(999_999_999, Math.round((ms - seconds * 1000) * 1e6))];
}

/** A batch's span links to at most this many of the spans that pushed its items. */
const MAX_LINKS = 32;

/** Which failures of a whole group are transient (a lock held elsewhere), and for how long to retry them. */
export interface RetryPolicy {
  isRetryable(thrown: unknown): boolean;
  /** Total time a failing group of items that are not held is retried before those callers are rejected. */
  forMs: number;
}

/** While the store fails, at most this many items go into one retry attempt (the rest follow once it commits). */
const RECOVERY_GROUP = 500;
const MAX_RETRY_DELAY_MS = 1000;

/**
 * Groups the items pushed during one turn of the event loop and hands them to `commit` together
 * (one transaction for all of them). `commit` reports an outcome per item, in order; if it throws
 * (or its promise rejects), the whole group failed. It may be synchronous (SQLite) or return a
 * promise (PostgreSQL): then one group is in flight at a time, and items pushed meanwhile form the
 * next group once it has settled, so groups commit in push order. Then items pushed with `hold` stay queued, in order
 * (later items behind them), and are retried with backoff until they commit; the others are
 * rejected with `toError(thrown)` — at once, or after `retry.forMs` when `retry` calls the failure
 * transient (a lock held elsewhere).
 */
export function createWriteBatcher<I, O>(
  commit: (items: I[]) => ItemOutcome<O>[] | Promise<ItemOutcome<O>[]>,
  toError: (thrown: unknown) => unknown,
  retry?: RetryPolicy,
  sizeOf: (item: I) => number = () => 0,
  tracing?: BatchTracing,
): WriteBatcher<I, O> {
  let queue: Pending<I, O>[] = [];
  let scheduled: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let wakeRetry: (() => void) | undefined;
  /** Set from the first failed attempt until the queue has been written out again. */
  let failure: { since: number; error: unknown; transient: boolean; failing: boolean } | undefined;
  let heldBytes = 0;
  let attempt = 0;
  /** Items of an asynchronous attempt still running (taken off the queue, not settled yet). */
  let inFlight = 0;

  const settle = (group: Pending<I, O>[], outcomes: ItemOutcome<O>[]) => {
    group.forEach((p, i) => {
      const outcome = outcomes[i];
      if (!outcome) p.reject(new Error('write batcher: commit returned no outcome for an item'));
      else if (outcome.ok) p.resolve(outcome.value);
      else p.reject(outcome.error);
    });
  };

  /** Span ids some earlier batch span already links to (oldest first), at most {@link REMEMBERED_ORIGINS}. */
  const linked = new Set<string>();

  /**
   * The commit attempt's span, recorded after the fact: a root span (a group mixes many sessions'
   * writes) linked to the spans its items were pushed in. Only attempts worth a trace get one — a
   * failed or retried attempt, a slow one, and the first batch that carries a write of each span —
   * so a streaming turn's hundreds of sub-millisecond commits do not each become a trace.
   */
  const recordBatchSpan = (group: Pending<I, O>[], startedAt: number, thrown?: unknown): void => {
    if (!tracing) return;
    const endedAt = performance.now();
    let worth =
      thrown !== undefined || attempt > 0 || endedAt - startedAt >= (tracing.slowMs ?? SLOW_BATCH_MS);
    // Most groups come from one span (a turn's stream): compare with the previous item's first.
    let last: string | undefined;
    for (let i = 0; !worth && i < group.length; i++) {
      const spanId = group[i]?.origin?.spanId;
      if (spanId === undefined || spanId === last) continue;
      last = spanId;
      worth = !linked.has(spanId);
    }
    if (!worth) return;
    const links: Link[] = [];
    const seen = new Set<string>();
    for (const p of group) {
      if (links.length >= MAX_LINKS) break;
      const origin = p.origin;
      if (!origin || seen.has(origin.spanId)) continue;
      seen.add(origin.spanId);
      links.push({ context: origin });
      linked.delete(origin.spanId);
      linked.add(origin.spanId);
    }
    for (const id of linked) {
      if (linked.size <= REMEMBERED_ORIGINS) break;
      linked.delete(id);
    }
    const span = tracing.tracer.startSpan(
      'aegis.store.write_batch',
      {
        startTime: hrTimeOf(startedAt),
        attributes: {
          'db.system': tracing.system,
          'aegis.store.batch_items': group.length,
          'aegis.store.attempt': attempt + 1,
        },
        links,
      },
      ROOT_CONTEXT,
    );
    if (thrown !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: String(thrown) });
    span.end(hrTimeOf(endedAt));
  };

  /** Runs one group; returns a promise only when `commit` is asynchronous. */
  const flush = (): void | Promise<void> => {
    retryTimer = undefined;
    wakeRetry = undefined;
    const group = failure ? queue.slice(0, RECOVERY_GROUP) : queue;
    queue = failure ? queue.slice(group.length) : [];
    const startedAt = tracing ? performance.now() : 0;
    let result: ItemOutcome<O>[] | Promise<ItemOutcome<O>[]>;
    try {
      result = commit(group.map((p) => p.item));
    } catch (thrown) {
      recordBatchSpan(group, startedAt, thrown);
      scheduled = undefined;
      failed(group, thrown);
      return;
    }
    if (!(result instanceof Promise)) {
      recordBatchSpan(group, startedAt);
      scheduled = undefined;
      committed(group, result);
      return;
    }
    // `scheduled` stays set while the group is in flight, so pushes meanwhile wait for it.
    inFlight = group.length;
    return result.then(
      (outcomes) => {
        recordBatchSpan(group, startedAt);
        inFlight = 0;
        scheduled = undefined;
        committed(group, outcomes);
        if (queue.length > 0 && !scheduled) void schedule();
      },
      (thrown: unknown) => {
        recordBatchSpan(group, startedAt, thrown);
        inFlight = 0;
        scheduled = undefined;
        failed(group, thrown);
        if (queue.length > 0 && !scheduled) void schedule();
      },
    );
  };

  const runFlush = (done: () => void) => {
    const pending = flush();
    if (pending) void pending.then(done);
    else done();
  };

  const failed = (group: Pending<I, O>[], thrown: unknown): void => {
    const now = Date.now();
    const transient = retry?.isRetryable(thrown) ?? false;
    if (!failure) {
      failure = { since: now, error: thrown, transient, failing: true };
      heldBytes = 0;
      for (const p of group) heldBytes += p.bytes = sizeOf(p.item);
      for (const p of queue) heldBytes += p.bytes = sizeOf(p.item);
    } else {
      Object.assign(failure, { error: thrown, transient, failing: true });
    }
    const since = failure.since;
    const keep: Pending<I, O>[] = [];
    const rejected: Pending<I, O>[] = [];
    for (const p of group) {
      const waited = now - Math.max(p.at, since);
      if (p.hold || (transient && retry && waited < retry.forMs)) keep.push(p);
      else rejected.push(p);
    }
    for (const p of rejected) heldBytes -= p.bytes;
    queue = keep.concat(queue);
    if (rejected.length > 0) {
      const error = toError(thrown);
      for (const p of rejected) p.reject(error);
    }
    if (queue.length === 0) {
      recovered();
      return;
    }
    // Wait asynchronously so the event loop (HTTP, agents) keeps running meanwhile.
    attempt += 1;
    const delay = Math.min(MAX_RETRY_DELAY_MS, 20 * 2 ** Math.min(attempt, 6));
    scheduled = new Promise<void>((done) => {
      wakeRetry = done;
      retryTimer = setTimeout(() => runFlush(done), delay);
    });
  };

  const committed = (group: Pending<I, O>[], outcomes: ItemOutcome<O>[]): void => {
    if (failure) {
      for (const p of group) heldBytes -= p.bytes;
      failure.failing = false;
      if (queue.length > 0) {
        // Still catching up: the next slice right away, keeping the failure record until the queue is empty.
        settle(group, outcomes);
        void schedule();
        return;
      }
      recovered();
    }
    settle(group, outcomes);
  };

  const recovered = () => {
    failure = undefined;
    heldBytes = 0;
    attempt = 0;
  };

  const schedule = (): Promise<void> =>
    (scheduled ??= new Promise<void>((done) => {
      // setImmediate (not a microtask): every write issued in this turn, including those chained on
      // already-settled promises, lands in the same transaction.
      setImmediate(() => runFlush(done));
    }));

  return {
    push(item, options) {
      return new Promise<O>((resolve, reject) => {
        const hold = options?.hold === true;
        // While the store fails for a reason waiting cannot fix soon (disk full, I/O error), a
        // write that must not be held fails at once instead of waiting behind the held ones.
        if (failure?.failing && !hold && !failure.transient) {
          reject(toError(failure.error));
          return;
        }
        // `at` only matters for items pushed while the store fails (earlier ones wait from `since`).
        const p: Pending<I, O> = {
          item,
          resolve,
          reject,
          hold,
          at: failure ? Date.now() : 0,
          bytes: 0,
          origin: tracing ? trace.getSpanContext(context.active()) : undefined,
        };
        if (failure) heldBytes += p.bytes = sizeOf(item);
        queue.push(p);
        void schedule();
      });
    },
    async drain() {
      while (scheduled) await scheduled;
    },
    held() {
      if (!failure) return null;
      return {
        since: failure.since,
        error: failure.error,
        transient: failure.transient,
        failing: failure.failing,
        items: queue.length + inFlight,
        bytes: heldBytes,
      };
    },
    abandon(error) {
      clearTimeout(retryTimer);
      const dropped = queue;
      queue = [];
      wakeRetry?.();
      scheduled = undefined;
      retryTimer = undefined;
      wakeRetry = undefined;
      recovered();
      for (const p of dropped) p.reject(error);
      return dropped.length;
    },
  };
}
