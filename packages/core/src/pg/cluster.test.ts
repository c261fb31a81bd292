import pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createAegis } from '../engine.js';
import { AegisError } from '../errors.js';
import type { AegisEvent } from '../events.js';
import { LIVE_STATUSES } from '../schemas.js';
import { makeSession } from '../sqlite/__fixtures__/store-fixtures.js';
import type { AegisStore } from '../store.js';
import { createMemoryDriver, type MemoryStep } from '../testing/memory-driver.js';
import { dropTestSchemas, PG_TEST_URL, pgQuery, testSchema } from './__fixtures__/pg-test-db.js';
import { LIVE_SESSION_SQL } from './cluster-sql.js';
import { openPostgresStore } from './index.js';

/** Nodes sharing one schema: ownership, fencing, routing errors, the shared feed and failover. */

vi.setConfig({ testTimeout: 30_000 });

const stores: AegisStore[] = [];
const engines: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.allSettled(engines.splice(0).map((e) => e.close()));
  await Promise.allSettled(stores.splice(0).map((s) => s.close()));
});
afterAll(dropTestSchemas);

async function open(schema: string) {
  const s = await openPostgresStore({ url: PG_TEST_URL, schema, poolMax: 4 });
  stores.push(s);
  return s;
}

async function until(check: () => boolean | Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function rejection(p: Promise<unknown>): Promise<AegisError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AegisError);
  return err as AegisError;
}

const say = (text: string): MemoryStep => ({
  update: { type: 'message.delta', data: { messageId: 'm', text } },
});

async function node(
  schema: string,
  id: string,
  script: (text: string) => MemoryStep[] = (t) => [say(`echo ${t}`)],
  resolveWorkDir?: (workDir: string) => Promise<string>,
) {
  const store = await open(schema);
  const { driver } = createMemoryDriver(script);
  const aegis = createAegis({
    agent: driver,
    store,
    resolveWorkDir,
    stallCheckIntervalMs: 20,
    cluster: {
      nodeId: id,
      address: `http://${id}.invalid:9100`,
      leaseMs: 800,
      heartbeatMs: 100,
      adoptIntervalMs: 100,
      pollMs: 100,
    },
  });
  engines.push(aegis);
  await aegis.recover();
  return { aegis, store };
}

describe('PostgreSQL cluster: fencing in the store', () => {
  it('refuses every write of a node whose session another node took over, and tells it', async () => {
    const schema = testSchema();
    const a = await open(schema);
    const b = await open(schema);
    await a.cluster.join({ id: 'a', address: 'http://a', capacity: 4, info: {} }, { leaseMs: 60_000 });
    await b.cluster.join({ id: 'b', address: 'http://b', capacity: 4, info: {} }, { leaseMs: 60_000 });
    const s = makeSession('s1');
    await a.write({ sessions: [s] });
    expect(a.cluster.owns('s1')).toBe(true);
    // Its lease is running: b cannot take it.
    expect(await b.cluster.claim('s1')).toBeNull();
    expect((await b.cluster.owner('s1'))?.node).toBe('a');

    await pgQuery(`update "${schema}"."sessions" set "lease_until" = '2000-01-01T00:00:00.000Z'`);
    const claimed = await b.cluster.claim('s1');
    expect(claimed).toMatchObject({ fromNode: 'a', epoch: 2 });
    // A second claimant finds it taken.
    expect(await a.cluster.claim('s1')).toBeNull();

    const lost: string[] = [];
    a.cluster.onLost((id) => lost.push(id));
    const at = new Date().toISOString();
    const err = await rejection(
      a.write({
        events: [{ sessionId: 's1', seq: 1, at, type: 'session.info_updated', data: { title: 'late' } }],
      }),
    );
    expect(err.code).toBe('LEASE_LOST');
    expect(lost).toEqual(['s1']);
    expect(await a.listEvents({ sessionId: 's1', limit: 10 })).toEqual([]);
    // The snapshot of the conversation is fenced too.
    await expect(
      a.conversations.put('s1', { agentSessionId: 'x', bytes: 0, capturedAt: at, files: [] }),
    ).rejects.toMatchObject({ code: 'LEASE_LOST' });
    await expect(
      a.conversations.append?.('s1', {
        agentSessionId: 'x',
        bytes: 0,
        capturedAt: at,
        files: [],
        appended: true,
      }),
    ).rejects.toMatchObject({ code: 'LEASE_LOST' });
    // The new owner writes.
    const ok = await b.write({
      events: [{ sessionId: 's1', seq: 1, at, type: 'session.info_updated', data: { title: 'b' } }],
    });
    expect(ok.events[0]?.seq).toBe(1);

    // Node A's later writes for the session it lost are refused at once, without waiting for the
    // database: here the sessions table is locked by someone else, and the refusal still comes
    // before A's lock timeout (5 s) — a node losing a busy session must not hold the append lock.
    const locker = new pg.Client({ connectionString: PG_TEST_URL });
    await locker.connect();
    try {
      await locker.query(`begin; lock table "${schema}"."sessions" in access exclusive mode`);
      const started = Date.now();
      const again = await rejection(
        a.write({
          events: [{ sessionId: 's1', seq: 2, at, type: 'session.info_updated', data: { title: 'later' } }],
        }),
      );
      expect(again.code).toBe('LEASE_LOST');
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(lost).toEqual(['s1']);
    } finally {
      await locker.query('rollback').catch(() => {});
      await locker.end();
    }
  });

  it('a heartbeat renews only the leases still held and reports the sessions taken away', async () => {
    const schema = testSchema();
    const a = await open(schema);
    const b = await open(schema);
    await a.cluster.join({ id: 'a', address: 'http://a', capacity: 4, info: {} }, { leaseMs: 60_000 });
    await b.cluster.join({ id: 'b', address: 'http://b', capacity: 4, info: {} }, { leaseMs: 60_000 });
    await a.write({ sessions: [makeSession('k1'), makeSession('k2')] });
    await pgQuery(
      `update "${schema}"."sessions" set "lease_until" = '2000-01-01T00:00:00.000Z' where id = 'k2'`,
    );
    expect(await b.cluster.adoptable(10)).toEqual([expect.objectContaining({ id: 'k2' })]);
    await b.cluster.claim('k2');
    const beat = await a.cluster.heartbeat({ state: 'active', capacity: 4, info: { resident: 1 } });
    expect(beat.lost).toEqual(['k2']);
    expect(a.cluster.owns('k1')).toBe(true);
    const [owner] = await pgQuery<{ lease_until: string }>(
      `select lease_until from "${schema}"."sessions" where id = 'k1'`,
    );
    expect(Date.parse(owner?.lease_until ?? '')).toBeGreaterThan(Date.now() + 30_000);
    const nodes = await a.cluster.nodes();
    expect(nodes.map((n) => [n.id, n.alive, n.info.resident ?? null])).toEqual([
      ['a', true, 1],
      ['b', true, null],
    ]);
  });
});

describe('PostgreSQL cluster: a long history', () => {
  it('heartbeats, adoption rounds and the live counts read the live sessions through the status index', async () => {
    // An ended session keeps its owner_node, so each node's share of the history only grows; these
    // run every few seconds on every node and must not walk it.
    const schema = testSchema();
    await open(schema);
    const c = new pg.Client({ connectionString: PG_TEST_URL, options: `-c search_path=${schema}` });
    await c.connect();
    try {
      const insert = (prefix: string, status: string, n: number) =>
        c.query(
          `insert into "sessions" ("id", "owner_id", "work_dir", "status", "created_at", "updated_at", "data", "owner_node", "owner_epoch", "lease_until")
           select $1 || g, null, '/w', $2, to_char(timestamp '2026-01-01' + g * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
             to_char(timestamp '2026-01-01' + g * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
             jsonb_build_object('pad', repeat('x', 500)), 'node-a', 1, null
           from generate_series(1, $3::int) g`,
          [prefix, status, n],
        );
      await insert('ended-', 'completed', 5_000);
      await insert('live-', 'idle', 3);
      await c.query('vacuum analyze "sessions"');
      const live = [...LIVE_STATUSES];
      const params: Record<keyof typeof LIVE_SESSION_SQL, unknown[]> = {
        reclaimOwn: [live, 'node-a', 30_000],
        renewLeases: [live, 'node-a', 30_000],
        adoptable: [live, 'node-b', 10],
        liveByNode: [live],
      };
      for (const [name, sql] of Object.entries(LIVE_SESSION_SQL)) {
        await c.query('begin');
        const plan = (
          await c.query<{ 'QUERY PLAN': string }>(`explain ${sql}`, params[name as keyof typeof params])
        ).rows
          .map((r) => r['QUERY PLAN'])
          .join('\n');
        await c.query('rollback');
        expect({ name, plan }).toEqual({
          name,
          plan: expect.stringContaining('sessions_status_created_at_idx'),
        });
        expect(plan).not.toContain('Seq Scan');
      }
    } finally {
      await c.end();
    }
  });
});

describe('PostgreSQL cluster: cluster-wide leases', () => {
  it('one node holds a named lease; another takes it only once it ran out or was given up', async () => {
    const schema = testSchema();
    const a = await open(schema);
    const b = await open(schema);
    await a.cluster.join({ id: 'a', address: 'http://a', capacity: 4, info: {} }, { leaseMs: 60_000 });
    await b.cluster.join({ id: 'b', address: 'http://b', capacity: 4, info: {} }, { leaseMs: 60_000 });
    expect(await a.cluster.holdLease('channels', 60_000)).toMatchObject({
      held: true,
      holder: 'a',
      epoch: 1,
    });
    expect(await b.cluster.holdLease('channels', 60_000)).toMatchObject({
      held: false,
      holder: 'a',
      epoch: 1,
    });
    // Renewing keeps the epoch; another name is a lease of its own.
    expect(await a.cluster.holdLease('channels', 60_000)).toMatchObject({ held: true, epoch: 1 });
    expect(await b.cluster.holdLease('other', 60_000)).toMatchObject({ held: true, holder: 'b' });

    // a stops renewing (it died): once its lease ran out, b takes over with a new epoch, and a is out.
    await a.cluster.holdLease('channels', 150);
    expect(await b.cluster.holdLease('channels', 60_000)).toMatchObject({ held: false, holder: 'a' });
    await new Promise((r) => setTimeout(r, 250));
    expect(await b.cluster.holdLease('channels', 60_000)).toMatchObject({
      held: true,
      holder: 'b',
      epoch: 2,
    });
    expect(await a.cluster.holdLease('channels', 60_000)).toMatchObject({
      held: false,
      holder: 'b',
      epoch: 2,
    });

    // Given up on a clean stop: the other node takes it at once. Releasing a lease held by another does nothing.
    await a.cluster.releaseLease('channels');
    expect(await a.cluster.holdLease('channels', 60_000)).toMatchObject({ held: false, holder: 'b' });
    await b.cluster.releaseLease('channels');
    expect(await a.cluster.holdLease('channels', 60_000)).toMatchObject({
      held: true,
      holder: 'a',
      epoch: 3,
    });
  });

  it('two nodes racing for a free lease get one winner', async () => {
    const schema = testSchema();
    const nodes = await Promise.all(['n1', 'n2', 'n3', 'n4'].map(() => open(schema)));
    await Promise.all(
      nodes.map((n, i) =>
        n.cluster.join({ id: `n${i}`, address: `http://n${i}`, capacity: 1, info: {} }, { leaseMs: 60_000 }),
      ),
    );
    const results = await Promise.all(nodes.map((n) => n.cluster.holdLease('channels', 60_000)));
    expect(results.filter((r) => r.held)).toHaveLength(1);
    expect(new Set(results.map((r) => r.holder)).size).toBe(1);
  });
});

describe('PostgreSQL cluster: engines as nodes', () => {
  it('sends a command for another node’s session there, and streams every node’s events in order', async () => {
    const schema = testSchema();
    const a = await node(schema, 'node-a');
    const b = await node(schema, 'node-b');
    const seenOnB: AegisEvent[] = [];
    b.aegis.subscribe((e) => seenOnB.push(e), { cluster: true });
    const { session } = await a.aegis.sessions.create({ workDir: '/w', prompt: 'one' });
    expect(session.node).toBe('node-a');
    await until(async () => {
      const seen = await b.aegis.sessions.get(session.id);
      return seen.status === 'idle' && seen.turns === 1;
    });
    expect((await b.aegis.sessions.get(session.id)).node).toBe('node-a');

    const err = await rejection(b.aegis.sessions.prompt(session.id, 'two'));
    expect(err.code).toBe('SESSION_ELSEWHERE');
    expect(err.status).toBe(421);
    expect(err.details).toMatchObject({ node: 'node-a', address: 'http://node-a.invalid:9100' });

    const stored = await a.store.listEvents({ sessionId: session.id, limit: 100 });
    await until(() => seenOnB.filter((e) => e.sessionId === session.id).length === stored.length);
    const fromFeed = seenOnB.filter((e) => e.sessionId === session.id);
    expect(fromFeed.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
    const ids = seenOnB.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect((await b.aegis.nodes()).map((n) => n.id)).toEqual(['node-a', 'node-b']);
  });

  it('a dropped LISTEN connection loses no event: the poll reads the log, and the listener comes back', async () => {
    const schema = testSchema();
    const a = await node(schema, 'node-a');
    const b = await node(schema, 'node-b');
    const seenOnB: AegisEvent[] = [];
    b.aegis.subscribe((e) => seenOnB.push(e), { cluster: true });
    const listeners = () =>
      pgQuery<{ pid: number }>(
        `select pid from pg_stat_activity where application_name = 'aegis-listen' and query like $1`,
        [`%aegis_events_${schema}%`],
      );
    await until(async () => (await listeners()).length === 2);
    // Every node's LISTEN connection is cut (a database restart, a proxy timeout): hints stop.
    await pgQuery(
      `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'aegis-listen' and query like $1`,
      [`%aegis_events_${schema}%`],
    );
    const { session } = await a.aegis.sessions.create({ workDir: '/w', prompt: 'while deaf' });
    await until(async () => (await a.aegis.sessions.get(session.id)).status === 'idle');
    // Everything node A stored reaches node B, once and in order (the store is read again each
    // time: the turn's last events may still be landing).
    const ids = (list: { id: number }[]) => list.map((e) => e.id).join(',');
    await until(
      async () =>
        ids(seenOnB.filter((e) => e.sessionId === session.id)) ===
        ids(await a.store.listEvents({ sessionId: session.id, limit: 100 })),
    );
    // The listeners reconnect by themselves.
    await until(async () => (await listeners()).length === 2, 5_000);
  });

  it('adopts the sessions of a node that stopped heartbeating; the next prompt runs there', async () => {
    const schema = testSchema();
    const a = await node(schema, 'node-a', (t) =>
      t === 'hang' ? [say('working'), { waitForCancel: true }] : [say(t)],
    );
    const b = await node(schema, 'node-b');
    const { session } = await a.aegis.sessions.create({ workDir: '/w', prompt: 'hang' });
    await until(async () => (await b.aegis.sessions.get(session.id)).status === 'working');
    // Node A "dies": its database connections go; its heartbeats stop renewing the lease.
    await a.store.close();
    await until(async () =>
      (await b.store.listEvents({ sessionId: session.id, limit: 100 })).some(
        (e) => e.type === 'agent.evicted',
      ),
    );
    expect((await b.aegis.sessions.get(session.id)).node).toBe('node-b');
    const events = await b.store.listEvents({ sessionId: session.id, limit: 100 });
    const adopted = events.find((e) => e.type === 'session.adopted');
    expect(adopted?.data).toMatchObject({ fromNode: 'node-a', node: 'node-b' });
    expect(events.some((e) => e.type === 'turn.failed' && e.seq > (adopted?.seq ?? 0))).toBe(true);
    await b.aegis.sessions.prompt(session.id, 'after');
    await until(async () => {
      const s = await b.aegis.sessions.get(session.id);
      return s.status === 'idle' && s.turns >= 2;
    });
    const seqs = (await b.store.listEvents({ sessionId: session.id, limit: 1000 })).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('a node without the session’s workDir does not adopt it and says why; a node with it does', async () => {
    const schema = testSchema();
    const a = await node(schema, 'node-a');
    const { session } = await a.aegis.sessions.create({ workDir: '/only-on-a', prompt: 'x' });
    await until(async () => (await a.aegis.sessions.get(session.id)).status === 'idle');
    const b = await node(schema, 'node-b', undefined, async (w) => {
      if (w === '/only-on-a') throw new AegisError('WORKDIR_DENIED', `${w} does not exist`);
      return w;
    });
    await a.store.close();
    await until(async () => (await b.aegis.sessions.get(session.id)).problem?.code === 'NOT_ADOPTABLE');
    const waiting = await b.aegis.sessions.get(session.id);
    expect(waiting.problem?.message).toMatch(
      /node-b cannot adopt it: .*\/only-on-a.*same path on every node/,
    );
    expect((await b.aegis.nodeSessionCounts())['node-b'] ?? 0).toBe(0);
    const c = await node(schema, 'node-c');
    await until(async () => (await c.aegis.sessions.get(session.id)).node === 'node-c');
  });

  it('a clean stop hands sessions over at once; a draining node places new sessions elsewhere', async () => {
    const schema = testSchema();
    const a = await node(schema, 'node-a');
    const b = await node(schema, 'node-b');
    const { session } = await a.aegis.sessions.create({ workDir: '/w', prompt: 'x' });
    await until(async () => (await a.aegis.sessions.get(session.id)).status === 'idle');
    await a.aegis.drain({ waitMs: 1000 });
    const err = await rejection(a.aegis.sessions.create({ workDir: '/other' }));
    expect(err.code).toBe('SESSION_ELSEWHERE');
    expect(err.details).toMatchObject({ node: 'node-b' });
    const started = Date.now();
    await a.aegis.close();
    await b.aegis.sessions.prompt(session.id, 'y');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await b.aegis.sessions.get(session.id)).node).toBe('node-b');
  });
});

describe('PostgreSQL cluster: pipelines', () => {
  const admin = { id: null, admin: true };
  const pipelineRow = async (schema: string, id: string) =>
    (
      await pgQuery<{ runner_node: string | null; state: string; status: { stages: { status: string }[] } }>(
        `select "runner_node", "state", "status" from "${schema}"."pipelines" where "id" = $1`,
        [id],
      )
    )[0];

  it('goes on with a pipeline whose node stopped: a stage that ended meanwhile counts, the next stage starts here', async () => {
    const schema = testSchema();
    const b = await node(schema, 'node-b');
    // The first stage's session ran (and finished its turn) while nobody followed it.
    const { session } = await b.aegis.sessions.create({ workDir: '/w', prompt: 'first', reuse: false });
    await until(async () => (await b.aegis.sessions.get(session.id)).status === 'idle');
    const at = new Date().toISOString();
    const stage = (name: string, status: string, sessionId: string | null, dependsOn: string[] = []) => ({
      name,
      status,
      dependsOn,
      sessionId,
      startedAt: status === 'running' ? at : null,
      endedAt: null,
      error: null,
    });
    const pipeline = {
      id: 'p-dead-node',
      name: 'nightly',
      status: 'running',
      ownerId: null,
      createdAt: at,
      updatedAt: at,
      endedAt: null,
      error: null,
      stages: [stage('build', 'running', session.id), stage('test', 'pending', null, ['build'])],
    };
    const spec = {
      name: 'nightly',
      stages: [
        { name: 'build', dependsOn: [], spec: { workDir: '/w', prompt: 'first' } },
        { name: 'test', dependsOn: ['build'], spec: { workDir: '/w', prompt: 'second' } },
      ],
    };
    // …run by a node whose hold ran out a while ago.
    await pgQuery(
      `insert into "${schema}"."pipelines" ("id", "owner_id", "state", "spec", "status", "created_at", "updated_at", "runner_node", "runner_until")
       values ($1, null, 'running', $2::json, $3::json, $4, $4, 'node-dead', '2000-01-01T00:00:00.000Z')`,
      [pipeline.id, JSON.stringify(spec), JSON.stringify(pipeline), at],
    );
    await until(async () => (await pipelineRow(schema, pipeline.id))?.state === 'completed');
    const done = await b.aegis.pipelines.get(pipeline.id, admin);
    expect(done.stages.map((s) => [s.name, s.status])).toEqual([
      ['build', 'completed'],
      ['test', 'completed'],
    ]);
    const testSession = done.stages[1]?.sessionId;
    expect(testSession).toBeTruthy();
    expect((await b.aegis.sessions.get(testSession as string)).node).toBe('node-b');
    expect((await pipelineRow(schema, pipeline.id))?.runner_node).toBe('node-b');
  });

  it('a node whose pipeline another node took over writes nothing more of it and starts none of its stages', async () => {
    const schema = testSchema();
    const a = await node(schema, 'node-a', (t) =>
      t === 'gate' ? [{ permission: { title: 'go on?' } }, say('done')] : [say(t)],
    );
    const p = await a.aegis.pipelines.create(
      {
        name: 'two',
        stages: [
          { name: 'one', spec: { workDir: '/w', prompt: 'gate' } },
          { name: 'two', spec: { workDir: '/w', prompt: 'x' }, dependsOn: ['one'] },
        ],
      },
      admin,
    );
    await until(async () => (await pipelineRow(schema, p.id))?.status.stages[0]?.status === 'running');
    let first = '';
    await until(async () => {
      const s = (await a.aegis.sessions.list({}, admin)).sessions[0];
      first = s?.id ?? '';
      return s?.status === 'permission_prompt';
    });
    // Another node takes the pipeline over (as if node A had been paused past its hold).
    await pgQuery(
      `update "${schema}"."pipelines" set "runner_node" = 'node-x', "runner_until" = '2999-01-01T00:00:00.000Z' where "id" = $1`,
      [p.id],
    );
    await a.aegis.sessions.respondPermission(first, { approve: true }, admin);
    await until(async () => (await a.aegis.sessions.get(first)).status === 'idle');
    await new Promise((r) => setTimeout(r, 300));
    // The stage's end was not written by node A, and no session was started for stage "two".
    const row = await pipelineRow(schema, p.id);
    expect(row?.runner_node).toBe('node-x');
    expect(row?.status.stages.map((s) => s.status)).toEqual(['running', 'pending']);
    expect((await a.aegis.sessions.list({}, admin)).sessions).toHaveLength(1);
  });

  it('a draining node hands its pipelines over at once', async () => {
    const schema = testSchema();
    const a = await node(schema, 'node-a', (t) =>
      t === 'gate' ? [{ permission: { title: 'go on?' } }, say('done')] : [say(t)],
    );
    const b = await node(schema, 'node-b');
    const p = await a.aegis.pipelines.create(
      {
        name: 'handed-over',
        stages: [
          { name: 'one', spec: { workDir: '/w', prompt: 'gate' } },
          { name: 'two', spec: { workDir: '/w', prompt: 'x' }, dependsOn: ['one'] },
        ],
      },
      admin,
    );
    await until(async () => (await pipelineRow(schema, p.id))?.status.stages[0]?.status === 'running');
    await a.aegis.drain({ waitMs: 0 });
    await until(async () => (await pipelineRow(schema, p.id))?.runner_node === 'node-b', 5_000);
    await a.aegis.close();
    // Node B adopts the stage's session: its turn (waiting on a person on node A) ended with A's
    // agent, so the stage fails and the pipeline settles instead of staying `running` for ever.
    await until(async () => (await pipelineRow(schema, p.id))?.state === 'failed');
    const settled = await b.aegis.pipelines.get(p.id, admin);
    expect(settled.stages.map((s) => s.status)).toEqual(['failed', 'skipped']);
  });
});
