import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeTelegramApi, script, scriptedServerConfig, startFakeTelegramApi } from '@aegis/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { until as waitUntil } from '../../__fixtures__/until.js';
import type { LogLevel } from '../../logger.js';
import { type RunningServer, startServer } from '../../server.js';

const ALICE = { id: 1001, first_name: 'Alice', username: 'alice' };
const MALLORY = { id: 666, first_name: 'Mallory', username: 'mallory' };

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const until = <T>(
  what: string,
  get: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 10_000,
) => waitUntil(what, get, ms, 20);

function memoryLogger() {
  const lines: { level: LogLevel; msg: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) =>
    lines.push({ level, msg, fields });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

async function setup(
  opts: { token?: string; role?: 'admin' | 'operator' | 'viewer'; sessions?: Record<string, string[]> } = {},
) {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-tg-')));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const base = join(root, 'work');
  mkdirSync(base);
  const tg = await startFakeTelegramApi();
  cleanups.push(() => tg.close());
  const log = memoryLogger();
  const server = await startServer({
    ignoreEnv: true,
    logger: log.logger,
    config: scriptedServerConfig(root, {
      channels: {
        telegram: {
          token: opts.token ?? tg.token,
          group: -1001234567890,
          allowedUserIds: [ALICE.id],
          apiRoot: tg.url,
          // Sessions made through the API here are the local user's: an admin may drive them.
          role: opts.role ?? 'admin',
          ...(opts.sessions ? { sessions: opts.sessions } : {}),
        },
      },
    }),
  });
  cleanups.push(() => server.close());
  return { base, tg, server, log };
}

const api = (server: RunningServer, path: string, init?: RequestInit) =>
  fetch(`${server.url}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...init?.headers },
  });

async function createSession(server: RunningServer, workDir: string, prompt?: string) {
  const res = await api(server, '/v1/sessions', {
    method: 'POST',
    body: JSON.stringify({ workDir, prompt }),
  });
  const body = (await res.json()) as { id: string };
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body;
}

const inTopic = (tg: FakeTelegramApi, thread: number) =>
  tg.messages.filter((m) => m.message_thread_id === thread);

describe('Telegram channel (scripted agent, Bot API stand-in)', () => {
  it('opens a topic per session; an Approve press writes the file and edits the message to say who', async () => {
    const { base, tg, server } = await setup();
    const session = await createSession(
      server,
      base,
      script(
        {
          tool: {
            title: 'Write notes.txt',
            kind: 'edit',
            diff: { path: 'notes.txt', oldText: null, newText: 'hello\n' },
            permission: true,
            write: { path: 'notes.txt', content: 'hello\n' },
          },
        },
        { say: 'Wrote it.' },
      ),
    );
    const topic = await until('the topic', () => tg.topics[0]);
    expect(topic.name).toContain(session.id.slice(0, 8));
    const ask = await until('the permission message', () =>
      inTopic(tg, topic.message_thread_id).find((m) => m.text.startsWith('🔐')),
    );
    expect(ask.text).toContain('Write notes.txt');
    expect(ask.text).toContain('notes.txt: new file, 2 lines');
    const buttons = (
      ask.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual(['Approve', 'Always', 'Reject']);

    tg.pressButton(ALICE, ask.message_id, buttons[0]?.callback_data as string);
    await until('the file', () => existsSync(join(base, 'notes.txt')));
    expect(readFileSync(join(base, 'notes.txt'), 'utf8')).toBe('hello\n');
    await until('the edit', () => ask.edits.length > 0);
    expect(ask.text).toMatch(/✅ Approved by @alice$/);
    expect(ask.reply_markup).toEqual({ inline_keyboard: [] });

    // The reply is pushed into the topic; a second press of the stale button says so.
    await until('the reply', () => inTopic(tg, topic.message_thread_id).find((m) => m.text === 'Wrote it.'));
    tg.pressButton(ALICE, ask.message_id, buttons[2]?.callback_data as string);
    const answered = await until('the stale answer', () =>
      tg.calls.filter((c) => c.method === 'answerCallbackQuery').at(1),
    );
    expect(answered.params.text).toBe('Already decided.');

    const audit = await (await api(server, '/v1/audit?action=channels.telegram.approve')).json();
    expect(audit.records ?? audit.entries ?? audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actorId: 'telegram:1001', outcome: 'ok', target: session.id }),
      ]),
    );
  });

  it('takes a message typed in a topic as a prompt and pushes the reply back into that topic', async () => {
    const { base, tg, server } = await setup();
    await createSession(server, base);
    const topic = await until('the topic', () => tg.topics[0]);
    await until('session.created', () => inTopic(tg, topic.message_thread_id).length > 0);
    tg.userMessage(ALICE, 'hello from the phone', topic.message_thread_id);
    const reply = await until('the reply', () =>
      inTopic(tg, topic.message_thread_id).find((m) => m.text === 'You said: hello from the phone'),
    );
    expect(reply.chat_id).toBe(-1001234567890);
    tg.userMessage(ALICE, '/status', topic.message_thread_id);
    await until('the status', () =>
      inTopic(tg, topic.message_thread_id).find((m) => m.text.startsWith('Status: idle')),
    );
  });

  it('refuses a user who is not allowlisted, and audits it', async () => {
    const { base, tg, server } = await setup();
    const session = await createSession(server, base);
    const topic = await until('the topic', () => tg.topics[0]);
    tg.userMessage(MALLORY, 'rm -rf everything', topic.message_thread_id);
    const refusal = await until('the refusal', () =>
      inTopic(tg, topic.message_thread_id).find((m) => m.text.includes('may not control')),
    );
    expect(refusal.text).toContain('666');
    const res = await api(server, '/v1/audit?actorId=telegram:666');
    const body = JSON.stringify(await res.json());
    expect(body).toContain('"outcome":"refused"');
    expect(body).toContain('channels.telegram.prompt');
    // Nothing reached the session.
    const events = await (await api(server, `/v1/sessions/${session.id}/read`)).json();
    expect(JSON.stringify(events)).not.toContain('rm -rf everything');
  });

  it('/new in General starts a session in the allowed directory', async () => {
    const { base, tg, server } = await setup();
    tg.userMessage(ALICE, `/new ${base} hi there`);
    const topic = await until('the topic', () => tg.topics[0]);
    await until('the reply', () =>
      inTopic(tg, topic.message_thread_id).find((m) => m.text === 'You said: hi there'),
    );
    tg.userMessage(ALICE, '/new /etc nope');
    await until('the refusal', () => tg.messages.find((m) => m.text.startsWith('Could not start a session')));
    const list = await (await api(server, '/v1/sessions')).json();
    expect(list.sessions).toHaveLength(1);
  });

  it('ignores and logs malformed updates and unknown button data, and keeps working', async () => {
    const { base, tg, server, log } = await setup();
    tg.pushUpdate({ edited_channel_post: { nonsense: true } });
    tg.pushUpdate({ callback_query: { id: 'x1', from: ALICE, chat_instance: '1', data: 'zzz:1:2' } });
    tg.pushUpdate({ callback_query: { id: 'x2', from: ALICE, chat_instance: '1', data: 'p:999999:a' } });
    tg.pushUpdate({ message: { message_id: 1, date: 0, chat: { id: -1001234567890, type: 'supergroup' } } });
    await until('unknown data logged', () => log.lines.filter((l) => /unknown/.test(l.msg)).length >= 2);
    await until(
      'both answered',
      () => tg.calls.filter((c) => c.method === 'answerCallbackQuery').length >= 2,
    );
    const answers = tg.calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => c.params.text);
    expect(answers).toEqual(['Unknown button.', 'Unknown button.']);
    await createSession(server, base, 'still alive');
    const topic = await until('the topic', () => tg.topics[0]);
    await until('the reply', () =>
      inTopic(tg, topic.message_thread_id).find((m) => m.text === 'You said: still alive'),
    );
  });

  it('with a refused token, warns at start-up, reports the channel in error, and keeps serving', async () => {
    const { server, log } = await setup({ token: '999:wrong' });
    const warned = await until('the warning', () =>
      log.lines.find((l) => l.level === 'warn' && /refused the bot token/.test(l.msg)),
    );
    expect(warned.msg).toContain('AEGIS_TG_TOKEN');
    const res = await api(server, '/v1/channels');
    expect(res.status).toBe(200);
    const { channels } = (await res.json()) as {
      channels: { name: string; state: string; lastError: string }[];
    };
    expect(channels.find((c) => c.name === 'telegram')).toMatchObject({ state: 'error' });
    expect((await api(server, '/v1/health')).status).toBe(200);
  });

  it('a viewer is refused approve, prompt and kill with a reply that says why, and audited', async () => {
    const { base, tg, server } = await setup({ role: 'viewer' });
    const session = await createSession(
      server,
      base,
      script({
        tool: {
          title: 'Write v.txt',
          kind: 'edit',
          permission: true,
          write: { path: 'v.txt', content: 'v' },
        },
      }),
    );
    const topic = await until('the topic', () => tg.topics[0]);
    const ask = await until('the permission message', () =>
      inTopic(tg, topic.message_thread_id).find((m) => m.text.startsWith('🔐')),
    );
    const buttons = (
      ask.reply_markup as { inline_keyboard: { callback_data: string }[][] }
    ).inline_keyboard.flat();
    tg.pressButton(ALICE, ask.message_id, buttons[0]?.callback_data as string);
    const alert = await until('the refusal', () => tg.calls.find((c) => c.method === 'answerCallbackQuery'));
    expect(alert.params).toMatchObject({ show_alert: true, text: expect.stringContaining('act as viewers') });
    for (const typed of ['please go on', '/kill']) {
      tg.userMessage(ALICE, typed, topic.message_thread_id);
    }
    await until(
      'two refusals in the topic',
      () =>
        inTopic(tg, topic.message_thread_id).filter((m) => m.text.includes('channels.telegram.role: viewer'))
          .length === 2,
    );
    const s = await (await api(server, `/v1/sessions/${session.id}`)).json();
    expect(s.status).not.toBe('killed');
    expect(s.pendingPermission).not.toBeNull();
    expect(existsSync(join(base, 'v.txt'))).toBe(false);
    const audit = JSON.stringify(await (await api(server, '/v1/audit?actorId=telegram:1001')).json());
    for (const action of ['approve', 'prompt', 'kill']) {
      expect(audit).toMatch(
        new RegExp(`"actorRole":"viewer","action":"channels.telegram.${action}"[^}]*"outcome":"refused"`),
      );
    }
  });

  it('an operator (the default) drives the sessions it started from the chat, not the others', async () => {
    const { base, tg, server } = await setup({ role: 'operator' });
    tg.userMessage(ALICE, `/new ${base} mine`);
    const own = await until('its topic', () => tg.topics[0]);
    await until('the reply', () =>
      inTopic(tg, own.message_thread_id).find((m) => m.text === 'You said: mine'),
    );
    tg.userMessage(ALICE, 'and more', own.message_thread_id);
    await until('the reply to the typed prompt', () =>
      inTopic(tg, own.message_thread_id).find((m) => m.text === 'You said: and more'),
    );
    const list = await (await api(server, '/v1/sessions')).json();
    expect(list.sessions.map((x: { ownerId: string | null }) => x.ownerId)).toEqual(['telegram:1001']);

    // A session someone else started (here the local user) shows in the group but is not its to drive.
    await createSession(server, base, 'not hers');
    const other = await until('the other topic', () => tg.topics[1]);
    await until('its reply', () =>
      inTopic(tg, other.message_thread_id).find((m) => m.text === 'You said: not hers'),
    );
    tg.userMessage(ALICE, 'hijack', other.message_thread_id);
    const refusal = await until('the refusal', () =>
      inTopic(tg, other.message_thread_id).find((m) => m.text.startsWith('Could not prompt')),
    );
    expect(refusal.text).toContain('acts as operator (channels.telegram.role)');
    expect(refusal.text).toContain('channels.telegram.role: admin');
    const audit = JSON.stringify(await (await api(server, '/v1/audit?actorId=telegram:1001')).json());
    expect(audit).toMatch(/"actorRole":"operator","action":"channels.telegram.prompt"[^}]*"outcome":"ok"/);
    expect(audit).toMatch(
      /"actorRole":"operator","action":"channels.telegram.prompt"[^}]*"outcome":"SESSION_NOT_FOUND"/,
    );
  });

  it('with a templates filter, follows only the sessions made from those templates (by name or id)', async () => {
    const { base, tg, server } = await setup({ sessions: { templates: ['ci-*'] } });
    const made = await api(server, '/v1/templates', {
      method: 'POST',
      body: JSON.stringify({ name: 'ci-build', prompt: 'from the template' }),
    });
    const template = (await made.json()) as { id: string };
    expect(made.status, JSON.stringify(template)).toBe(201);
    expect(template.id).not.toMatch(/^ci-/);
    const plain = await createSession(server, base, 'not from a template');
    // The plain session's turn ends first: its events come before the other's in the log, which
    // the channel reads in order, so had they been taken they would be in Telegram by the end.
    await until('the plain turn', async () => {
      const s = await (await api(server, `/v1/sessions/${plain.id}`)).json();
      return s.status === 'idle' && s.turns >= 1;
    });
    const res = await api(server, '/v1/sessions', {
      method: 'POST',
      body: JSON.stringify({ workDir: base, templateId: template.id, reuse: false }),
    });
    const fromTemplate = (await res.json()) as { id: string };
    expect(res.status, JSON.stringify(fromTemplate)).toBe(201);
    const topic = await until('the topic', () => tg.topics[0]);
    expect(topic.name).toContain(fromTemplate.id.slice(0, 8));
    await until('its reply', () =>
      inTopic(tg, topic.message_thread_id).find((m) => m.text === 'You said: from the template'),
    );
    expect(tg.topics).toHaveLength(1);
    expect(tg.messages.some((m) => m.text.includes('not from a template'))).toBe(false);
  });
});
