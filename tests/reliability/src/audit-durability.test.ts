// Issue 22, item 8: audit rows were written after the change they record — a SIGKILL 0.4 s after a
// batch create left three sessions and no audit row, and verify said ok. The record of an
// authorized change is now stored before the change runs, and its outcome before the answer.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, type ServerProcess, startServerProcess, tempDir } from './harness.js';

describe('audit records and a SIGKILLed server', () => {
  const root = tempDir('audit-kill');
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
    root.remove();
  });
  const start = async (stateDir: string, work: string) => {
    const s = await startServerProcess({ stateDir, allowedWorkDirs: [work] });
    servers.push(s);
    return s;
  };
  const storedSessions = (stateDir: string): number => {
    const raw = new Database(join(stateDir, 'aegis.db'), { readonly: true });
    try {
      return (raw.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
    } finally {
      raw.close();
    }
  };

  it('killed right after a batch create returns: the record and its outcome are there after restart', async () => {
    const stateDir = root.sub('state-returned');
    const work = root.sub('work-returned');
    const first = await start(stateDir, work);
    const dirs = ['a', 'b', 'c'].map((d) => root.sub(`work-returned/${d}`));
    const created = await first.client.batchCreateSessions({
      sessions: dirs.map((workDir) => ({ workDir })),
    });
    first.child.kill('SIGKILL');
    await first.exited;
    expect(created.succeeded).toBe(3);

    const second = await start(stateDir, work);
    const { records } = await second.client.queryAudit({ action: 'batchCreateSessions' });
    expect(records.map((r) => r.outcome)).toEqual(['started', '200']);
    expect(records[1]!.details).toMatchObject({
      intent: records[0]!.id,
      sessionIds: created.results.map((r) => r.session!.id),
    });
    const { verification } = await second.client.queryAudit({ verify: 'true', limit: 1 });
    expect(verification).toMatchObject({ ok: true, firstBroken: null });
  });

  it('killed while the batch create is still running: every stored session has its record', async () => {
    const stateDir = root.sub('state-inflight');
    const work = root.sub('work-inflight');
    const first = await start(stateDir, work);
    const dirs = ['a', 'b', 'c'].map((d) => root.sub(`work-inflight/${d}`));
    // The agents take 20 s to start, so the create is still waiting on them when the server dies.
    const pending = first.client
      .batchCreateSessions({
        sessions: dirs.map((workDir) => ({ workDir, env: { SCRIPTED_AGENT_SLOW_START_MS: '20000' } })),
      })
      .catch((err: unknown) => err);
    const t0 = Date.now();
    expect(await eventually(() => storedSessions(stateDir) === 3, 10_000)).toBe(true);
    const storedAfterMs = Date.now() - t0;
    first.child.kill('SIGKILL');
    await first.exited;
    await pending;

    const second = await start(stateDir, work);
    const { sessions } = await second.client.listSessions({});
    expect(sessions).toHaveLength(3);
    const { records } = await second.client.queryAudit({ action: 'batchCreateSessions' });
    console.log(
      `[figures] SIGKILL ${storedAfterMs} ms into a batch create (3 sessions stored, agents still starting): ` +
        `${records.length} audit record(s) after restart: ${records.map((r) => r.outcome).join(', ')}`,
    );
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      actorId: 'local',
      outcome: 'started',
      details: { method: 'POST', path: '/v1/sessions/batch', body: { fields: { sessions: { items: 3 } } } },
    });
    const { verification } = await second.client.queryAudit({ verify: 'true', limit: 1 });
    expect(verification).toMatchObject({ ok: true, firstBroken: null });
  });
});
