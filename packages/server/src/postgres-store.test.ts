// A real server on the machine's PostgreSQL, end to end with the scripted agent: sessions, prompts,
// events (per session and the global stream), transcript, keys and audit; then a restart on the same
// database finds everything. Needs PostgreSQL (AEGIS_TEST_POSTGRES_URL); an unreachable one fails.
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { script, scriptedServerConfig } from '@aegis/testkit';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type FrameId, readFrames } from './__fixtures__/sse-frames.js';
import { type RunningServer, startServer } from './server.js';

vi.setConfig({ testTimeout: 60_000 });

const PG_URL = process.env.AEGIS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `aegis_srv_${process.pid}_${Date.now().toString(36)}`;

async function pgQuery<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await pgQuery(`drop schema if exists "${schema}" cascade`);
});

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-pg-server-')));
const work = join(base, 'work');
mkdirSync(work, { recursive: true });

const start = () =>
  startServer({
    ignoreEnv: true,
    config: scriptedServerConfig(base, {
      sessionStore: 'postgres' as const,
      postgresUrl: PG_URL,
      pgSchema: schema,
      pgPoolMax: 4,
      // A session left live by the first server is not reopened by the second: this test is about
      // the data, and a clean close ends nothing.
      resumeOnRestart: false,
    }),
  });

/** Once a key exists, loopback access needs it too. */
let token: string | undefined;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
async function call(server: RunningServer, method: string, path: string, body?: unknown): Promise<any> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(server.url + path, {
    method,
    headers,
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function waitFor(server: RunningServer, id: string, status: string) {
  for (let i = 0; i < 400; i++) {
    const s = await call(server, 'GET', `/v1/sessions/${id}`);
    if (s.body.status === status) return s.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`session ${id} never became ${status}`);
}

const frames = (url: string, enough: (f: FrameId[]) => boolean) =>
  readFrames(url, enough, token ? { authorization: `Bearer ${token}` } : {});

describe('a real server on PostgreSQL (scripted agent)', () => {
  it('creates, prompts, streams and reads a session, and finds it all again after a restart', async () => {
    const first = await start();
    let id: string;
    let lastSeq: number;
    let transcript: unknown[];
    let globalIds: number[];
    try {
      const created = await call(first, 'POST', '/v1/sessions', {
        workDir: work,
        prompt: script(
          { say: 'Hello from PostgreSQL.' },
          { tool: { title: 'Look', kind: 'read', output: 'ok' } },
        ),
      });
      expect(created.status).toBe(201);
      id = created.body.session.id;
      await waitFor(first, id, 'idle');
      expect(
        (await call(first, 'POST', `/v1/sessions/${id}/send`, { text: script({ say: 'Second turn.' }) }))
          .status,
      ).toBe(202);
      await waitFor(first, id, 'idle');
      const session = (await call(first, 'GET', `/v1/sessions/${id}`)).body;
      lastSeq = session.lastSeq;
      expect(session.turns).toBe(2);

      // The per-session stream replays the durable log: seq 1..lastSeq, in order, once each.
      const perSession = await frames(`${first.url}/v1/sessions/${id}/events`, (f) => f.length >= lastSeq);
      expect(perSession.map((f) => f.id)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
      expect(perSession.filter((f) => f.type === 'turn.completed')).toHaveLength(2);
      // The global stream: ids strictly increasing, the same events.
      const global = await frames(`${first.url}/v1/events`, (f) => f.length >= lastSeq);
      globalIds = global.map((f) => f.id);
      expect(globalIds).toEqual([...globalIds].sort((a, b) => a - b));
      expect(global.map((f) => f.type)).toEqual(perSession.map((f) => f.type));

      const read = await call(first, 'GET', `/v1/sessions/${id}/read`);
      transcript = read.body.entries;
      expect(read.body.entries.map((e: { role: string }) => e.role)).toEqual([
        'user',
        'assistant',
        'tool',
        'user',
        'assistant',
      ]);
      expect(read.body.entries[1].text).toBe('Hello from PostgreSQL.');

      const key = await call(first, 'POST', '/v1/auth/keys', { name: 'ci', role: 'admin' });
      expect(key.status).toBe(201);
      token = key.body.secret;
    } finally {
      await first.close();
    }

    // What the server wrote is in PostgreSQL, in the configured schema.
    // (Closing the server ends the live session, which appends its last events.)
    const [count] = await pgQuery<{ n: number; max: number }>(
      `select count(*)::int as n, max("seq") as max from "${schema}"."events" where "session_id" = $1`,
      [id],
    );
    expect(count?.n).toBe(count?.max);
    expect(count?.n).toBeGreaterThanOrEqual(lastSeq);

    const second = await start();
    try {
      // The key is in the database: the restarted server requires it (no zero-config access any more).
      const saved = token;
      token = undefined;
      expect((await call(second, 'GET', `/v1/sessions/${id}`)).status).toBe(401);
      token = saved;
      const again = (await call(second, 'GET', `/v1/sessions/${id}`)).body;
      expect(again).toMatchObject({ id, turns: 2 });
      expect(again.lastSeq).toBeGreaterThanOrEqual(lastSeq);
      const replay = await frames(`${second.url}/v1/sessions/${id}/events`, (f) => f.length >= lastSeq);
      expect(replay.slice(0, lastSeq).map((f) => f.id)).toEqual(
        Array.from({ length: lastSeq }, (_, i) => i + 1),
      );
      const globalAgain = await frames(`${second.url}/v1/events`, (f) => f.length >= globalIds.length);
      expect(globalAgain.slice(0, globalIds.length).map((f) => f.id)).toEqual(globalIds);
      // The transcript as it was, plus the entry saying the first server's shutdown ended the session.
      const entries = (await call(second, 'GET', `/v1/sessions/${id}/read`)).body.entries;
      expect(entries.slice(0, transcript.length)).toEqual(transcript);
      expect(entries.slice(transcript.length).map((e: { role: string }) => e.role)).toEqual(['system']);
      const listed = await call(second, 'GET', '/v1/sessions');
      expect(listed.body.sessions.map((s: { id: string }) => s.id)).toContain(id);
    } finally {
      await second.close();
    }
  });
});
