// Revocation reaches what a key already opened (issue 22, item 5), through a real server on port 0
// with SQLite and the scripted agent: its open event streams end, its unused event-stream tokens
// stop working, and its pipelines start no more stages.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { script } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Booted, boot, firstFrame } from './__fixtures__/attack-server.js';

vi.setConfig({ testTimeout: 60_000 });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const opened: AbortController[] = [];
afterAll(() => {
  for (const ac of opened) ac.abort();
});

/** Opens an event stream and reports when it ends, with the event types it received. */
async function openStream(url: string, headers: Record<string, string>) {
  const ac = new AbortController();
  opened.push(ac);
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: ac.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let raw = '';
  const ended = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return true;
        raw += decoder.decode(value, { stream: true });
      }
    } catch {
      return true;
    }
  })();
  return {
    get types() {
      return [...raw.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
    },
    /** True once the server ended the stream; false if it is still open after `ms`. */
    endedWithin: (ms: number) => Promise.race([ended, sleep(ms).then(() => false)]),
    close: () => ac.abort(),
  };
}

describe('revoking or rotating a key (real server, SQLite)', () => {
  let s: Booted;
  let root: string;
  let dirs = 0;
  const newDir = () => {
    const dir = join(s.work, `d${++dirs}`);
    mkdirSync(dir);
    return dir;
  };
  beforeAll(async () => {
    s = await boot({ limits: { requestsPerMinute: 100_000 } });
    root = await s.key('admin');
  });
  afterAll(() => s.server.close());
  /** A new key (created by the root admin): its secret and id. */
  const newKey = async (role: 'admin' | 'operator') => {
    const res = await s.call('POST', '/v1/auth/keys', { token: root, body: { name: role, role } });
    expect(res.status).toBe(201);
    return { secret: res.body.secret as string, id: res.body.key.id as string };
  };

  it("ends the revoked key's open /v1/events stream at once; it receives nothing after", async () => {
    const victim = await newKey('admin');
    const stream = await openStream(`${s.server.url}/v1/events`, {
      authorization: `Bearer ${victim.secret}`,
    });
    const other = await openStream(`${s.server.url}/v1/events`, { authorization: `Bearer ${root}` });
    expect((await s.call('DELETE', `/v1/auth/keys/${victim.id}`, { token: root })).status).toBe(200);
    expect(await stream.endedWithin(5000)).toBe(true);
    const seen = stream.types.length;
    await s.call('POST', '/v1/sessions', { token: root, body: { workDir: newDir() } });
    await sleep(300);
    expect(stream.types.length).toBe(seen);
    // Another key's stream is untouched.
    expect(await other.endedWithin(300)).toBe(false);
    expect(other.types).toContain('session.created');
    other.close();
  });

  it('ends the streams of a key rotated without grace, and voids the tokens it minted before', async () => {
    const victim = await newKey('admin');
    const stream = await openStream(`${s.server.url}/v1/events`, {
      authorization: `Bearer ${victim.secret}`,
    });
    const minted = await s.call('POST', '/v1/auth/sse-token', { token: victim.secret, body: {} });
    expect(minted.status).toBe(201);
    const rotated = await s.call('POST', `/v1/auth/keys/${victim.id}/rotate`, {
      token: root,
      body: { gracePeriodSeconds: 0 },
    });
    expect(rotated.status).toBe(200);
    expect(await stream.endedWithin(5000)).toBe(true);
    const used = await firstFrame(`${s.server.url}/v1/events?token=${minted.body.token}`);
    expect(used.status).toBe(401);
    expect(used.data.error.message).toMatch(/revoked or its secret rotated; mint a new token/);
    // The new secret works, and so does a token it mints.
    const fresh = await s.call('POST', '/v1/auth/sse-token', { token: rotated.body.secret, body: {} });
    expect((await firstFrame(`${s.server.url}/v1/events?token=${fresh.body.token}`)).status).toBe(200);
  });

  it('leaves streams and tokens alone when a rotation keeps a grace period', async () => {
    const key = await newKey('admin');
    const stream = await openStream(`${s.server.url}/v1/events`, { authorization: `Bearer ${key.secret}` });
    const minted = await s.call('POST', '/v1/auth/sse-token', { token: key.secret, body: {} });
    const rotated = await s.call('POST', `/v1/auth/keys/${key.id}/rotate`, {
      token: root,
      body: { gracePeriodSeconds: 600 },
    });
    expect(rotated.status).toBe(200);
    expect(await stream.endedWithin(300)).toBe(false);
    expect((await firstFrame(`${s.server.url}/v1/events?token=${minted.body.token}`)).status).toBe(200);
    stream.close();
  });

  it("ends a stream opened with a rotated secret once the rotation's grace ends", async () => {
    const key = await newKey('admin');
    const stream = await openStream(`${s.server.url}/v1/events`, { authorization: `Bearer ${key.secret}` });
    const rotated = await s.call('POST', `/v1/auth/keys/${key.id}/rotate`, {
      token: root,
      body: { gracePeriodSeconds: 1 },
    });
    expect(rotated.status).toBe(200);
    const renewed = await openStream(`${s.server.url}/v1/events`, {
      authorization: `Bearer ${rotated.body.secret}`,
    });
    // Re-checked every 5 s: the old secret's stream ends within about 6 s, the new one's does not.
    expect(await stream.endedWithin(15_000)).toBe(true);
    expect(await renewed.endedWithin(100)).toBe(false);
    expect(s.logs.some((l) => l.includes('event stream closed: its credential no longer works'))).toBe(true);
    renewed.close();
  });

  it('ends the stream of a key that expires while it is open', async () => {
    const res = await s.call('POST', '/v1/auth/keys', {
      token: root,
      body: { name: 'short', role: 'admin', expiresAt: new Date(Date.now() + 1500).toISOString() },
    });
    expect(res.status).toBe(201);
    const stream = await openStream(`${s.server.url}/v1/events`, {
      authorization: `Bearer ${res.body.secret}`,
    });
    expect(await stream.endedWithin(15_000)).toBe(true);
  });

  it('ends a stream opened with an event-stream token when the key that minted it is revoked', async () => {
    const victim = await newKey('admin');
    const minted = await s.call('POST', '/v1/auth/sse-token', { token: victim.secret, body: {} });
    const stream = await openStream(`${s.server.url}/v1/events?token=${minted.body.token}`, {});
    await s.call('DELETE', `/v1/auth/keys/${victim.id}`, { token: root });
    expect(await stream.endedWithin(5000)).toBe(true);
  });

  it("starts no more stages of the revoked key's pipeline and fails it saying why", async () => {
    const operator = await newKey('operator');
    const created = await s.call('POST', '/v1/pipelines', {
      token: operator.secret,
      body: {
        name: 'revoked',
        stages: [
          { name: 'a', spec: { workDir: newDir(), prompt: script({ sleep: 1500 }, { say: 'a done' }) } },
          { name: 'b', dependsOn: ['a'], spec: { workDir: newDir(), prompt: script({ say: 'b' }) } },
        ],
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const stage = async (name: string) =>
      (await s.call('GET', `/v1/pipelines/${id}`, { token: root })).body.stages.find(
        (st: { name: string }) => st.name === name,
      );
    for (let i = 0; i < 100 && (await stage('a')).sessionId === null; i++) await sleep(50);
    expect((await stage('a')).status).toBe('running');

    expect((await s.call('DELETE', `/v1/auth/keys/${operator.id}`, { token: root })).status).toBe(200);
    const stopped = (await s.call('GET', `/v1/pipelines/${id}`, { token: root })).body;
    expect(stopped.status).toBe('failed');
    expect(stopped.error).toMatch(/was revoked, so no more stages are started on its behalf/);
    // Stage a's session finishes its turn; stage b is never started.
    for (let i = 0; i < 100 && (await stage('a')).status === 'running'; i++) await sleep(50);
    expect((await stage('a')).status).toBe('completed');
    await sleep(300);
    const b = await stage('b');
    expect(b).toMatchObject({ status: 'skipped', sessionId: null });
    expect(b.error).toMatch(/revoked/);
    const sessions = (await s.call('GET', '/v1/sessions?limit=100', { token: root })).body.sessions;
    expect(sessions.filter((x: { name: string }) => x.name === 'revoked/b')).toEqual([]);
  });
});
