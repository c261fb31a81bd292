// SSE resume from the durable log, through a real server on SQLite: a client that drops after a few
// frames and comes back with Last-Event-ID after 10,000+ events gets every one, once; heartbeats keep
// an idle stream alive.
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAcpDriver } from '@aegis/acp-runtime';
import { createAegis, createMemoryStore } from '@aegis/core';
import { SCRIPTED_AGENT_BIN, script } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from './app.js';
import { type Booted, boot } from './auth/__fixtures__/attack-server.js';
import { checkWorkDir } from './workdir.js';

vi.setConfig({ testTimeout: 60_000 });

/** Reads frames until `until` says stop (or the stream ends), then disconnects. */
async function readFrames(
  url: string,
  headers: Record<string, string>,
  until: (frames: { id: number; type: string }[], raw: string) => boolean,
) {
  const ac = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: ac.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const frames: { id: number; type: string }[] = [];
  let raw = '';
  let buf = '';
  try {
    while (!until(frames, raw)) {
      const { value, done } = await reader.read();
      if (done) break;
      const text = decoder.decode(value, { stream: true });
      raw += text;
      buf += text;
      let end = buf.indexOf('\n\n');
      while (end >= 0) {
        const block = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const id = /^id: (\d+)$/m.exec(block)?.[1];
        const type = /^event: (.+)$/m.exec(block)?.[1];
        if (id && type) frames.push({ id: Number(id), type });
        end = buf.indexOf('\n\n');
      }
    }
  } finally {
    ac.abort();
  }
  return { frames, raw };
}

describe('SSE resume after 10,000 events (real server, SQLite)', () => {
  let s: Booted;
  beforeAll(async () => {
    s = await boot({ limits: { requestsPerMinute: 100_000 } });
  });
  afterAll(() => s.server.close());

  it('a client that drops and reconnects with Last-Event-ID misses no event and sees none twice', async () => {
    const dir = join(s.work, 'bulk');
    mkdirSync(dir);
    const created = await s.call('POST', '/v1/sessions', {
      body: { workDir: dir, prompt: script({ thoughtsBulk: 10_000 }, { say: 'done' }) },
    });
    expect(created.status).toBe(201);
    const id = created.body.session.id as string;
    let session: { status: string; lastSeq: number } = created.body.session;
    for (let i = 0; i < 600 && session.status !== 'idle'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      session = (await s.call('GET', `/v1/sessions/${id}`)).body;
    }
    expect(session.status).toBe('idle');
    expect(session.lastSeq).toBeGreaterThan(10_000);

    const url = `${s.server.url}/v1/sessions/${id}/events`;
    const first = await readFrames(url, {}, (f) => f.length >= 250);
    const lastSeen = first.frames.at(-1)!.id;
    const rest = await readFrames(
      url,
      { 'last-event-id': String(lastSeen) },
      (f) => f.at(-1)?.id === session.lastSeq,
    );
    const ids = [...first.frames, ...rest.frames].map((f) => f.id);
    const distinct = new Set(ids);
    expect(ids[0]).toBe(1);
    expect(distinct.size).toBe(ids.length);
    expect(ids.at(-1)).toBe(session.lastSeq);
    expect(ids).toEqual(ids.map((_, i) => i + 1));
    expect(rest.frames[0]!.id).toBe(lastSeen + 1);
    expect(rest.frames.filter((f) => f.type === 'thought.delta').length).toBeGreaterThan(9_000);

    // The global stream resumes the same way, by global id.
    const global = await readFrames(`${s.server.url}/v1/events`, { 'last-event-id': '5000' }, (f) =>
      f.some((e) => e.type === 'turn.completed'),
    );
    const gids = global.frames.map((f) => f.id);
    expect(gids[0]).toBe(5001);
    expect(gids).toEqual(gids.map((_, i) => i + 5001));
  });
});

describe('the global event stream, live, with sessions streaming at once (real server, SQLite)', () => {
  let s: Booted;
  beforeAll(async () => {
    s = await boot({ limits: { requestsPerMinute: 100_000 } });
  });
  afterAll(() => s.server.close());

  it('delivers every event of every session once, in global id order, as it happens', async () => {
    let total = Number.POSITIVE_INFINITY;
    // Connected before anything exists, so everything after the (empty) replay arrives live.
    const global = readFrames(
      `${s.server.url}/v1/events`,
      {},
      (f) => f.filter((e) => e.id <= total).length >= total,
    );
    await new Promise((r) => setTimeout(r, 200));
    const burst = Array.from({ length: 10 }, () => [{ thoughtsBulk: 150 }, { sleep: 5 }]).flat();
    const ids = await Promise.all(
      ['a', 'b', 'c'].map(async (name) => {
        const dir = join(s.work, `global-${name}`);
        mkdirSync(dir);
        const res = await s.call('POST', '/v1/sessions', {
          body: { workDir: dir, prompt: script(...(burst as Parameters<typeof script>)) },
        });
        expect(res.status).toBe(201);
        return res.body.session.id as string;
      }),
    );
    for (const id of ids) {
      for (let i = 0; i < 600; i++) {
        if ((await s.call('GET', `/v1/sessions/${id}`)).body.status === 'idle') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await s.call('DELETE', `/v1/sessions/${id}`)).status).toBe(200);
    }
    const seqs = await Promise.all(
      ids.map(async (id) => (await s.call('GET', `/v1/sessions/${id}`)).body.lastSeq),
    );
    total = seqs.reduce((a: number, b: number) => a + b, 0);
    expect(total).toBeGreaterThan(3 * 1500);
    // One more event so the reader looks again now that it knows how many to expect.
    const dir = join(s.work, 'global-tail');
    mkdirSync(dir);
    await s.call('POST', '/v1/sessions', { body: { workDir: dir } });
    const { frames } = await global;
    const seen = frames.filter((f) => f.id <= total).map((f) => f.id);
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });
});

describe('SSE heartbeats', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-hb-')));
  const driver = createAcpDriver({
    agents: { scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] } },
    defaultAgent: 'scripted',
  });
  const aegis = createAegis({
    agent: driver,
    store: createMemoryStore(),
    resolveWorkDir: async (d) => checkWorkDir(d, [root]),
  });
  const app = createApp({ aegis, agents: driver.agents, heartbeatMs: 50 });
  afterAll(() => aegis.close());

  it('an idle stream gets a `: ping` comment every heartbeat interval', async () => {
    const { session } = await aegis.sessions.create({ workDir: root });
    const ac = new AbortController();
    const res = await app.request(`/v1/sessions/${session.id}/events`, { signal: ac.signal });
    const reader = res.body!.getReader();
    let text = '';
    while ((text.match(/^: ping$/gm) ?? []).length < 3) {
      text += new TextDecoder().decode((await reader.read()).value);
    }
    ac.abort();
    expect(text).toContain('event: session.created');
    expect((text.match(/^: ping$/gm) ?? []).length).toBeGreaterThanOrEqual(3);
  });
});
