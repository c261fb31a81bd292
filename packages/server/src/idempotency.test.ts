// Idempotency-Key on create, send, approve/reject, batch and pipeline create: real servers on port 0
// with the scripted agent (SQLite), and two servers sharing one PostgreSQL schema.
// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are asserted field by field
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCRIPTED_AGENT_BIN, script, scriptedServerConfig } from '@aegis/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Booted, boot } from './auth/__fixtures__/attack-server.js';
import { type RunningServer, startServer } from './server.js';

vi.setConfig({ testTimeout: 60_000 });

let s: Booted;
const dir = (name: string) => {
  const d = join(s.work, name);
  mkdirSync(d, { recursive: true });
  return d;
};
const withKey = (key: string, body?: unknown) => ({ headers: { 'idempotency-key': key }, body });

async function waitForStatus(id: string, status: string) {
  for (let i = 0; i < 400; i++) {
    const res = await s.call('GET', `/v1/sessions/${id}`);
    if (res.body.status === status) return res.body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`session ${id} never became ${status}`);
}
const eventsOf = async (id: string) =>
  (await s.call('GET', `/v1/sessions/${id}/read?limit=500`)).body.entries as any[];
const sessionCount = async () => (await s.call('GET', '/v1/sessions?limit=100')).body.total as number;

beforeAll(async () => {
  s = await boot({
    limits: { requestsPerMinute: 10_000, sessionsPerKey: 100, sessionsGlobal: 100 },
    agents: {
      scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] },
      broken: { command: join(tmpdir(), 'aegis-no-such-agent-binary') },
    },
  });
});
afterAll(() => s.server.close());

describe('Idempotency-Key', () => {
  it('answers a retried create with the first response, and starts one session', async () => {
    const body = { workDir: dir('create'), name: 'once' };
    const before = await sessionCount();
    const first = await s.call('POST', '/v1/sessions', withKey('create-1', body));
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const retry = await s.call('POST', '/v1/sessions', withKey('create-1', body));
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(retry.body.session.id).toBe(first.body.session.id);
    expect(await sessionCount()).toBe(before + 1);
  });

  it('delivers a retried prompt once', async () => {
    const created = await s.call('POST', '/v1/sessions', { body: { workDir: dir('send'), reuse: false } });
    const id = created.body.session.id;
    const send = () => s.call('POST', `/v1/sessions/${id}/send`, withKey('send-1', { text: 'only once' }));
    const first = await send();
    expect(first.status).toBe(202);
    const retry = await send();
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    await waitForStatus(id, 'idle');
    const entries = await eventsOf(id);
    expect(entries.filter((e) => e.role === 'user' && JSON.stringify(e).includes('only once'))).toHaveLength(
      1,
    );
    expect(entries.filter((e) => JSON.stringify(e).includes('You said: only once'))).toHaveLength(1);
  });

  it('answers a retried approve once', async () => {
    const prompt = script(
      { tool: { title: 'Write a.txt', kind: 'edit', permission: true } },
      { say: 'done' },
    );
    const created = await s.call('POST', '/v1/sessions', {
      body: { workDir: dir('approve'), reuse: false, prompt },
    });
    const id = created.body.session.id;
    await waitForStatus(id, 'permission_prompt');
    const first = await s.call('POST', `/v1/sessions/${id}/approve`, withKey('approve-1', {}));
    expect(first.status).toBe(200);
    const retry = await s.call('POST', `/v1/sessions/${id}/approve`, withKey('approve-1', {}));
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    // Without the key, a second answer finds nothing pending: the first was the only one.
    expect((await s.call('POST', `/v1/sessions/${id}/approve`, { body: {} })).body.error.code).toBe(
      'NOTHING_PENDING',
    );
    await waitForStatus(id, 'idle');
    const said = (await eventsOf(id)).filter(
      (e) => e.role === 'assistant' && JSON.stringify(e).includes('done'),
    );
    expect(said).toHaveLength(1);
  });

  it('refuses the same key with another body or another operation: 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const workDir = dir('reused');
    expect((await s.call('POST', '/v1/sessions', withKey('reused-1', { workDir }))).status).toBe(201);
    const other = await s.call('POST', '/v1/sessions', withKey('reused-1', { workDir, name: 'x' }));
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      details: { key: 'reused-1', method: 'POST', path: '/v1/sessions' },
    });
    expect(other.body.error.message).toMatch(/another body.*new key/);
    const batch = await s.call(
      'POST',
      '/v1/sessions/batch',
      withKey('reused-1', { sessions: [{ workDir }] }),
    );
    expect(batch.status).toBe(422);
    expect(batch.body.error.message).toMatch(/already used for POST \/v1\/sessions;/);
    // The same fields in another order are the same request.
    const reordered = await s.call('POST', '/v1/sessions', {
      headers: { 'idempotency-key': 'order-1' },
      raw: JSON.stringify({ workDir: dir('order'), name: 'n' }),
    });
    const again = await s.call('POST', '/v1/sessions', {
      headers: { 'idempotency-key': 'order-1' },
      raw: JSON.stringify({ name: 'n', workDir: dir('order') }),
    });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.session.id).toBe(reordered.body.session.id);
  });

  it('refuses a key that is empty, too long or not printable ASCII with 400', async () => {
    const workDir = dir('bad-key');
    for (const key of ['x'.repeat(256), 'tab\there']) {
      const res = await s.call('POST', '/v1/sessions', withKey(key, { workDir }));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/Idempotency-Key header must be 1 to 255 printable ASCII/);
    }
    expect((await s.call('POST', '/v1/sessions', withKey('x'.repeat(255), { workDir }))).status).toBe(201);
  });

  it('applies concurrent duplicates once and gives each the same answer', async () => {
    const before = await sessionCount();
    const body = { workDir: dir('concurrent'), reuse: false };
    const results = await Promise.all(
      Array.from({ length: 6 }, () => s.call('POST', '/v1/sessions', withKey('concurrent-1', body))),
    );
    for (const r of results) expect(r.status).toBe(201);
    expect(new Set(results.map((r) => r.body.session.id)).size).toBe(1);
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(5);
    expect(await sessionCount()).toBe(before + 1);

    const id = results[0]?.body.session.id;
    const sends = await Promise.all(
      Array.from({ length: 5 }, () =>
        s.call('POST', `/v1/sessions/${id}/send`, withKey('concurrent-send', { text: 'parallel hello' })),
      ),
    );
    for (const r of sends) expect(r.status).toBe(202);
    await waitForStatus(id, 'idle');
    const said = (await eventsOf(id)).filter((e) => JSON.stringify(e).includes('You said: parallel hello'));
    expect(said).toHaveLength(1);
  });

  it('does not keep a 5xx: the retry runs again', async () => {
    const before = await sessionCount();
    const body = { workDir: dir('broken'), agent: 'broken' };
    const first = await s.call('POST', '/v1/sessions', withKey('broken-1', body));
    expect(first.status).toBeGreaterThanOrEqual(500);
    const retry = await s.call('POST', '/v1/sessions', withKey('broken-1', body));
    expect(retry.status).toBe(first.status);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    // Each attempt tried (and recorded) its own session.
    expect(await sessionCount()).toBe(before + 2);
  });

  it('keeps a 4xx, and scopes keys to the caller', async () => {
    const missing = await s.call('POST', '/v1/sessions/nope/send', withKey('four-1', { text: 'hi' }));
    expect(missing.status).toBe(404);
    const again = await s.call('POST', '/v1/sessions/nope/send', withKey('four-1', { text: 'hi' }));
    expect(again.status).toBe(404);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('covers batch and pipeline create', async () => {
    const before = await sessionCount();
    const batch = {
      sessions: [
        { workDir: dir('b1'), reuse: false },
        { workDir: dir('b2'), reuse: false },
      ],
    };
    const b1 = await s.call('POST', '/v1/sessions/batch', withKey('batch-1', batch));
    const b2 = await s.call('POST', '/v1/sessions/batch', withKey('batch-1', batch));
    expect(b1.status).toBe(200);
    expect(b2.headers.get('idempotent-replayed')).toBe('true');
    expect(b2.body).toEqual(b1.body);
    expect(await sessionCount()).toBe(before + 2);

    const pipeline = { name: 'p', stages: [{ name: 'only', spec: { workDir: dir('p1'), prompt: 'hi' } }] };
    const p1 = await s.call('POST', '/v1/pipelines', withKey('pipe-1', pipeline));
    const p2 = await s.call('POST', '/v1/pipelines', withKey('pipe-1', pipeline));
    expect(p1.status).toBe(201);
    expect(p2.body.id).toBe(p1.body.id);
    expect((await s.call('GET', '/v1/pipelines?limit=100')).body.total).toBe(1);
  });
});

describe('Idempotency-Key per API key', () => {
  it('keeps one caller’s key apart from another’s', async () => {
    const l = await boot({ limits: { requestsPerMinute: 10_000 } });
    try {
      const admin = await l.key('admin');
      const op = await l.key('operator', admin);
      mkdirSync(join(l.work, 'w'));
      const body = { workDir: join(l.work, 'w'), reuse: false };
      const headers = { 'idempotency-key': 'shared-name' };
      const a = await l.call('POST', '/v1/sessions', { token: admin, headers, body });
      const b = await l.call('POST', '/v1/sessions', { token: op, headers, body });
      expect(a.status).toBe(201);
      expect(b.status).toBe(201);
      expect(b.headers.get('idempotent-replayed')).toBeNull();
      expect(b.body.session.id).not.toBe(a.body.session.id);
    } finally {
      await l.server.close();
    }
  });
});

describe('Idempotency-Key with the session caps and a short wait', () => {
  it('replays a create at the cap instead of refusing it, and answers a duplicate in flight 409', async () => {
    const l = await boot({ limits: { sessionsGlobal: 1 }, idempotency: { waitMs: 0 } });
    try {
      mkdirSync(join(l.work, 'w'));
      const body = { workDir: join(l.work, 'w'), reuse: false };
      const headers = { 'idempotency-key': 'at-cap' };
      const [first, duplicate] = await Promise.all([
        l.call('POST', '/v1/sessions', { headers, body }),
        new Promise((r) => setTimeout(r, 20)).then(() => l.call('POST', '/v1/sessions', { headers, body })),
      ]);
      expect(first.status).toBe(201);
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
      expect(duplicate.headers.get('retry-after')).toBe('1');
      // The cap is full now, but the retry is the request that filled it: it gets its answer.
      const retry = await l.call('POST', '/v1/sessions', { headers, body });
      expect(retry.status).toBe(201);
      expect(retry.body.session.id).toBe(first.body.session.id);
      const fresh = await l.call('POST', '/v1/sessions', { headers: { 'idempotency-key': 'new' }, body });
      expect(fresh.status).toBe(429);
      // A 429 is not kept: once there is room, the same key runs.
      await l.call('DELETE', `/v1/sessions/${first.body.session.id}`);
      const later = await l.call('POST', '/v1/sessions', { headers: { 'idempotency-key': 'new' }, body });
      expect(later.status).toBe(201);
    } finally {
      await l.server.close();
    }
  });
});

describe('Idempotency-Key on two servers sharing PostgreSQL', () => {
  const PG_URL = process.env.AEGIS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `aegis_idem_${process.pid}_${Date.now().toString(36)}`;
  const servers: RunningServer[] = [];
  const shared = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-idem-pg-')));
  const work = join(shared, 'work');

  beforeAll(async () => {
    mkdirSync(work);
    const start = (node: string) =>
      startServer({
        ignoreEnv: true,
        config: scriptedServerConfig(join(shared, node), {
          sessionStore: 'postgres' as const,
          postgresUrl: PG_URL,
          pgSchema: schema,
          pgPoolMax: 4,
          resumeOnRestart: false,
          allowedWorkDirs: [work],
        }),
      });
    servers.push(await start('a'));
    servers.push(await start('b'));
  });
  afterAll(async () => {
    await Promise.all(servers.map((x) => x.close()));
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });

  const post = async (server: RunningServer, path: string, key: string, body: unknown) => {
    const res = await fetch(server.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      replayed: res.headers.get('idempotent-replayed'),
      body: (await res.json()) as any,
    };
  };
  const total = async (server: RunningServer) =>
    ((await (await fetch(`${server.url}/v1/sessions?limit=100`)).json()) as any).total as number;

  it('replays on server B what server A answered', async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const body = { workDir: work, reuse: false };
    const first = await post(a, '/v1/sessions', 'cross-node-1', body);
    expect(first.status).toBe(201);
    const retry = await post(b, '/v1/sessions', 'cross-node-1', body);
    expect(retry.status).toBe(201);
    expect(retry.replayed).toBe('true');
    expect(retry.body.session.id).toBe(first.body.session.id);
    expect(await total(b)).toBe(1);
    const misuse = await post(b, '/v1/sessions', 'cross-node-1', { ...body, name: 'other' });
    expect(misuse.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('applies the same request sent to both servers at once once', async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const before = await total(a);
    const body = { workDir: work, reuse: false, name: 'raced' };
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => post(i % 2 ? b : a, '/v1/sessions', 'cross-node-race', body)),
    );
    for (const r of results) expect(r.status).toBe(201);
    expect(new Set(results.map((r) => r.body.session.id)).size).toBe(1);
    expect(await total(a)).toBe(before + 1);
  });
});
