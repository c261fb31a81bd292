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

  it('holds items pushed with hold while the commit keeps failing, and writes them out in order once it works', async () => {
    let full = true;
    const committed: number[] = [];
    const batcher = createWriteBatcher<number, number>(
      (items) => {
        if (full) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
        committed.push(...items);
        return items.map((value) => ({ ok: true, value }));
      },
      (e) => new Error(`mapped: ${(e as Error).message}`),
      { isRetryable: () => false, forMs: 10_000 },
      () => 10,
    );
    const held = [1, 2, 3].map((i) => batcher.push(i, { hold: true }));
    const plain = batcher.push(4);
    await expect(plain).rejects.toThrow('mapped: database or disk is full');
    // Held meanwhile: nothing lost, nothing written, and a plain write fails at once.
    await new Promise((r) => setTimeout(r, 50));
    const pressure = batcher.held();
    expect(pressure).toMatchObject({ failing: true, transient: false, items: 3, bytes: 30 });
    await expect(batcher.push(5)).rejects.toThrow('mapped');
    const later = batcher.push(6, { hold: true });
    expect(batcher.held()?.items).toBe(4);
    full = false;
    expect(await Promise.all([...held, later])).toEqual([1, 2, 3, 6]);
    expect(committed).toEqual([1, 2, 3, 6]);
    expect(batcher.held()).toBeNull();
  });

  it('lets items that are not held wait out a transient failure for forMs, then rejects them', async () => {
    let locked = true;
    const batcher = createWriteBatcher<number, number>(
      (items) => {
        if (locked) throw new Error('SQLITE_BUSY');
        return items.map((value) => ({ ok: true, value }));
      },
      (e) => e,
      { isRetryable: () => true, forMs: 150 },
    );
    const started = Date.now();
    const plain = batcher.push(1);
    const kept = batcher.push(2, { hold: true });
    await expect(plain).rejects.toThrow('SQLITE_BUSY');
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(batcher.held()).toMatchObject({ transient: true, items: 1 });
    locked = false;
    expect(await kept).toBe(2);
  });

  it('abandon rejects everything held and lets drain finish', async () => {
    const batcher = createWriteBatcher<number, number>(
      () => {
        throw new Error('disk I/O error');
      },
      (e) => e,
    );
    const held = batcher.push(1, { hold: true });
    await new Promise((r) => setTimeout(r, 30));
    const drained = batcher.drain();
    expect(batcher.abandon(new Error('given up'))).toBe(1);
    await expect(held).rejects.toThrow('given up');
    await drained;
    expect(batcher.held()).toBeNull();
  });

  it('with an async commit, keeps one group in flight and commits later pushes as the next group, in order', async () => {
    const groups: number[][] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const batcher = createWriteBatcher<number, number>(
      async (items) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        groups.push(items);
        await new Promise((r) => setTimeout(r, 20));
        inFlight -= 1;
        return items.map((i) => ({ ok: true, value: i * 10 }));
      },
      (e) => e,
    );
    const first = [1, 2].map((i) => batcher.push(i));
    await new Promise((r) => setTimeout(r, 5)); // the first group is in flight now
    const later = [3, 4].map((i) => batcher.push(i));
    await nextTurn();
    const last = batcher.push(5);
    expect(await Promise.all([...first, ...later, last])).toEqual([10, 20, 30, 40, 50]);
    expect(groups).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    expect(maxInFlight).toBe(1);
    await batcher.drain();
  });

  it('with an async commit, holds items while it rejects and writes them out, in order, once it works', async () => {
    let failing = true;
    const committed: number[] = [];
    const batcher = createWriteBatcher<number, number>(
      async (items) => {
        await nextTurn();
        if (failing) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        committed.push(...items);
        return items.map((i) => ({ ok: true, value: i }));
      },
      (e) => e,
    );
    const held = [1, 2, 3].map((i) => batcher.push(i, { hold: true }));
    const plain = batcher.push(4);
    await expect(plain).rejects.toThrow('ECONNREFUSED');
    await new Promise((r) => setTimeout(r, 60));
    expect(batcher.held()).toMatchObject({ failing: true, items: 3 });
    failing = false;
    expect(await Promise.all(held)).toEqual([1, 2, 3]);
    expect(committed).toEqual([1, 2, 3]);
    await batcher.drain();
    expect(batcher.held()).toBeNull();
  });
});
