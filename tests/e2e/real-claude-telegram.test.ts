/**
 * A channel end to end with the REAL Claude Code adapter: the agent asks to write a file, the
 * request reaches the session's topic in the Telegram stand-in with Approve / Always / Reject, a
 * press of Approve (a `callback_query` update, as Telegram sends it) lets the adapter write the
 * file, and the agent's reply is pushed back into the topic.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AegisClient } from '@aegis/client';
import { type FakeTelegramApi, startFakeTelegramApi } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hideClaudeEnv, killAll, type RealStack, startRealStack, tempRoot } from './helpers.js';

const restoreEnv = hideClaudeEnv();

const ALICE = { id: 1001, first_name: 'Alice', username: 'alice' };
const GROUP = -1001234567890;
const root = tempRoot('claude-telegram');
let tg: FakeTelegramApi;
let stack: RealStack;
let client: AegisClient;
const started = new Set<string>();

beforeAll(async () => {
  tg = await startFakeTelegramApi({ chatId: GROUP });
  stack = await startRealStack({
    root,
    home: root.sub('home'),
    allowedWorkDirs: [root.dir],
    agentEnv: { PATH: process.env.PATH ?? '' },
    config: {
      logLevel: 'silent',
      channels: {
        // The session is the local user's (no API keys here): an admin may decide for it.
        telegram: tg.channelConfig({ allowedUserIds: [ALICE.id], role: 'admin' }),
      },
    },
  });
  client = stack.client;
});
afterAll(async () => {
  try {
    if (client) await killAll(client, started);
  } finally {
    await stack?.close();
    await tg?.close();
    root.remove();
    restoreEnv();
  }
});

const inTopic = (thread: number) => tg.messages.filter((m) => m.message_thread_id === thread);
/** Polls the stand-in's record (a plain array) until `get` finds something. */
const seen = async <T>(what: string, get: () => T | undefined, ms = 45_000): Promise<T> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > deadline)
      throw new Error(
        `no ${what} in ${ms} ms; the group has: ${JSON.stringify(tg.messages.map((m) => m.text))}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('real Claude Code through the Telegram channel', () => {
  it('a file write waits for the Approve button in the topic; the reply comes back there', {
    timeout: 150_000,
  }, async () => {
    const dir = root.sub('work');
    const { session } = await client.createSession({
      workDir: dir,
      prompt: 'create a file named hello.txt containing Hello from Telegram',
    });
    started.add(session.id);
    expect(session.agent).toBe('claude-code');

    const topic = await seen('topic', () => tg.topics.find((t) => t.name.includes(session.id.slice(0, 8))));
    const ask = await seen('permission message', () =>
      inTopic(topic.message_thread_id).find((m) => m.text.startsWith('🔐')),
    );
    expect(ask.text).toContain('hello.txt');
    const buttons = (
      ask.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual(['Approve', 'Always', 'Reject']);
    expect((await client.getSession(session.id)).status).toBe('permission_prompt');
    expect(existsSync(join(dir, 'hello.txt'))).toBe(false);

    tg.pressButton(ALICE, ask.message_id, buttons[0]?.callback_data as string);
    const reply = await seen('reply', () =>
      inTopic(topic.message_thread_id).find((m) => m.text.endsWith('Created hello.txt.')),
    );
    // The turn's reply, all of the agent's text in it (before and after the tool call).
    expect(reply.text).toBe("I'll create hello.txt.\n\nCreated hello.txt.");
    expect(reply.chat_id).toBe(GROUP);
    expect(readFileSync(join(dir, 'hello.txt'), 'utf8')).toBe('Hello from Telegram');
    // The request's message says who decided, and lost its buttons.
    expect(ask.text).toMatch(/✅ Approved by @alice$/);
    expect(ask.reply_markup).toEqual({ inline_keyboard: [] });

    // The adapter was answered with its allow-once option, decided by the Telegram user.
    const { entries } = await client.readSession(session.id);
    const permission = entries.find((e) => e.role === 'permission')?.permission;
    expect(permission).toMatchObject({ outcome: 'selected', optionKind: 'allow_once' });
    expect(permission?.decidedBy).toMatchObject({ type: 'human', actor: 'telegram:1001' });
    expect((await client.getSession(session.id)).status).toBe('idle');
  });
});
