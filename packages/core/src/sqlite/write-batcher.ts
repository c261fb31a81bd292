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

/**
 * Groups the items pushed during one turn of the event loop and hands them to `commit` together
 * (one transaction for all of them). `commit` runs synchronously and reports an outcome per item, in
 * order; if it throws, the whole group failed and every caller gets `toError(thrown)`.
 */
export function createWriteBatcher<I, O>(
  commit: (items: I[]) => ItemOutcome<O>[],
  toError: (thrown: unknown) => unknown,
): WriteBatcher<I, O> {
  let queue: Pending<I, O>[] = [];
  let scheduled: Promise<void> | undefined;

  const flush = (): void => {
    const group = queue;
    queue = [];
    scheduled = undefined;
    let outcomes: ItemOutcome<O>[];
    try {
      outcomes = commit(group.map((p) => p.item));
    } catch (thrown) {
      const error = toError(thrown);
      for (const p of group) p.reject(error);
      return;
    }
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
