import { type FakeTelegramApi, startFakeTelegramApi } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess, tempDir, waitForTurns } from './harness.js';

/**
 * The channel outbox against real faults: the Telegram API unreachable for a while, and the
 * server SIGKILLed with messages queued. A real server process, the scripted agent, and the Bot
 * API stand-in in this process.
 */

interface ChannelView {
  name: string;
  state: string;
  lastError: string | null;
  queueDepth: number;
  outbox: { pending: number; sent: number; failed: number; unconfirmed: number } | null;
}

async function telegramChannel(server: ServerProcess): Promise<ChannelView> {
  const res = await fetch(`${server.url}/v1/channels`);
  const { channels } = (await res.json()) as { channels: ChannelView[] };
  return channels.find((c) => c.name === 'telegram') as ChannelView;
}

/** Polls until `get` gives a value; throws saying what did not happen in time. */
async function waitFor<T>(
  get: () => T | undefined | false | Promise<T | undefined | false>,
  ms: number,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`not reached in ${ms} ms: ${get.toString().slice(0, 200)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** How long the Telegram API stays unreachable (issue 13 asks for 30 s). */
const OUTAGE_MS = Number(process.env.AEGIS_CHANNEL_OUTAGE_MS ?? 30_000);

const replies = (tg: FakeTelegramApi, thread: number) =>
  tg.messages
    .filter((m) => m.message_thread_id === thread && m.text.startsWith('You said: '))
    .map((m) => m.text);

describe('channel delivery under faults', () => {
  const root = tempDir('channels');
  const work = root.sub('work');
  const servers: ServerProcess[] = [];
  let tg: FakeTelegramApi;
  beforeAll(async () => {
    tg = await startFakeTelegramApi();
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await tg.close();
    root.remove();
  });
  const start = async (stateDir: string) => {
    const s = await startServerProcess({
      stateDir,
      allowedWorkDirs: [work],
      env: {
        AEGIS_TG_TOKEN: tg.token,
        AEGIS_TG_GROUP: '-1001234567890',
        AEGIS_TG_ALLOWED_USERS: '1001',
        AEGIS_TG_API_ROOT: tg.url,
      },
    });
    servers.push(s);
    return s;
  };

  it(
    `delivers everything once each, in order, after the Telegram API was unreachable for ${OUTAGE_MS / 1000} s`,
    async () => {
      const server = await start(root.sub('state-outage'));
      const { session } = await server.client.createSession({ workDir: work, prompt: 'before' });
      const topic = await waitFor(() => tg.topics.at(-1), 10_000);
      const thread = topic!.message_thread_id;
      await waitFor(() => replies(tg, thread).includes('You said: before'), 10_000);

      tg.setFault('unreachable');
      const outageStarted = Date.now();
      for (const n of [1, 2, 3, 4, 5]) {
        await server.client.sendMessage(session.id, { text: `during outage ${n}` });
        await waitForTurns(server.client, session.id, n + 1);
      }
      // Sessions are not slowed by the dead channel: every turn finished while it was down.
      const during = await waitFor(async () => {
        const c = await telegramChannel(server);
        return c.queueDepth >= 5 && c.lastError ? c : undefined;
      }, 10_000);
      expect(during).toMatchObject({ state: 'retrying' });
      expect(during!.lastError).toMatch(/unreachable/);
      await new Promise((r) => setTimeout(r, Math.max(0, outageStarted + OUTAGE_MS - Date.now())));
      expect(replies(tg, thread)).toEqual(['You said: before']);

      tg.setFault(null);
      const expected = ['before', 1, 2, 3, 4, 5].map((n) =>
        n === 'before' ? 'You said: before' : `You said: during outage ${n}`,
      );
      // Backoff doubles to at most 60 s (±20 %): the last retry may come up to ~72 s after the outage.
      await waitFor(() => replies(tg, thread).length >= expected.length, 90_000);
      await new Promise((r) => setTimeout(r, 1500));
      expect(replies(tg, thread)).toEqual(expected);
      expect(await telegramChannel(server)).toMatchObject({ queueDepth: 0, state: 'ok' });
    },
    60_000 + OUTAGE_MS + 90_000,
  );

  it('after a SIGKILL with messages queued, delivers them after the restart, none twice', async () => {
    const stateDir = root.sub('state-kill');
    const first = await start(stateDir);
    const { session } = await first.client.createSession({ workDir: work, prompt: 'start' });
    const topic = await waitFor(() => tg.topics.find((t) => t.name.includes(session.id.slice(0, 8))), 10_000);
    const thread = topic!.message_thread_id;
    await waitFor(() => replies(tg, thread).includes('You said: start'), 10_000);

    tg.setFault('error');
    for (const n of [1, 2, 3]) {
      await first.client.sendMessage(session.id, { text: `queued ${n}` });
      await waitForTurns(first.client, session.id, n + 1);
    }
    await waitFor(async () => ((await telegramChannel(first)).queueDepth >= 3 ? true : undefined), 10_000);
    first.child.kill('SIGKILL');
    await first.exited;
    tg.setFault(null);

    const second = await start(stateDir);
    const expected = ['You said: start', 'You said: queued 1', 'You said: queued 2', 'You said: queued 3'];
    const channel = await waitFor(async () => {
      const c = await telegramChannel(second);
      return c.queueDepth === 0 &&
        c.outbox &&
        replies(tg, thread).length + c.outbox.unconfirmed >= expected.length
        ? c
        : undefined;
    }, 90_000);
    await new Promise((r) => setTimeout(r, 1500));
    const got = replies(tg, thread);
    // None twice, in order; a send the kill cut off in mid-flight is `unconfirmed`, not repeated.
    expect(new Set(got).size).toBe(got.length);
    expect(got).toEqual(expected.filter((t) => got.includes(t)));
    expect(got.length + (channel!.outbox?.unconfirmed ?? 0)).toBe(expected.length);
    expect(channel!.outbox?.unconfirmed ?? 0).toBeLessThanOrEqual(1);
    // The topic of the session was kept: no second topic for it.
    expect(tg.topics.filter((t) => t.name.includes(session.id.slice(0, 8)))).toHaveLength(1);
  }, 150_000);
});
