// biome-ignore-all lint/suspicious/noExplicitAny: route tests read loosely typed JSON bodies; the schemas are tested by the spec
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAcpDriver } from '@aegis/acp-runtime';
import { createAegis, createMemoryStore } from '@aegis/core';
import { SCRIPTED_AGENT_BIN } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { createLogger } from '../logger.js';
import { startRoutineScheduler } from '../routine-scheduler.js';
import { checkWorkDir } from '../workdir.js';

/** /v1/routines in-process, with API keys of every role and the scripted agent as a real child process. */

const root = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-routines-')));
const driver = createAcpDriver({
  agents: { scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] } },
  defaultAgent: 'scripted',
});
const store = createMemoryStore();
const aegis = createAegis({ agent: driver, store, resolveWorkDir: async (d) => checkWorkDir(d, [root]) });
const app = createApp({
  aegis,
  agents: driver.agents,
  security: {
    apiKeys: store.apiKeys,
    audit: store.audit,
    limits: { authFailuresPerMinute: 1e6, requestsPerMinute: 1e6, sessionsPerKey: 2 },
  },
});
// The server's scheduler (a long tick: these tests fire through "run now").
const scheduler = startRoutineScheduler({
  aegis,
  apiKeys: store.apiKeys,
  audit: store.audit,
  admission: app.sessionAdmission,
  bootstrapToken: false,
  logger: createLogger('error'),
  tickMs: 3_600_000,
});
afterAll(async () => {
  await scheduler.close();
  await aegis.close();
  rmSync(root, { recursive: true, force: true });
});

type Who = 'admin' | 'operator' | 'other' | 'viewer';
const secrets = {} as Record<Who, string>;
const ids = {} as Record<Who, string>;
let dirs = 0;
const newDir = () => {
  const dir = join(root, `d${++dirs}`);
  mkdirSync(dir);
  return dir;
};

async function call(who: Who, method: string, path: string, body?: unknown) {
  const res = await app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${secrets[who]}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  for (const [who, role] of [
    ['admin', 'admin'],
    ['operator', 'operator'],
    ['other', 'operator'],
    ['viewer', 'viewer'],
  ] as const) {
    const res = await app.request('/v1/auth/keys', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secrets.admin ? { authorization: `Bearer ${secrets.admin}` } : {}),
      },
      body: JSON.stringify({ name: who, role }),
    });
    expect(res.status).toBe(201);
    const key = (await res.json()) as { secret: string; key: { id: string } };
    secrets[who] = key.secret;
    ids[who] = key.key.id;
  }
});

const routine = (extra: Record<string, unknown> = {}) => ({
  name: 'nightly',
  schedule: '0 3 * * *',
  timezone: 'Europe/Rome',
  target: { session: { workDir: newDir(), prompt: 'hello' } },
  ...extra,
});

describe('bad input', () => {
  it.each([
    [
      'an invalid cron expression',
      { schedule: '0 25 * * *' },
      'schedule',
      /not a valid cron expression \(Invalid value for hour: 25\)/,
    ],
    [
      'an unknown time zone',
      { timezone: 'Europe/Atlantis' },
      'timezone',
      /unknown time zone "Europe\/Atlantis"/,
    ],
    [
      'a one-off time in the past',
      { schedule: '2001-01-01T00:00:00Z' },
      'schedule',
      /has no due time after now/,
    ],
    ['an impossible date', { schedule: '0 0 31 2 *' }, 'schedule', /has no due time after now/],
    [
      'a template that does not exist',
      { target: { template: 'no-such-template', workDir: root } },
      'target.template',
      /no template "no-such-template" that you can use/,
    ],
  ])('%s → 400 naming the field', async (_what, extra, path, why) => {
    const { status, body } = await call('operator', 'POST', '/v1/routines', routine(extra));
    expect(status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.issues[0].path).toBe(path);
    expect(body.error.details.issues[0].message).toMatch(why);
  });

  it('refuses a target that is not exactly one of session, template or pipeline', async () => {
    const { status, body } = await call(
      'operator',
      'POST',
      '/v1/routines',
      routine({ target: { nothing: true } }),
    );
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/^Invalid request: target/);
  });

  it('refuses a workDir outside the allowed directories at create', async () => {
    const { status, body } = await call(
      'operator',
      'POST',
      '/v1/routines',
      routine({ target: { session: { workDir: '/etc' } } }),
    );
    expect(status).toBe(400);
    expect(body.error.code).toBe('WORKDIR_DENIED');
  });

  it('previews the next 10 due times, and refuses a bad schedule there too', async () => {
    const ok = await call(
      'viewer',
      'GET',
      '/v1/routines/preview?schedule=30%202%20*%20*%20*&timezone=Europe/Rome',
    );
    expect(ok.status).toBe(200);
    expect(ok.body.times).toHaveLength(10);
    expect(ok.body.timezone).toBe('Europe/Rome');
    const bad = await call('viewer', 'GET', '/v1/routines/preview?schedule=every%20now%20and%20then');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].path).toBe('schedule');
    const tz = await call('viewer', 'GET', '/v1/routines/preview?schedule=@daily&timezone=Nowhere/Land');
    expect(tz.status).toBe(400);
    expect(tz.body.error.details.issues[0].path).toBe('timezone');
  });
});

describe('roles and owners', () => {
  it('a viewer may read but not create, change or run', async () => {
    const created = await call('operator', 'POST', '/v1/routines', routine());
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await call('viewer', 'POST', '/v1/routines', routine())).status).toBe(403);
    expect((await call('viewer', 'GET', '/v1/routines')).status).toBe(200);
    for (const [method, path, body] of [
      ['PATCH', `/v1/routines/${id}`, { name: 'x' }],
      ['DELETE', `/v1/routines/${id}`, undefined],
      ['POST', `/v1/routines/${id}/pause`, undefined],
      ['POST', `/v1/routines/${id}/resume`, undefined],
      ['POST', `/v1/routines/${id}/run`, undefined],
    ] as const) {
      expect((await call('viewer', method, path, body)).status, `${method} ${path}`).toBe(403);
    }
  });

  it('owners see and change only their own routines; admins see every one', async () => {
    const mine = await call('operator', 'POST', '/v1/routines', routine({ name: 'mine' }));
    const theirs = await call('other', 'POST', '/v1/routines', routine({ name: 'theirs' }));
    expect(mine.body).toMatchObject({ ownerId: ids.operator, ownerRole: 'operator', enabled: true });
    const names = async (who: Who) =>
      (await call(who, 'GET', '/v1/routines?limit=100')).body.routines.map((r: any) => r.id);
    expect(await names('operator')).toContain(mine.body.id);
    expect(await names('operator')).not.toContain(theirs.body.id);
    expect(await names('admin')).toEqual(expect.arrayContaining([mine.body.id, theirs.body.id]));
    expect((await call('other', 'GET', `/v1/routines/${mine.body.id}`)).status).toBe(404);
    expect((await call('other', 'PATCH', `/v1/routines/${mine.body.id}`, { name: 'stolen' })).status).toBe(
      404,
    );
    expect((await call('other', 'POST', `/v1/routines/${mine.body.id}/run`)).status).toBe(404);
    expect((await call('admin', 'POST', `/v1/routines/${mine.body.id}/pause`)).body.enabled).toBe(false);
  });
});

describe('lifecycle', () => {
  it('creates, edits, pauses, resumes, runs now (a real session), lists runs and deletes; each change audited', async () => {
    const created = await call('operator', 'POST', '/v1/routines', routine({ name: 'life' }));
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({ scheduleKind: 'cron', overlap: 'skip', catchUp: 'latest' });
    expect(Date.parse(created.body.nextFireAt)).toBeGreaterThan(Date.now());

    const edited = await call('operator', 'PATCH', `/v1/routines/${id}`, {
      schedule: 'every 5m',
      overlap: 'queue',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      schedule: 'every 5m',
      scheduleKind: 'interval',
      overlap: 'queue',
      name: 'life',
    });
    const badEdit = await call('operator', 'PATCH', `/v1/routines/${id}`, { timezone: 'Moon/Base' });
    expect(badEdit.status).toBe(400);

    const paused = await call('operator', 'POST', `/v1/routines/${id}/pause`);
    expect(paused.body).toMatchObject({ enabled: false, nextFireAt: null });
    const resumed = await call('operator', 'POST', `/v1/routines/${id}/resume`);
    expect(resumed.body.enabled).toBe(true);
    expect(resumed.body.nextFireAt).not.toBeNull();

    const run = await call('operator', 'POST', `/v1/routines/${id}/run`);
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ trigger: 'manual', outcome: 'running', error: null });
    const session = await call('operator', 'GET', `/v1/sessions/${run.body.sessionId}`);
    expect(session.status).toBe(200);
    const runs = await call('operator', 'GET', `/v1/routines/${id}/runs`);
    expect(runs.body).toMatchObject({ total: 1, runs: [{ id: run.body.id, sessionId: run.body.sessionId }] });
    await call('admin', 'DELETE', `/v1/sessions/${run.body.sessionId}`);

    expect((await call('operator', 'DELETE', `/v1/routines/${id}`)).status).toBe(200);
    expect((await call('operator', 'GET', `/v1/routines/${id}`)).status).toBe(404);

    const audit = await call('admin', 'GET', `/v1/audit?limit=1000`);
    const actions = audit.body.records
      .filter((r: any) => r.target === id || r.details?.path?.includes(id) || r.action === 'createRoutine')
      .map((r: any) => r.action);
    for (const op of [
      'createRoutine',
      'updateRoutine',
      'pauseRoutine',
      'resumeRoutine',
      'runRoutine',
      'deleteRoutine',
    ]) {
      expect(actions, op).toContain(op);
    }
    expect(audit.body.records.some((r: any) => r.action === 'routine.fired' && r.target === id)).toBe(true);
  });

  it("counts a fire against the owner's session caps: past the cap the run fails saying why", async () => {
    const mk = await call('other', 'POST', '/v1/routines', routine({ name: 'capped' }));
    const first = await call('other', 'POST', `/v1/routines/${mk.body.id}/run`);
    const second = await call('other', 'POST', `/v1/routines/${mk.body.id}/run`);
    expect([first.body.outcome, second.body.outcome]).toEqual(['running', 'running']);
    const third = await call('other', 'POST', `/v1/routines/${mk.body.id}/run`);
    expect(third.body).toMatchObject({ outcome: 'failed', sessionId: null });
    expect(third.body.error).toMatch(/past its maximum of 2/);
    for (const r of [first, second]) await call('admin', 'DELETE', `/v1/sessions/${r.body.sessionId}`);
  });

  it('fails the runs of a routine whose owner key was revoked', async () => {
    const mk = await call('other', 'POST', '/v1/routines', routine({ name: 'orphan' }));
    const revoked = await call('admin', 'DELETE', `/v1/auth/keys/${ids.other}`);
    expect(revoked.status).toBe(200);
    const run = await call('admin', 'POST', `/v1/routines/${mk.body.id}/run`);
    expect(run.body).toMatchObject({ outcome: 'failed', sessionId: null });
    expect(run.body.error).toMatch(new RegExp(`API key ${ids.other}, is revoked`));
  });
});
