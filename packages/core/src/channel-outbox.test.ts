import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ChannelOutboxStore } from './channel-outbox.js';
import type { AegisEvent } from './events.js';
import { createMemoryStore } from './memory-store.js';
import { dropTestSchemas, openTestPgStore } from './pg/__fixtures__/pg-test-db.js';
import { delta, removeTmpDirs, tmpDbPath } from './sqlite/__fixtures__/store-fixtures.js';
import { createSqliteStore } from './sqlite/index.js';
import type { AegisStore } from './store.js';

/** The channel outbox behaviour every store shares (memory, SQLite, PostgreSQL). */

const open: AegisStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  removeTmpDirs();
});
afterAll(dropTestSchemas);

const implementations: [string, () => AegisStore | Promise<AegisStore>][] = [
  ['memory', () => createMemoryStore()],
  ['sqlite', () => createSqliteStore({ path: tmpDbPath() })],
  ['postgres', () => openTestPgStore()],
];

const T0 = '2026-01-01T00:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();

describe.each(implementations)('channel outbox: %s', (_name, create) => {
  const setup = async (): Promise<{ store: AegisStore; outbox: ChannelOutboxStore }> => {
    const store = await create();
    open.push(store);
    if (!store.channelOutbox) throw new Error('store has no channel outbox');
    return { store, outbox: store.channelOutbox };
  };
  const write = async (store: AegisStore, ...drafts: Parameters<typeof delta>[]): Promise<AegisEvent[]> =>
    (await store.write({ events: drafts.map((d) => delta(...d)) })).events;

  it('starts a new channel at the newest event and keeps its cursor', async () => {
    const { store, outbox } = await setup();
    const old = await write(store, ['s1', 1], ['s1', 2]);
    expect(await outbox.start('tg', T0)).toBe(old[1]?.id);
    const more = await write(store, ['s1', 3]);
    await outbox.enqueue('tg', more, more[0]?.id ?? 0, T0);
    expect(await outbox.start('tg', T0)).toBe(more[0]?.id);
    expect(await outbox.start('other', T0)).toBe(more[0]?.id);
  });

  it('queues an event once per channel, and the cursor never goes back', async () => {
    const { store, outbox } = await setup();
    await outbox.start('tg', T0);
    const events = await write(store, ['s1', 1], ['s1', 2]);
    const last = events[1]?.id ?? 0;
    expect(await outbox.enqueue('tg', events, last, T0)).toBe(2);
    expect(await outbox.enqueue('tg', events, last - 1, T0)).toBe(0);
    expect(await outbox.enqueue('mail', events.slice(0, 1), last, T0)).toBe(1);
    expect(await outbox.start('tg', T0)).toBe(last);
    expect((await outbox.stats('tg')).pending).toBe(2);
    expect((await outbox.stats('mail')).pending).toBe(1);
  });

  it('hands out one item per session at a time, in seq order, and only when due', async () => {
    const { store, outbox } = await setup();
    await outbox.start('tg', T0);
    const events = await write(store, ['a', 1], ['b', 1], ['a', 2], ['b', 2]);
    await outbox.enqueue('tg', events, events[3]?.id ?? 0, T0);
    const first = await outbox.due('tg', T0, 10);
    expect(first.map((i) => [i.sessionId, i.seq])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    expect(first[0]?.event).toEqual(events[0]);

    const [a1, b1] = first as [(typeof first)[0], (typeof first)[0]];
    expect(await outbox.begin(a1.id, T0)).toBe(true);
    expect(await outbox.begin(a1.id, T0)).toBe(false); // taken once only
    // a's next waits while a1 is being sent.
    expect((await outbox.due('tg', T0, 10)).map((i) => [i.sessionId, i.seq])).toEqual([['b', 1]]);
    await outbox.finish(a1.id, { state: 'sent', ref: '42' }, at(1));
    expect(await outbox.get(a1.id)).toMatchObject({ state: 'sent', ref: '42', attempts: 1 });

    // b1 fails and waits 10 s; b2 waits behind it, a2 goes.
    await outbox.begin(b1.id, T0);
    await outbox.finish(b1.id, { state: 'pending', nextAttemptAt: at(10), error: 'HTTP 502' }, at(1));
    expect((await outbox.due('tg', at(2), 10)).map((i) => [i.sessionId, i.seq])).toEqual([['a', 2]]);
    const later = await outbox.due('tg', at(10), 10);
    // Oldest due time first.
    expect(later.map((i) => [i.sessionId, i.seq])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(later[1]).toMatchObject({ attempts: 1, lastError: 'HTTP 502' });
    expect(await outbox.due('tg', at(10), 1)).toHaveLength(1);
  });

  it('marks sends a crash interrupted as unconfirmed, never to be sent again', async () => {
    const { store, outbox } = await setup();
    await outbox.start('tg', T0);
    const events = await write(store, ['a', 1], ['a', 2]);
    await outbox.enqueue('tg', events, events[1]?.id ?? 0, T0);
    const [a1] = await outbox.due('tg', T0, 10);
    await outbox.begin(a1?.id ?? 0, T0);
    // (the process dies here)
    const settled = await outbox.settleInterrupted('tg', at(5));
    expect(settled.map((i) => [i.seq, i.state])).toEqual([[1, 'unconfirmed']]);
    expect(await outbox.settleInterrupted('tg', at(6))).toEqual([]);
    expect((await outbox.due('tg', at(6), 10)).map((i) => i.seq)).toEqual([2]);
    // A late result for the settled item changes nothing.
    await outbox.finish(a1?.id ?? 0, { state: 'sent' }, at(7));
    expect((await outbox.get(a1?.id ?? 0))?.state).toBe('unconfirmed');
    expect(await outbox.stats('tg')).toMatchObject({ pending: 1, unconfirmed: 1, sending: 0 });
  });

  it('counts states, prunes final items and keeps per-channel values', async () => {
    const { store, outbox } = await setup();
    await outbox.start('tg', T0);
    const events = await write(store, ['a', 1], ['b', 1]);
    await outbox.enqueue('tg', events, events[1]?.id ?? 0, T0);
    const [a1, b1] = await outbox.due('tg', T0, 10);
    await outbox.begin(a1?.id ?? 0, T0);
    await outbox.finish(a1?.id ?? 0, { state: 'failed', error: 'chat not found' }, at(1));
    expect(await outbox.stats('tg')).toEqual({
      pending: 1,
      sending: 0,
      sent: 0,
      failed: 1,
      unconfirmed: 0,
      oldestPendingAt: T0,
    });
    expect(await outbox.prune(at(1))).toBe(0);
    expect(await outbox.prune(at(2))).toBe(1);
    expect(await outbox.get(a1?.id ?? 0)).toBeUndefined();
    expect(await outbox.get(b1?.id ?? 0)).toMatchObject({ state: 'pending' });

    expect(await outbox.getValue('tg', 'topic:a')).toBeUndefined();
    await outbox.setValue('tg', 'topic:a', '17', T0);
    await outbox.setValue('tg', 'topic:a', '18', T0);
    await outbox.setValue('slack', 'topic:a', 'x', T0);
    expect(await outbox.getValue('tg', 'topic:a')).toBe('18');
    expect(await outbox.getValue('slack', 'topic:a')).toBe('x');
  });

  it('records each update once per channel, and prunes old records', async () => {
    const { outbox } = await setup();
    expect(await outbox.claimUpdate('telegram', '501', T0)).toBe(true);
    expect(await outbox.claimUpdate('telegram', '501', at(1))).toBe(false);
    expect(await outbox.claimUpdate('slack', '501', at(1))).toBe(true);
    expect(await outbox.claimUpdate('telegram', '502', at(5))).toBe(true);
    await outbox.prune(at(2));
    // The record from before `at(2)` is gone; the later one stays.
    expect(await outbox.claimUpdate('telegram', '501', at(6))).toBe(true);
    expect(await outbox.claimUpdate('telegram', '502', at(6))).toBe(false);
  });
});
