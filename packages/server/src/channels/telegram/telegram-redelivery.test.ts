// Telegram delivers an update again when the poller that took it died before confirming it (the
// next getUpdates offset does that). Aegis records each update in the store before acting on it,
// so a restarted runner that is sent it again skips it: a prompt typed once runs once.
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeTelegramApi, scriptedServerConfig, startFakeTelegramApi } from '@aegis/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { until as waitUntil } from '../../__fixtures__/until.js';
import { type RunningServer, startServer } from '../../server.js';

vi.setConfig({ testTimeout: 60_000 });

const ALICE = { id: 1001, first_name: 'Alice', username: 'alice' };

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const until = <T>(what: string, get: () => T | undefined | false | Promise<T | undefined | false>) =>
  waitUntil(what, get, 15_000, 20);

const inTopic = (tg: FakeTelegramApi, thread: number) =>
  tg.messages.filter((m) => m.message_thread_id === thread);

async function start(root: string, tg: FakeTelegramApi): Promise<RunningServer> {
  const server = await startServer({
    ignoreEnv: true,
    config: scriptedServerConfig(root, {
      channels: {
        telegram: tg.channelConfig({ allowedUserIds: [ALICE.id], role: 'admin' }),
      },
    }),
  });
  cleanups.push(() => server.close());
  return server;
}

async function api(server: RunningServer, path: string, init?: RequestInit) {
  const res = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json' },
  });
  // biome-ignore lint/suspicious/noExplicitAny: bodies are asserted field by field
  return (await res.json()) as any;
}

describe('a Telegram update delivered again', () => {
  it('is acted on once: a restarted runner sent the same prompt again skips it', async () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-tg-again-')));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const work = join(root, 'work');
    mkdirSync(work);
    const tg = await startFakeTelegramApi();
    cleanups.push(() => tg.close());

    const first = await start(root, tg);
    const created = await api(first, '/v1/sessions', {
      method: 'POST',
      body: JSON.stringify({ workDir: work }),
    });
    const topic = await until('the topic', () => tg.topics[0]);
    await until('session.created', () => inTopic(tg, topic.message_thread_id).length > 0);
    const typed = tg.userMessage(ALICE, 'only once', topic.message_thread_id);
    await until('the reply', () =>
      inTopic(tg, topic.message_thread_id).some((m) => m.text === 'You said: only once'),
    );

    // The runner goes; Telegram, not told it had the update, sends it to the next one.
    await first.close();
    tg.redeliver(typed);
    const second = await start(root, tg);
    // Updates are handled in order: once a later one is answered, the one before it was handled.
    tg.userMessage(ALICE, '/help');
    await until('the answer to /help', () =>
      tg.messages.some((m) => m.text.startsWith('In a session topic')),
    );
    tg.userMessage(ALICE, 'and then this', topic.message_thread_id);
    // (The agent was restarted with the session: its reply quotes the restored conversation first.)
    await until('the next reply', () =>
      inTopic(tg, topic.message_thread_id).some(
        (m) => m.text.startsWith('You said:') && m.text.endsWith('and then this'),
      ),
    );

    expect(tg.messages.filter((m) => m.text === 'You said: only once')).toHaveLength(1);
    const audit = await api(second, '/v1/audit?action=channels.telegram.prompt');
    // Every prompt taken from Telegram, whatever came of it: the two typed, none twice.
    const prompts = (audit.records ?? audit.entries) as { target: string; details: { text?: string } }[];
    expect(prompts.map((r) => [r.target, r.details.text ?? null])).toEqual([
      [created.id, 'only once'],
      [created.id, 'and then this'],
    ]);
  });
});
