import { afterEach, describe, expect, it } from 'vitest';
import { ChannelSendError, type OutboxChannel, startChannelDispatcher } from './channel-dispatcher.js';
import type { OutboxItem } from './channel-outbox.js';
import type { AegisEvent } from './events.js';
import { delta, removeTmpDirs, tmpDbPath } from './sqlite/__fixtures__/store-fixtures.js';
import { createSqliteStore } from './sqlite/index.js';
import type { AegisStore } from './store.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
  removeTmpDirs();
});

/** A channel that records what it was given and fails while `down` says so. */
function recordingChannel(name: string) {
  const sent: string[] = [];
  const ch = {
    sent,
    attempts: 0,
    down: null as null | (() => Error),
    hang: null as null | Promise<void>,
    name,
    accepts: (e: AegisEvent) => e.type === 'message.delta',
    async send(item: OutboxItem) {
      ch.attempts++;
      if (ch.hang) await ch.hang;
      if (ch.down) throw ch.down();
      sent.push(`${item.sessionId}:${item.seq}`);
      return { ref: String(sent.length) };
    },
  } satisfies OutboxChannel & Record<string, unknown>;
  return ch;
}

function dispatch(store: AegisStore, channels: OutboxChannel[], extra: { baseDelayMs?: number } = {}) {
  const listeners = new Set<(e: AegisEvent) => void>();
  const d = startChannelDispatcher({
    store: store.channelOutbox as NonNullable<AegisStore['channelOutbox']>,
    events: (q) => store.listEvents(q),
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    channels,
    pollMs: 20,
    baseDelayMs: extra.baseDelayMs ?? 10,
    random: () => 0.5,
  });
  closers.push(() => d.close());
  const write = async (...keys: [string, number][]) => {
    const { events } = await store.write({ events: keys.map(([s, n]) => delta(s, n)) });
    for (const e of events) for (const l of listeners) l(e);
  };
  return { d, write };
}

const until = async (check: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('channel dispatcher', () => {
  it('delivers each event once, in order per session, after a channel outage', async () => {
    const store = createSqliteStore({ path: tmpDbPath() });
    closers.push(() => store.close());
    const tg = recordingChannel('tg');
    tg.down = () => new Error('connect ECONNREFUSED');
    const { d, write } = dispatch(store, [tg]);
    await until(() => d.status('tg')?.state === 'ok');
    await write(['a', 1], ['b', 1], ['a', 2]);
    await write(['a', 3], ['b', 2]);
    await until(() => tg.attempts >= 6);
    expect(d.status('tg')).toMatchObject({ state: 'retrying', lastError: 'connect ECONNREFUSED' });
    expect((await d.stats('tg')).pending).toBe(5);
    tg.down = null;
    await until(() => tg.sent.length === 5);
    const per = (s: string) => tg.sent.filter((k) => k.startsWith(s));
    expect(per('a')).toEqual(['a:1', 'a:2', 'a:3']);
    expect(per('b')).toEqual(['b:1', 'b:2']);
    expect(await d.stats('tg')).toMatchObject({ pending: 0, sent: 5, failed: 0 });
  });

  it('pauses a rate-limited channel for the time it names, and gives up on a refused message', async () => {
    const store = createSqliteStore({ path: tmpDbPath() });
    closers.push(() => store.close());
    const tg = recordingChannel('tg');
    const { d, write } = dispatch(store, [tg], { baseDelayMs: 5 });
    await until(() => d.status('tg')?.state === 'ok');
    tg.down = () => new ChannelSendError('Too Many Requests: retry after 1', { retryAfterMs: 400 });
    await write(['a', 1], ['b', 1]);
    await until(() => tg.attempts === 1);
    tg.down = null;
    const pausedUntil = d.status('tg')?.pausedUntil;
    expect(pausedUntil).toBeTruthy();
    await new Promise((r) => setTimeout(r, 200));
    expect(tg.attempts).toBe(1); // nothing tried while paused, not even the other session
    await until(() => tg.sent.length === 2);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(pausedUntil as string));

    tg.down = () => new ChannelSendError('Bad Request: chat not found', { permanent: true });
    await write(['a', 2]);
    await until(async () => (await d.stats('tg')).failed === 1);
    expect(tg.attempts).toBe(4); // refused once, not retried
  });

  it('keeps a channel that hangs from delaying another', async () => {
    const store = createSqliteStore({ path: tmpDbPath() });
    closers.push(() => store.close());
    const slow = recordingChannel('slow');
    const fast = recordingChannel('fast');
    let release = () => {};
    slow.hang = new Promise<void>((r) => {
      release = r;
    });
    const { write } = dispatch(store, [slow, fast]);
    await new Promise((r) => setTimeout(r, 50));
    await write(['a', 1], ['a', 2]);
    await until(() => fast.sent.length === 2);
    expect(slow.sent).toEqual([]);
    release();
    await until(() => slow.sent.length === 2);
  });

  it('after a crash mid-send, marks that send unconfirmed and delivers the rest once', async () => {
    const path = tmpDbPath();
    const first = createSqliteStore({ path });
    const tg = recordingChannel('tg');
    tg.hang = new Promise<void>(() => {}); // the first send never returns: the "crash" happens inside it
    const run1 = dispatch(first, [tg]);
    await until(() => run1.d.status('tg')?.state === 'ok');
    await run1.write(['a', 1], ['a', 2], ['b', 1]);
    await until(() => tg.attempts === 1);
    // Stop without letting the send finish: what a SIGKILL leaves behind.
    await first.close();
    closers.length = 0;
    void run1.d.close();

    const second = createSqliteStore({ path });
    closers.push(() => second.close());
    const tg2 = recordingChannel('tg');
    const run2 = dispatch(second, [tg2]);
    await until(() => tg2.sent.length === 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(tg2.sent.sort()).toEqual(['a:2', 'b:1']);
    expect(await run2.d.stats('tg')).toMatchObject({ sent: 2, unconfirmed: 1, pending: 0 });
  });
});
