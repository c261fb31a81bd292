import { describe, expect, it } from 'vitest';
import { createWriteBatcher, type ItemOutcome } from './write-batcher.js';

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('createWriteBatcher', () => {
  it('commits the items pushed in one turn together, in push order', async () => {
    const groups: number[][] = [];
    const batcher = createWriteBatcher<number, string>(
      (items) => {
        groups.push(items);
        return items.map((i) => ({ ok: true, value: `v${i}` }));
      },
      (e) => e,
    );
    const first = [1, 2, 3].map((i) => batcher.push(i));
    // Pushed from a microtask of the same turn: still the same group.
    const chained = Promise.resolve().then(() => batcher.push(4));
    expect(await Promise.all([...first, chained])).toEqual(['v1', 'v2', 'v3', 'v4']);
    await nextTurn();
    expect(await batcher.push(5)).toBe('v5');
    expect(groups).toEqual([[1, 2, 3, 4], [5]]);
  });

  it('rejects every caller of a group whose commit throws, with the mapped error', async () => {
    const batcher = createWriteBatcher<number, number>(
      () => {
        throw new Error('SQLITE_BUSY');
      },
      (e) => new Error(`mapped: ${(e as Error).message}`),
    );
    const results = await Promise.allSettled([batcher.push(1), batcher.push(2)]);
    expect(results.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual([
      'mapped: SQLITE_BUSY',
      'mapped: SQLITE_BUSY',
    ]);
  });

  it('rejects only the items the commit reports as failed', async () => {
    const batcher = createWriteBatcher<number, number>(
      (items) =>
        items.map(
          (i): ItemOutcome<number> =>
            i === 2 ? { ok: false, error: new Error('bad 2') } : { ok: true, value: i },
        ),
      (e) => e,
    );
    const results = await Promise.allSettled([batcher.push(1), batcher.push(2), batcher.push(3)]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 1 },
      { status: 'rejected', reason: new Error('bad 2') },
      { status: 'fulfilled', value: 3 },
    ]);
  });

  it('drain waits for queued items to settle', async () => {
    const committed: number[] = [];
    const batcher = createWriteBatcher<number, number>(
      (items) => {
        committed.push(...items);
        return items.map((value) => ({ ok: true, value }));
      },
      (e) => e,
    );
    void batcher.push(7);
    expect(committed).toEqual([]);
    await batcher.drain();
    expect(committed).toEqual([7]);
  });
});
