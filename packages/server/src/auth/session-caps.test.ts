// Session caps under concurrency (issue 22, item 9): each starting session counts once, the global
// cap counts the store's live sessions (so it holds across servers sharing one database), and a
// create that will reuse a session starting in the same folder consumes nothing.
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptedServerConfig } from '@aegis/testkit';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type RunningServer, startServer } from '../server.js';
import { boot } from './__fixtures__/attack-server.js';

vi.setConfig({ testTimeout: 60_000 });

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each([
  ['sessionsGlobal', { sessionsGlobal: 4, sessionsPerKey: 100 }],
  ['sessionsPerKey', { sessionsGlobal: 100, sessionsPerKey: 4 }],
])('the %s cap under concurrent creates', (_name, limits) => {
  it('lets N creates in flight at once fill a cap of N (none refused), then refuses one more', async () => {
    const l = await boot({ limits: { ...limits, requestsPerMinute: 10_000 } });
    try {
      const admin = await l.key('admin');
      const op = await l.key('operator', admin);
      const create = (d: string) => {
        mkdirSync(join(l.work, d), { recursive: true });
        return l.call('POST', '/v1/sessions', { token: op, body: { workDir: join(l.work, d) } });
      };
      // Staggered, so later checks run while earlier sessions are recorded but still starting
      // their agents (where they used to be counted twice).
      const results = await Promise.all(
        ['1', '2', '3', '4'].map((d, i) => delay(i * 40).then(() => create(d))),
      );
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
      expect(await create('5').then((r) => r.status)).toBe(429);

      for (const r of results) await l.call('DELETE', `/v1/sessions/${r.body.session.id}`, { token: op });
      const burst = await Promise.all(
        ['a', 'b', 'c', 'd', 'e'].map((d, i) => delay(i * 15).then(() => create(d))),
      );
      expect(burst.filter((r) => r.status === 429)).toHaveLength(1);
      expect(burst.filter((r) => r.status === 201)).toHaveLength(4);
      const all = await Promise.all(['f', 'g', 'h', 'i', 'j'].map(create));
      expect(all.every((r) => r.status === 429)).toBe(true);
    } finally {
      await l.server.close();
    }
  });
});

describe('reuse under the caps', () => {
  it('lets concurrent creates in one new folder share the session being started, at a cap of 1', async () => {
    const l = await boot({ limits: { sessionsGlobal: 1, sessionsPerKey: 1, requestsPerMinute: 10_000 } });
    try {
      mkdirSync(join(l.work, 'same'));
      const body = { workDir: join(l.work, 'same') };
      const results = await Promise.all(
        [0, 1, 2, 3].map((i) => delay(i * 20).then(() => l.call('POST', '/v1/sessions', { body }))),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
      expect(new Set(results.map((r) => r.body.session.id)).size).toBe(1);
      // …and the cap is full: another folder is refused.
      mkdirSync(join(l.work, 'other'));
      const other = await l.call('POST', '/v1/sessions', { body: { workDir: join(l.work, 'other') } });
      expect(other.status).toBe(429);
      expect(other.body.error.message).toMatch(/sessionsGlobal/);
    } finally {
      await l.server.close();
    }
  });
});

describe('the global cap on two servers sharing PostgreSQL', () => {
  const PG_URL = process.env.AEGIS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `aegis_caps_${process.pid}_${Date.now().toString(36)}`;
  const servers: RunningServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });

  it('counts the sessions of both servers', async () => {
    const shared = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-caps-pg-')));
    const work = join(shared, 'work');
    for (const d of ['1', '2', '3']) mkdirSync(join(work, d), { recursive: true });
    for (const node of ['a', 'b']) {
      servers.push(
        await startServer({
          ignoreEnv: true,
          config: scriptedServerConfig(join(shared, node), {
            sessionStore: 'postgres' as const,
            postgresUrl: PG_URL,
            pgSchema: schema,
            pgPoolMax: 4,
            resumeOnRestart: false,
            allowedWorkDirs: [work],
            limits: { sessionsGlobal: 2 },
          }),
        }),
      );
    }
    const [a, b] = servers as [RunningServer, RunningServer];
    const create = async (server: RunningServer, d: string) => {
      const res = await fetch(`${server.url}/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ workDir: join(work, d) }),
      });
      return { status: res.status, body: (await res.json()) as { error?: { message: string } } };
    };
    expect((await create(a, '1')).status).toBe(201);
    expect((await create(b, '2')).status).toBe(201);
    const third = await create(a, '3');
    expect(third.status).toBe(429);
    expect(third.body.error?.message).toMatch(/2 of the maximum of 2 live sessions/);
  });
});
