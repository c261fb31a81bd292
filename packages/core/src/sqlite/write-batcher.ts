/** What {@link WriteBatcher}'s commit function reports for one caller's item. */
export type ItemOutcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface WriteBatcher<I, O> {
  /** Queues `item`; resolves once the group it joined has committed. */
  push(item: I): Promise<O>;
  /** Resolves when everything queued so far has been committed or rejected. */
  drain(): Promise<void>;
}

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/** Which failures of a whole group are transient (a lock held elsewhere), and for how long to retry them. */
export interface RetryPolicy {
  isRetryable(thrown: unknown): boolean;
  /** Total time a failing group is retried before every caller in it is rejected. */
  forMs: number;
}

/**
 * Groups the items pushed during one turn of the event loop and hands them to `commit` together
 * (one transaction for all of them). `commit` runs synchronously and reports an outcome per item, in
 * order; if it throws, the whole group failed and every caller gets `toError(thrown)` — unless `retry`
 * calls the failure transient, in which case the group is retried (with later items behind it) until
 * it commits or `retry.forMs` has passed.
 */
export function createWriteBatcher<I, O>(
  commit: (items: I[]) => ItemOutcome<O>[],
  toError: (thrown: unknown) => unknown,
  retry?: RetryPolicy,
): WriteBatcher<I, O> {
  let queue: Pending<I, O>[] = [];
  let scheduled: Promise<void> | undefined;
  let failingSince: number | undefined;
  let attempt = 0;

  const flush = (): void => {
    const group = queue;
    queue = [];
    scheduled = undefined;
    let outcomes: ItemOutcome<O>[];
    try {
      outcomes = commit(group.map((p) => p.item));
    } catch (thrown) {
      const now = Date.now();
      failingSince ??= now;
      if (retry?.isRetryable(thrown) && now - failingSince < retry.forMs) {
        // Keep the group at the head, so later writes still commit after it, in order; wait
        // asynchronously so the event loop (HTTP, agents) keeps running meanwhile.
        queue = group.concat(queue);
        attempt += 1;
        const delay = Math.min(1000, 20 * 2 ** Math.min(attempt, 6));
        scheduled = new Promise<void>((done) => {
          setTimeout(() => {
            flush();
            done();
          }, delay);
        });
        return;
      }
      failingSince = undefined;
      attempt = 0;
      const error = toError(thrown);
      for (const p of group) p.reject(error);
      return;
    }
    failingSince = undefined;
    attempt = 0;
    group.forEach((p, i) => {
      const outcome = outcomes[i];
      if (!outcome) p.reject(new Error('write batcher: commit returned no outcome for an item'));
      else if (outcome.ok) p.resolve(outcome.value);
      else p.reject(outcome.error);
    });
  };

  const schedule = (): Promise<void> =>
    (scheduled ??= new Promise<void>((done) => {
      // setImmediate (not a microtask): every write issued in this turn, including those chained on
      // already-settled promises, lands in the same transaction.
      setImmediate(() => {
        flush();
        done();
      });
    }));

  return {
    push(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        void schedule();
      });
    },
    async drain() {
      while (scheduled) await scheduled;
    },
  };
}
