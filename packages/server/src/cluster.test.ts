// Three real servers sharing one PostgreSQL schema, each with the scripted agent (a real child
// process speaking ACP): any node serves any request, streams from any node are gap-free, a command
// sent to every node at once is applied once, new sessions are placed on a node with room, and a
// node that stops hands its sessions over. The SIGKILL / SIGSTOP cases run as separate processes in
// tests/reliability/cluster-failover.test.ts. Needs PostgreSQL (AEGIS_TEST_POSTGRES_URL).
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { script, scriptedServerConfig } from '@aegis/testkit';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { type FrameId, readFrames } from './__fixtures__/sse-frames.js';
import { type RunningServer, startServer } from './server.js';

vi.setConfig({ testTimeout: 60_000 });

const PG_URL = process.env.AEGIS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schemas: string[] = [];
const running: RunningServer[] = [];

async function pgQuery<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

afterEach(async () => {
  await Promise.allSettled(running.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  for (const s of schemas) await pgQuery(`drop schema if exists "${s}" cascade`);
});

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-cluster-')));
const work = join(base, 'work');
mkdirSync(work, { recursive: true });

async function cluster(n: number, extra: { maxResidentAgents?: number[]; requestsPerMinute?: number } = {}) {
  const schema = `aegis_cl_${process.pid}_${Date.now().toString(36)}_${schemas.length}`;
  schemas.push(schema);
  const nodes: RunningServer[] = [];
  for (let i = 0; i < n; i++) {
    const stateDir = join(base, `${schema}-node${i}`);
    mkdirSync(stateDir, { recursive: true });
    const config = scriptedServerConfig(stateDir, {
      sessionStore: 'postgres' as const,
      postgresUrl: PG_URL,
      pgSchema: schema,
      pgPoolMax: 4,
      port: 0,
      allowedWorkDirs: [base],
      cluster: { nodeId: `node-${'abc'[i]}`, leaseMs: 3_000, drainMs: 2_000 },
      ...(extra.requestsPerMinute ? { limits: { requestsPerMinute: extra.requestsPerMinute } } : {}),
      sessions: {
        idleEvictMs: 0,
        ...(extra.maxResidentAgents?.[i] ? { maxResidentAgents: extra.maxResidentAgents[i] } : {}),
      },
    });
    const server = await startServer({ ignoreEnv: true, config });
    running.push(server);
    nodes.push(server);
  }
  return nodes;
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
async function call(server: RunningServer, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(server.url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? JSON.parse(text) : undefined,
    node: res.headers.get('x-aegis-node'),
  };
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const status = (server: RunningServer, id: string, want: string) =>
  until(`${id} ${want}`, async () => {
    const s = (await call(server, 'GET', `/v1/sessions/${id}`)).body;
    return s.status === want ? s : undefined;
  });

const frames = (url: string, enough: (f: FrameId[]) => boolean) => readFrames(url, enough, {}, 30_000);

const askTwice = () =>
  script(
    { tool: { title: 'Write a.txt', kind: 'edit', permission: true, output: 'ok' } },
    { say: 'first done' },
  );

describe('a cluster of three servers on one PostgreSQL database', () => {
  it('serves any request on any node: create on A, approve via B, stream via C, gap-free', async () => {
    const [a, b, c] = (await cluster(3)) as [RunningServer, RunningServer, RunningServer];
    const nodes = await call(c, 'GET', '/v1/nodes');
    expect(nodes.body).toMatchObject({ clustered: true, self: 'node-c', unowned: 0 });
    expect(nodes.body.nodes.map((n: { id: string; alive: boolean }) => [n.id, n.alive])).toEqual([
      ['node-a', true],
      ['node-b', true],
      ['node-c', true],
    ]);

    const created = await call(a, 'POST', '/v1/sessions', { workDir: work, prompt: askTwice() });
    expect(created.status).toBe(201);
    const id = created.body.session.id;
    expect(created.body.session.node).toBe('node-a');
    const stream = frames(`${c.url}/v1/sessions/${id}/events`, (f) =>
      f.some((x) => x.type === 'turn.completed'),
    );
    await status(b, id, 'permission_prompt');
    const approved = await call(b, 'POST', `/v1/sessions/${id}/approve`, {});
    expect(approved.status).toBe(200);
    expect(approved.node).toBe('node-a');
    const seen = await stream;
    expect(seen.map((f) => f.id)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.filter((f) => f.type === 'permission.resolved')).toHaveLength(1);

    // The same approval sent to every node at once is applied once.
    await status(c, id, 'idle');
    expect((await call(c, 'POST', `/v1/sessions/${id}/send`, { text: askTwice() })).status).toBe(202);
    await status(a, id, 'permission_prompt');
    const answers = await Promise.all(
      [a, b, c].map((n) => call(n, 'POST', `/v1/sessions/${id}/approve`, {})),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect(answers.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual([
      'NOTHING_PENDING',
      'NOTHING_PENDING',
    ]);
    const done = await status(b, id, 'idle');
    expect(done).toMatchObject({ node: 'node-a', turns: 2 });

    // The global stream on another node: ids rising, every event of the session once.
    const global = await frames(`${b.url}/v1/events`, (f) => f.length >= done.lastSeq);
    const ids = global.map((f) => f.id);
    expect(ids).toEqual([...new Set(ids)].sort((x, y) => x - y));
    expect(global).toHaveLength(done.lastSeq);
  });

  it('places a new session on a node with room when the one asked is full', async () => {
    const [a] = (await cluster(2, { maxResidentAgents: [1, 4] })) as [RunningServer, RunningServer];
    const busy = await call(a, 'POST', '/v1/sessions', { workDir: work, prompt: askTwice() });
    expect(busy.body.session.node).toBe('node-a');
    await status(a, busy.body.session.id, 'permission_prompt');
    const placed = await call(a, 'POST', '/v1/sessions', { workDir: join(work), reuse: false });
    expect(placed.status).toBe(201);
    expect(placed.node).toBe('node-b');
    expect(placed.body.session.node).toBe('node-b');
  });

  it('a node that stops hands its sessions over at once; the next prompt runs on another node', async () => {
    const [a, b] = (await cluster(2)) as [RunningServer, RunningServer];
    const created = await call(a, 'POST', '/v1/sessions', {
      workDir: work,
      prompt: script({ say: 'remember: heron' }),
    });
    const id = created.body.session.id;
    await status(a, id, 'idle');
    const stopped = Date.now();
    await a.close();
    const sent = await call(b, 'POST', `/v1/sessions/${id}/send`, { text: script({ say: 'again' }) });
    expect(sent.status).toBe(202);
    expect(Date.now() - stopped).toBeLessThan(10_000);
    const after = await until('second turn', async () => {
      const s = (await call(b, 'GET', `/v1/sessions/${id}`)).body;
      return s.turns === 2 && s.status === 'idle' ? s : undefined;
    });
    expect(after.node).toBe('node-b');
    const nodes = (await call(b, 'GET', '/v1/nodes')).body.nodes;
    expect(nodes.find((n: { id: string }) => n.id === 'node-a')).toMatchObject({
      state: 'gone',
      alive: false,
    });
  });
});

describe('Idempotency-Key across nodes', () => {
  it('a send forwarded to the owner is applied once, and a retry on any node gets the first answer', async () => {
    const [a, b] = (await cluster(2)) as [RunningServer, RunningServer];
    const created = await call(a, 'POST', '/v1/sessions', { workDir: work, prompt: script({ say: 'one' }) });
    const id = created.body.session.id;
    await status(a, id, 'idle');
    const send = (n: RunningServer) =>
      fetch(`${n.url}/v1/sessions/${id}/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'k-forwarded' },
        body: JSON.stringify({ text: script({ say: 'two' }) }),
      });
    const sentFirst = await send(b);
    expect(sentFirst.status).toBe(202);
    const requestId = sentFirst.headers.get('x-request-id');
    expect(sentFirst.headers.get('x-aegis-node')).toBe('node-a');
    const body = await sentFirst.text();
    for (const n of [b, a]) {
      const again = await send(n);
      expect(again.status).toBe(202);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await again.text()).toBe(body);
    }
    const done = await until('second turn', async () => {
      const s = (await call(a, 'GET', `/v1/sessions/${id}`)).body;
      return s.status === 'idle' && s.turns >= 2 ? s : undefined;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect((await call(b, 'GET', `/v1/sessions/${id}`)).body.turns).toBe(done.turns);
    expect(done.turns).toBe(2);
    // Audited once, by the node each request arrived at, not again by the owner it was forwarded to:
    // three requests (the send and two replays), each an intent and an outcome.
    const audit = (await call(a, 'GET', '/v1/audit?action=sendMessage&limit=50')).body.records.filter(
      (r: { target: string }) => r.target === id,
    );
    expect(audit.map((r: { outcome: string }) => r.outcome).sort()).toEqual([
      '202',
      '202',
      '202',
      'started',
      'started',
      'started',
    ]);
    const first = audit.filter((r: { details: { requestId?: string } }) => r.details.requestId === requestId);
    expect(first).toHaveLength(2);
  });
});

describe('request rate limits on a cluster', () => {
  /** Not within the last seconds of a minute: the counting window is the clock's minute. */
  const freshMinute = async () => {
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 8_000) await new Promise((r) => setTimeout(r, left + 50));
  };
  it('counts requests in the database, so the per-minute rate holds across nodes', async () => {
    const [a, b] = (await cluster(2, { requestsPerMinute: 6 })) as [RunningServer, RunningServer];
    await freshMinute();
    const answers: number[] = [];
    for (let i = 0; i < 8; i++) answers.push((await call(i % 2 ? b : a, 'GET', '/v1/nodes')).status);
    expect(answers).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    const refused = await fetch(`${a.url}/v1/nodes`);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a command forwarded to the owner counts once; a forged forwarding header is counted like any request', async () => {
    const [a, b] = (await cluster(2, { requestsPerMinute: 1000 })) as [RunningServer, RunningServer];
    const schema = schemas.at(-1) as string;
    const created = await call(a, 'POST', '/v1/sessions', { workDir: work, prompt: script({ say: 'hi' }) });
    const id = created.body.session.id;
    await status(a, id, 'idle');
    // The count is of the database's current minute: a measurement that straddles a new minute (a
    // slow machine) is taken again rather than compared across windows.
    const window = async () =>
      (
        await pgQuery<{ count: number; start: string }>(
          `select "count", "window_start"::text as "start" from "${schema}"."rate_windows" where "key" = $1`,
          ['requests:local:60000'],
        )
      )[0] ?? { count: 0, start: '' };
    const measure = async () => {
      await freshMinute();
      const before = await window();
      const sent = await call(b, 'POST', `/v1/sessions/${id}/send`, { text: script({ say: 'again' }) });
      expect(sent.status).toBe(202);
      expect(sent.node).toBe('node-a');
      const afterSend = await window();
      const forged = await fetch(`${b.url}/v1/nodes`, {
        headers: { 'x-aegis-forwarded-by': 'node-a', 'x-aegis-forward-signature': `${Date.now()}.00` },
      });
      expect(forged.status).toBe(200);
      const afterForged = await window();
      const sameWindow = before.start === afterSend.start && afterSend.start === afterForged.start;
      return sameWindow ? [afterSend.count - before.count, afterForged.count - afterSend.count] : null;
    };
    const deltas = (await measure()) ?? (await measure());
    expect(deltas).toEqual([1, 1]);
  });
});
