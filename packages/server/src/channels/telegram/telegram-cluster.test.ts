// Two real servers sharing one PostgreSQL schema and one Telegram bot (the Bot API stand-in, which
// answers 409 to a long poll cut off by another poller, as Telegram does): one node at a time polls
// and delivers the outbox, every session's messages reach Telegram once each whichever node runs
// it, and when the runner stops the other node takes over. Needs PostgreSQL (AEGIS_TEST_POSTGRES_URL).
import { createHash, createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FakeTelegramApi, script, startFakeTelegramApi } from '@aegis/testkit';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { dropSchemas, PG_URL, startChannelCluster } from '../../__fixtures__/channel-cluster.js';
import { until as waitUntil } from '../../__fixtures__/until.js';
import type { RunningServer } from '../../server.js';

vi.setConfig({ testTimeout: 90_000 });

const ALICE = { id: 1001, first_name: 'Alice', username: 'alice' };
const schemas: string[] = [];
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => dropSchemas(schemas));

const until = <T>(
  what: string,
  get: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 20_000,
) => waitUntil(what, get, ms, 50);

/** The bootstrap admin token of the nodes started with `{ auth: true }`. */
const ADMIN = 'cluster-admin-token-0123456789';

async function twoNodes(opts: { auth?: boolean } = {}) {
  const tg = await startFakeTelegramApi();
  cleanups.push(() => tg.close());
  const { work, schema, nodes } = await startChannelCluster({
    name: 'tgcl',
    cleanups,
    // With a token, a request without credentials is refused: a chat user's forwarded action
    // carries none, only the nodes' signature.
    ...(opts.auth ? { authToken: ADMIN } : {}),
    channels: {
      // The sessions here are the local user's: an admin may drive them from the chat.
      telegram: tg.channelConfig({ allowedUserIds: [ALICE.id], role: 'admin' }),
    },
  });
  schemas.push(schema);
  if (opts.auth) for (const server of Object.values(nodes)) withToken.add(server);
  return { tg, work, nodes };
}

/** The nodes started with a token, which the test's own requests then carry. */
const withToken = new WeakSet<RunningServer>();

const api = async (server: RunningServer, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(withToken.has(server) ? { authorization: `Bearer ${ADMIN}` } : {}),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: bodies are asserted field by field
  return { status: res.status, body: (await res.json()) as any };
};

const telegramOf = async (server: RunningServer) =>
  (await api(server, 'GET', '/v1/channels')).body.channels.find(
    (c: { name: string }) => c.name === 'telegram',
  );

const inTopic = (tg: FakeTelegramApi, thread: number) =>
  tg.messages.filter((m) => m.message_thread_id === thread);

/** A session's topic (found by the id in its name) once its reply is in it. */
async function delivered(tg: FakeTelegramApi, sessionId: string, reply: string) {
  const topic = await until(`the topic of ${sessionId}`, () =>
    tg.topics.find((t) => t.name.includes(sessionId.slice(0, 8))),
  );
  await until(`"${reply}"`, () => inTopic(tg, topic.message_thread_id).some((m) => m.text === reply));
  return topic;
}

describe('Telegram on a cluster of two nodes', () => {
  it('one node polls and delivers at a time, each message once; when it stops the other takes over', async () => {
    const { tg, work, nodes } = await twoNodes();
    const runner = await until(
      'a runner',
      async () => (await telegramOf(nodes['node-a'])).runner as string | null,
    );
    // The other node sees the same runner once it has looked (it tries for the lease every 500 ms).
    await until('both nodes name it', async () => (await telegramOf(nodes['node-b'])).runner === runner);
    const runnerNode = nodes[runner as 'node-a' | 'node-b'];
    const other = runner === 'node-a' ? 'node-b' : 'node-a';
    const otherNode = nodes[other];
    expect(await telegramOf(runnerNode)).toMatchObject({ state: 'ok', runner });

    // Sessions on both nodes: every one's messages reach Telegram, from the runner, once each.
    const sessions: { id: string; on: string; prompt: string }[] = [];
    for (let i = 0; i < 6; i++) {
      const on = i % 2 === 0 ? 'node-a' : 'node-b';
      const prompt = `hello ${i}`;
      const created = await api(nodes[on as 'node-a'], 'POST', '/v1/sessions', {
        workDir: work,
        prompt,
        reuse: false,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      // Placement may run it on either node: what counts is where it runs.
      sessions.push({ id: created.body.id, on: created.body.node, prompt });
    }
    for (const s of sessions) await delivered(tg, s.id, `You said: ${s.prompt}`);

    // A prompt typed in the topic of a session the runner owns goes to it once; its reply comes back once.
    const mine = sessions.find((s) => s.on === runner) as (typeof sessions)[number];
    expect(new Set(sessions.map((s) => s.on))).toEqual(new Set(['node-a', 'node-b']));
    const topic = await delivered(tg, mine.id, `You said: ${mine.prompt}`);
    tg.userMessage(ALICE, 'typed on the phone', topic.message_thread_id);
    await until('the typed reply', () =>
      inTopic(tg, topic.message_thread_id).some((m) => m.text === 'You said: typed on the phone'),
    );

    // The runner stops: the other node takes the channels over, and its sessions (and the stopped
    // node's, which it adopts) keep reaching Telegram; typed prompts are now read by it.
    await runnerNode.close();
    await until('the takeover', async () => (await telegramOf(otherNode)).runner === other);
    const later = await api(otherNode, 'POST', '/v1/sessions', {
      workDir: work,
      prompt: 'after the takeover',
      reuse: false,
    });
    expect(later.status).toBe(201);
    const laterTopic = await delivered(tg, later.body.id, 'You said: after the takeover');
    tg.userMessage(ALICE, 'typed after the takeover', laterTopic.message_thread_id);
    await until('the reply to the typed prompt', () =>
      inTopic(tg, laterTopic.message_thread_id).some((m) => m.text === 'You said: typed after the takeover'),
    );

    // Never two pollers at once (Telegram would have cut one off with a 409), and nothing twice:
    // one topic per session, and no message text twice in a topic.
    expect(tg.conflicts).toBe(0);
    expect(tg.topics).toHaveLength(sessions.length + 1);
    for (const t of tg.topics) {
      const texts = inTopic(tg, t.message_thread_id).map((m) => m.text);
      expect(texts.length, t.name).toBeGreaterThanOrEqual(2);
      expect(new Set(texts).size, `${t.name}: ${JSON.stringify(texts)}`).toBe(texts.length);
    }
    const sendsByEvent = await outboxRows(schemas.at(-1) as string);
    expect(sendsByEvent.every((r) => r.n === 1 && r.state === 'sent')).toBe(true);
  });
});

describe('Telegram actions on a session another node runs', () => {
  it('a button press and typed commands on the runner act on the owner node, as the Telegram user', async () => {
    const { tg, work, nodes } = await twoNodes({ auth: true });
    const runner = await until(
      'a runner',
      async () => (await telegramOf(nodes['node-a'])).runner as string | null,
    );
    const other = runner === 'node-a' ? 'node-b' : 'node-a';
    await until('both nodes name it', async () => (await telegramOf(nodes[other])).runner === runner);

    // A session on the node that does not poll Telegram asks to write a file.
    const created = await api(nodes[other], 'POST', '/v1/sessions', {
      workDir: work,
      reuse: false,
      prompt: script(
        {
          tool: {
            title: 'Write remote.txt',
            kind: 'edit',
            diff: { path: 'remote.txt', oldText: null, newText: 'from the phone\n' },
            permission: true,
            write: { path: 'remote.txt', content: 'from the phone\n' },
          },
        },
        { say: 'Wrote it over there.' },
      ),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.node).toBe(other);
    const id = created.body.id as string;
    const topic = await until('the topic', () => tg.topics.find((t) => t.name.includes(id.slice(0, 8))));
    const ask = await until('the permission message', () =>
      inTopic(tg, topic.message_thread_id).find((m) => m.text.startsWith('🔐')),
    );
    const approve = (
      ask.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat()[0];
    expect(approve?.text).toBe('Approve');

    // The runner takes the press; the owner approves it and the agent writes the file.
    tg.pressButton(ALICE, ask.message_id, approve?.callback_data as string);
    const file = join(work, 'remote.txt');
    await until('the file', () => existsSync(file) && readFileSync(file, 'utf8') === 'from the phone\n');
    await until('the edit', () => ask.edits.length > 0);
    expect(ask.text).toMatch(/✅ Approved by @alice$/);
    await until('the reply', () =>
      inTopic(tg, topic.message_thread_id).some((m) => m.text === 'Wrote it over there.'),
    );
    const pressed = tg.calls.filter((c) => c.method === 'answerCallbackQuery');
    expect(pressed.map((c) => c.params.text)).toEqual(['✅ Approved']);

    // The decision was made on the owner, by the Telegram user; the audit names them.
    const session = await api(nodes[other], 'GET', `/v1/sessions/${id}`);
    expect(session.body.node).toBe(other);
    const [resolved] = await query<{ data: { decidedBy: unknown } }>(
      `select data from "${schemas.at(-1)}"."events" where session_id = $1 and type = 'permission.resolved'`,
      [id],
    );
    expect(resolved?.data.decidedBy).toMatchObject({ actor: 'telegram:1001' });
    const audit = await api(nodes[runner as 'node-a'], 'GET', '/v1/audit?action=channels.telegram.approve');
    expect(audit.body.records ?? audit.body.entries).toEqual([
      expect.objectContaining({ actorId: 'telegram:1001', actorRole: 'admin', outcome: 'ok', target: id }),
    ]);

    // A prompt typed in the topic, /status and /kill go the same way.
    tg.userMessage(ALICE, 'typed for the other node', topic.message_thread_id);
    await until('the typed reply', () =>
      inTopic(tg, topic.message_thread_id).some((m) => m.text === 'You said: typed for the other node'),
    );
    tg.userMessage(ALICE, '/kill', topic.message_thread_id);
    await until(
      'killed',
      async () => (await api(nodes[other], 'GET', `/v1/sessions/${id}`)).body.status === 'killed',
    );
    // Audited once it is done, with the Telegram user.
    for (const action of ['channels.telegram.prompt', 'channels.telegram.kill']) {
      await until(`the ${action} record`, async () => {
        const all = await api(nodes[other], 'GET', `/v1/audit?action=${action}`);
        return ((all.body.records ?? all.body.entries) as { actorId: string; outcome: string }[]).some(
          (r) => r.actorId === 'telegram:1001' && r.outcome === 'ok',
        );
      });
    }
    // Nobody could say "I am a Telegram user" without the nodes' signature.
    const forged = await fetch(`${nodes[other].url}/v1/sessions/${id}/send`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-aegis-forwarded-by': runner as string,
        'x-aegis-forward-signature': `${Date.now()}.${'0'.repeat(64)}`,
        'x-aegis-forward-actor': JSON.stringify({ id: 'telegram:1001', role: 'admin' }),
      },
      body: JSON.stringify({ text: 'forged' }),
    });
    expect(forged.status).toBe(401);
    // Signed with the nodes' secret, the header is taken only for a chat user: no node can pass
    // for an API key (or anyone else) this way.
    const [{ secret }] = (await query<{ secret: string }>(
      `select "secret" from "${schemas.at(-1)}"."cluster_secrets" where "name" = 'forwarding'`,
    )) as [{ secret: string }];
    const signed = (actor: object) => {
      const path = `/v1/sessions/${id}/interrupt`;
      const at = String(Date.now());
      const onBehalf = JSON.stringify(actor);
      const mac = createHmac('sha256', secret)
        .update([runner, 'POST', path, at, createHash('sha256').digest('hex'), onBehalf].join('\n'))
        .digest('hex');
      return fetch(`${nodes[other].url}${path}`, {
        method: 'POST',
        headers: {
          'x-aegis-forwarded-by': runner as string,
          'x-aegis-forward-signature': `${at}.${mac}`,
          'x-aegis-forward-actor': onBehalf,
        },
      });
    };
    expect((await signed({ id: 'bootstrap', role: 'admin' })).status).toBe(401);
    expect((await signed({ id: 'telegram:1001', role: 'root' })).status).toBe(401);
    // The session was killed above: the chat user is let in, and told so.
    const chat = await signed({ id: 'telegram:1001', role: 'admin' });
    expect(chat.status).toBe(409);
    expect(((await chat.json()) as { error: { code: string } }).error.code).toBe('SESSION_TERMINATED');
  });
});

/** Each Telegram outbox item: how many rows its event has (one) and its state. */
const outboxRows = (schema: string) =>
  query<{ n: number; state: string }>(
    `select count(*)::int as n, min(state) as state from "${schema}"."channel_outbox" where channel = 'telegram' group by event_id`,
  );

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
