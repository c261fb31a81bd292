import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { script, scriptedServerConfig, signInteraction, startFakeSlackApi } from '@aegis/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../__fixtures__/until.js';
import { type RunningServer, startServer } from '../server.js';

const SIGNING = 'slack-signing-secret-0123456789';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(role: 'admin' | 'operator' | 'viewer' = 'admin', socketMode = false) {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-slack-')));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const work = join(root, 'work');
  mkdirSync(work);
  const slack = await startFakeSlackApi();
  cleanups.push(() => slack.close());
  const server = await startServer({
    ignoreEnv: true,
    config: scriptedServerConfig(root, {
      channels: {
        slack: slack.channelConfig({ signingSecret: SIGNING, allowedUserIds: ['U1'], role, socketMode }),
      },
    }),
  });
  cleanups.push(() => server.close());
  return { work, slack, server };
}

const interact = (server: RunningServer, signed: { headers: Record<string, string>; body: string }) =>
  fetch(`${server.url}/v1/channels/slack/interactivity`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });

const press = (actionId: string, value: string, user = 'U1') => ({
  type: 'block_actions',
  user: { id: user, username: user.toLowerCase() },
  actions: [{ action_id: actionId, value }],
});

/** Starts a session whose agent asks permission to write `file` in `work`. */
const writeSession = (server: RunningServer, work: string, file: string, content: string) =>
  fetch(`${server.url}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      workDir: work,
      prompt: script({
        tool: { title: `Write ${file}`, kind: 'edit', permission: true, write: { path: file, content } },
      }),
    }),
  });

describe('Slack channel (Web API stand-in)', () => {
  it('threads a session, and an Approve click with a valid signature writes the file', async () => {
    const { work, slack, server } = await setup();
    await writeSession(server, work, 'a.txt', 'x');
    const ask = await until('the permission message', () => slack.messages.find((m) => m.blocks));
    const first = slack.messages[0];
    expect(first?.text).toMatch(/^🆕 Session/);
    expect(ask.thread_ts).toBe(first?.ts);
    const actions = (
      ask.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]
    ).find((b) => b.type === 'actions');
    expect(actions?.elements?.map((e) => e.action_id)).toEqual([
      'aegis_approve',
      'aegis_always',
      'aegis_reject',
    ]);

    // Forged and stale signatures are refused; an unlisted user is refused and nothing happens.
    const value = actions?.elements?.[0]?.value as string;
    const forged = signInteraction('not-the-secret', press('aegis_approve', value));
    expect((await interact(server, forged)).status).toBe(401);
    const stale = signInteraction(
      SIGNING,
      press('aegis_approve', value),
      Math.floor(Date.now() / 1000) - 600,
    );
    expect((await interact(server, stale)).status).toBe(401);
    expect(
      (await interact(server, signInteraction(SIGNING, press('aegis_approve', value, 'U666')))).status,
    ).toBe(200);
    expect(existsSync(join(work, 'a.txt'))).toBe(false);

    expect((await interact(server, signInteraction(SIGNING, press('aegis_approve', value)))).status).toBe(
      200,
    );
    await until('the file', () => existsSync(join(work, 'a.txt')));
    await until('the update', () => ask.updates.length > 0);
    expect(ask.text).toMatch(/✅ Approved by <@U1>$/);
    expect(ask.blocks).toEqual([]);
    // The reply goes into the same thread.
    await until('the reply', () =>
      slack.messages.find((m) => m.thread_ts === first?.ts && /Turn completed|Wrote|You/.test(m.text)),
    );
  });

  it('answers a malformed interactivity body with 400, and waits out a 429 Retry-After', async () => {
    const { work, slack, server } = await setup();
    const bad = signInteraction(SIGNING, {});
    const res = await interact(server, { headers: bad.headers, body: 'payload=%7Bnot-json' });
    expect(res.status).toBe(401); // the body is part of the signature
    const ts = Math.floor(Date.now() / 1000);
    const { createHmac } = await import('node:crypto');
    const body = 'payload=%7Bnot-json';
    const sig = `v0=${createHmac('sha256', SIGNING).update(`v0:${ts}:${body}`).digest('hex')}`;
    const malformed = await interact(server, {
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': sig,
      },
      body,
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');

    slack.setFault({ retryAfter: 2 });
    const t0 = Date.now();
    await fetch(`${server.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workDir: work, prompt: 'rate limited' }),
    });
    await until('the 429', () => slack.messages.length === 0 && Date.now() - t0 > 300);
    const { channels } = (await (await fetch(`${server.url}/v1/channels`)).json()) as {
      channels: { name: string; pausedUntil: string | null }[];
    };
    expect(channels.find((c) => c.name === 'slack')?.pausedUntil).toBeTruthy();
    slack.setFault(null);
    await until('the reply', () => slack.messages.find((m) => m.text === 'You said: rate limited'));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
  });

  it.each([
    ['viewer', /act as viewers \(channels\.slack\.role: viewer\)/],
    ['operator', /acts as operator \(channels\.slack\.role\) and may only act on the sessions it started/],
  ] as const)(
    'refuses a %s clicking Approve on a session it may not drive, tells them why, and audits it',
    async (role, why) => {
      const { work, slack, server } = await setup(role);
      const created = await writeSession(server, work, 'b.txt', 'y');
      const session = (await created.json()) as { id: string };
      const ask = await until('the permission message', () => slack.messages.find((m) => m.blocks));
      const actions = (ask.blocks as { type: string; elements?: { value: string }[] }[]).find(
        (b) => b.type === 'actions',
      );
      const value = actions?.elements?.[0]?.value as string;
      expect((await interact(server, signInteraction(SIGNING, press('aegis_approve', value)))).status).toBe(
        200,
      );
      const told = await until('the ephemeral refusal', () => slack.ephemeral[0]);
      expect(told).toMatchObject({ user: 'U1', text: expect.stringMatching(why) });
      const audit = (await (await fetch(`${server.url}/v1/audit?actorId=slack:U1`)).json()) as {
        records?: unknown[];
      };
      expect(JSON.stringify(audit)).toContain(`"actorRole":"${role}"`);
      expect(JSON.stringify(audit)).toContain('"outcome":"refused"');
      const now = (await (await fetch(`${server.url}/v1/sessions/${session.id}`)).json()) as {
        pendingPermission: unknown;
      };
      expect(now.pendingPermission).not.toBeNull();
      expect(existsSync(join(work, 'b.txt'))).toBe(false);
    },
  );

  it('takes a click over Socket Mode: connects with the app-level token, acknowledges, writes the file', async () => {
    const { work, slack, server } = await setup('admin', true);
    await until('the Socket Mode connection', () => slack.socketConnections() === 1);
    const open = slack.calls.find((c) => c.method === 'apps.connections.open');
    expect(open).toBeDefined();
    await writeSession(server, work, 's.txt', 'z');
    const ask = await until('the permission message', () => slack.messages.find((m) => m.blocks));
    const actions = (ask.blocks as { type: string; elements?: { value: string }[] }[]).find(
      (b) => b.type === 'actions',
    );
    const value = actions?.elements?.[0]?.value as string;
    // An unlisted user's click is acknowledged (Slack needs that) but does nothing.
    await slack.sendInteractive({ ...press('aegis_approve', value, 'U666'), message: { ts: ask.ts } });
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(join(work, 's.txt'))).toBe(false);
    await slack.sendInteractive({ ...press('aegis_approve', value), message: { ts: ask.ts } });
    await until('the file', () => existsSync(join(work, 's.txt')));
    await until('the message says who', () => ask.updates.some((u) => u.text.includes('Approved by <@U1>')));
    // Stopping the server closes the connection.
    await server.close();
    await until('the connection closed', () => slack.socketConnections() === 0);
  });
});
