// `ag nodes` and the NODE column of `ag list`, as real child processes: against a single SQLite
// server, and against two servers sharing a fresh PostgreSQL schema (AEGIS_TEST_POSTGRES_URL).
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { NodesResponse, Session } from '@aegis/client';
import { type RunningServer, startServer } from '@aegis/server';
import { scriptedServerConfig } from '@aegis/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ag } from './__fixtures__/ag.js';
import { fmtAge, heartbeatWord, nodeRows, nodesSummary } from './node-view.js';

const json = <T>(text: string) => JSON.parse(text) as T;

async function createSession(server: RunningServer, workDir: string, name: string): Promise<Session> {
  mkdirSync(workDir, { recursive: true });
  const res = await fetch(`${server.url}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workDir, name }),
  });
  const body = (await res.json()) as { session: Session };
  if (!res.ok) throw new Error(`create: ${res.status} ${JSON.stringify(body)}`);
  return body.session;
}

describe('the nodes table', () => {
  const node = (over: Partial<NodesResponse['nodes'][number]>): NodesResponse['nodes'][number] => ({
    id: 'node-a',
    address: 'http://10.0.0.5:9100',
    state: 'active',
    alive: true,
    self: false,
    startedAt: '2026-12-04T10:00:00.123Z',
    heartbeatAt: '2026-12-04T10:05:00.000Z',
    heartbeatAgeMs: 2_400,
    capacity: 8,
    resident: 2,
    dormant: 1,
    busy: 1,
    sessions: 3,
    version: '0.1.0',
    ...over,
  });

  it('has a row per node, the answering node starred, silent and stopped nodes said so', () => {
    const out = nodeRows({
      nodes: [
        node({ self: true }),
        node({ id: 'node-b', address: 'http://10.0.0.6:9100', alive: false, heartbeatAgeMs: 95_000 }),
        node({ id: 'node-c', state: 'gone', alive: false, heartbeatAgeMs: 7_200_000, startedAt: null }),
      ],
    });
    expect(stripVTControlCharacters(out)).toMatchInlineSnapshot(`
      "ID        STATE   HEARTBEAT       AGENTS  BUSY  DORMANT  SESSIONS  VERSION  STARTED               ADDRESS
      node-a *  active  alive 2s ago    2/8     1     1        3         0.1.0    2026-12-04 10:00:00Z  http://10.0.0.5:9100
      node-b    active  silent 1m ago   2/8     1     1        3         0.1.0    2026-12-04 10:00:00Z  http://10.0.0.6:9100
      node-c    gone    stopped 2h ago  2/8     1     1        3         0.1.0    -                     http://10.0.0.5:9100
      "
    `);
  });

  it('sums up nodes alive, unowned sessions and the lease under the table', () => {
    expect(
      nodesSummary({
        nodes: [node({}), node({ alive: false })],
        unowned: 1,
        leaseMs: 30_000,
        self: 'node-a',
      }),
    ).toBe('1 of 2 nodes alive · 1 unowned session · lease 30s · * = this node (node-a)');
  });

  it.each([
    [0, '<1s'],
    [59_999, '59s'],
    [60_000, '1m'],
    [3_600_000, '1h'],
    [172_800_000, '2d'],
  ])('an age of %i ms reads %s', (ms, text) => {
    expect(fmtAge(ms)).toBe(text);
  });

  it('a node that stopped cleanly is "stopped", any other silent node "silent"', () => {
    expect(heartbeatWord({ alive: true, state: 'draining' })).toBe('alive');
    expect(heartbeatWord({ alive: false, state: 'gone' })).toBe('stopped');
    expect(heartbeatWord({ alive: false, state: 'active' })).toBe('silent');
  });
});

describe('ag nodes against a single server', () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-cli-nodes-')));
  let server: RunningServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await startServer({ ignoreEnv: true, config: scriptedServerConfig(base) });
    env = { HOME: base, AEGIS_BASE_URL: server.url };
  });
  afterAll(() => server?.close());

  it('--json prints the API answer: not clustered, no nodes', async () => {
    const r = await ag(['nodes', '--json'], { env });
    expect(r.code, r.err).toBe(0);
    expect(json(r.out)).toEqual({ clustered: false, self: null, leaseMs: null, nodes: [], unowned: 0 });
  });

  it('says the server is not part of a cluster, and where to read about clusters', async () => {
    const r = await ag(['nodes'], { env });
    expect(r.code, r.err).toBe(0);
    expect(r.out + r.err).toContain('This server is not part of a cluster');
    expect(r.out + r.err).toContain('docs/deployment.md');
  });

  it('is in the help, and `ag list` has no NODE column on a single server', async () => {
    const help = await ag(['--help'], { env });
    expect(help.out).toMatch(/nodes\s+List the nodes of the cluster/);
    await createSession(server, join(base, 'w1'), 'single');
    const list = await ag(['list'], { env });
    expect(list.code, list.err).toBe(0);
    expect(list.out).toContain('single');
    expect(list.out).not.toContain('NODE');
  });
});

describe('ag nodes against two servers sharing one PostgreSQL schema', () => {
  const PG_URL = process.env.AEGIS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `aegis_cli_nodes_${process.pid}_${Date.now().toString(36)}`;
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-cli-cluster-')));
  const nodes: RunningServer[] = [];
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    for (const id of ['node-a', 'node-b']) {
      const config = scriptedServerConfig(join(base, id), {
        sessionStore: 'postgres' as const,
        postgresUrl: PG_URL,
        pgSchema: schema,
        pgPoolMax: 4,
        allowedWorkDirs: [base],
        cluster: { nodeId: id, leaseMs: 5_000, drainMs: 500 },
      });
      nodes.push(await startServer({ ignoreEnv: true, config }));
    }
    [a, b] = nodes as [RunningServer, RunningServer];
  });
  afterAll(async () => {
    await Promise.allSettled(nodes.map((n) => n.close()));
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await client.query(`drop schema if exists "${schema}" cascade`);
    } finally {
      await client.end();
    }
  });

  it('lists both nodes from either one, starring the node asked', async () => {
    await createSession(a, join(base, 'on-a'), 'made on A');
    await createSession(b, join(base, 'on-b'), 'made on B');
    const r = await ag(['nodes', '--url', b.url], { env: { HOME: base } });
    expect(r.code, r.err).toBe(0);
    const lines = stripVTControlCharacters(r.out).trim().split('\n');
    expect(lines[0]).toMatch(
      /^ID\s+STATE\s+HEARTBEAT\s+AGENTS\s+BUSY\s+DORMANT\s+SESSIONS\s+VERSION\s+STARTED\s+ADDRESS$/,
    );
    expect(lines.slice(1, 3).map((l) => l.split(/\s{2,}/).slice(0, 2))).toEqual([
      ['node-a', 'active'],
      ['node-b *', 'active'],
    ]);
    expect(lines[1]).toContain(a.url);
    expect(lines[2]).toContain(b.url);
    expect(lines[3]).toContain('2 of 2 nodes alive · 0 unowned sessions · lease 5s · * = this node (node-b)');
  });

  it('--json prints what GET /v1/nodes answers', async () => {
    const r = await ag(['nodes', '--json', '--url', a.url], { env: { HOME: base } });
    expect(r.code, r.err).toBe(0);
    const got = json<NodesResponse>(r.out);
    expect(got).toMatchObject({ clustered: true, self: 'node-a', leaseMs: 5_000, unowned: 0 });
    expect(got.nodes.map((n) => [n.id, n.self, n.alive, n.state, n.sessions])).toEqual([
      ['node-a', true, true, 'active', 1],
      ['node-b', false, true, 'active', 1],
    ]);
  });

  it('`ag list` shows which node owns each session', async () => {
    const r = await ag(['list'], { env: { HOME: base, AEGIS_BASE_URL: a.url } });
    expect(r.code, r.err).toBe(0);
    const lines = stripVTControlCharacters(r.out).trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+AGENT\s+NODE\s+NAME\s+WORKDIR\s+LAST ACTIVITY$/);
    const nodeOf = (name: string) =>
      lines
        .find((l) => l.includes(name))
        ?.split(/\s{2,}/)
        .at(3);
    expect(nodeOf('made on A')).toBe('node-a');
    expect(nodeOf('made on B')).toBe('node-b');
  });
});
