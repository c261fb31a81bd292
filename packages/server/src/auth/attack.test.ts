import { mkdirSync, mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCRIPTED_AGENT_BIN, script } from '@aegis/testkit';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthResponse } from '../api-schemas.js';
import { startServer } from '../server.js';
import { type Booted, boot, firstFrame } from './__fixtures__/attack-server.js';

let s: Booted;
let admin: string;
let opA: string;
let opB: string;
let viewer: string;
let sessionA: string;
const workA = () => join(s.work, 'a');

const countSessions = async () =>
  (await s.call('GET', '/v1/sessions?limit=100', { token: admin })).body.total as number;
const auditCount = async () =>
  (await s.call('GET', '/v1/audit?limit=10000', { token: admin })).body.records.length as number;

beforeAll(async () => {
  s = await boot({
    limits: { authFailuresPerMinute: 10_000, requestsPerMinute: 10_000 },
    bodyLimitBytes: 64 * 1024,
  });
  admin = await s.key('admin'); // zero-config: the first key needs no credential
  opA = await s.key('operator', admin);
  opB = await s.key('operator', admin);
  viewer = await s.key('viewer', admin);
  mkdirSync(workA());
  const created = await s.call('POST', '/v1/sessions', { token: opA, body: { workDir: workA() } });
  expect(created.status).toBe(201);
  sessionA = created.body.session.id;
});
afterAll(() => s.server.close());

describe('authentication', () => {
  it('refuses requests without a token once a key exists, and changes nothing', async () => {
    const before = await countSessions();
    const res = await s.call('POST', '/v1/sessions', { body: { workDir: workA() } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
    expect(await countSessions()).toBe(before);
  });

  it.each([
    ['a wrong key', 'aegis_wrong'],
    ['an empty bearer', ''],
    ['a very long bearer', 'x'.repeat(5000)],
  ])('refuses %s with 401', async (_label, token) => {
    const res = await s.call('GET', '/v1/sessions', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
  });

  it('answers health to anyone, but only the status without a key', async () => {
    const anonymous = await s.call('GET', '/v1/health');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ status: 'ok' });
    const known = await s.call('GET', '/v1/health', { token: viewer });
    expect(known.body).toMatchObject({ status: 'ok', version: expect.any(String) });
    // The published schema describes both answers (only `status` is required), so generated
    // clients do not promise fields an anonymous caller never gets.
    expect(HealthResponse.safeParse(anonymous.body).success).toBe(true);
    expect(HealthResponse.parse(known.body)).toMatchObject({ sessions: { live: expect.any(Number) } });
  });

  it('never accepts an API key in the query string', async () => {
    const res = await s.call('GET', `/v1/sessions?token=${admin}`);
    expect(res.status).toBe(401);
    const sse = await firstFrame(`${s.server.url}/v1/sessions/${sessionA}/events?token=${opA}`);
    expect(sse.status).toBe(401);
  });

  it('refuses to listen on a public address with no credential, saying how to create a key', async () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-public-')));
    await expect(
      startServer({ ignoreEnv: true, config: { host: '0.0.0.0', port: 0, stateDir: root } }),
    ).rejects.toThrow(/ag keys create/);
  });

  it('AEGIS_AUTH_TOKEN is a bootstrap admin credential: a non-loopback address starts with it', async () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-bootstrap-')));
    const token = 'bootstrap-admin-token-0123456789abcdef';
    // 127.0.0.2 is not one of the zero-config loopback names, so the server needs a credential.
    const server = await startServer({
      ignoreEnv: true,
      config: { host: '127.0.0.2', port: 0, stateDir: root, authToken: token },
    });
    try {
      const get = (headers: Record<string, string> = {}) =>
        fetch(`${server.url}/v1/auth/keys`, { headers }).then((r) => r.status);
      expect(await get()).toBe(401);
      expect(await get({ authorization: 'Bearer not-the-token-0123456789' })).toBe(401);
      expect(await get({ authorization: `Bearer ${token}` })).toBe(200);
      const health = await fetch(`${server.url}/v1/health`).then((r) => r.json());
      expect(health).toEqual({ status: 'ok' });
    } finally {
      await server.close();
    }
  });
});

describe('roles', () => {
  it('a viewer cannot create, send, approve or kill, and nothing changes', async () => {
    const before = await countSessions();
    const attempts = [
      s.call('POST', '/v1/sessions', { token: viewer, body: { workDir: workA() } }),
      s.call('POST', `/v1/sessions/${sessionA}/send`, { token: viewer, body: { text: 'hi' } }),
      s.call('POST', `/v1/sessions/${sessionA}/approve`, { token: viewer, body: {} }),
      s.call('DELETE', `/v1/sessions/${sessionA}`, { token: viewer }),
      s.call('POST', '/v1/auth/keys', { token: viewer, body: { name: 'x', role: 'admin' } }),
      s.call('GET', '/v1/audit', { token: viewer }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect(await countSessions()).toBe(before);
    expect((await s.call('GET', `/v1/sessions/${sessionA}`, { token: admin })).body.status).toBe('idle');
  });

  it('an operator cannot manage keys or read the audit log', async () => {
    expect((await s.call('GET', '/v1/auth/keys', { token: opA })).status).toBe(403);
    expect((await s.call('GET', '/v1/audit', { token: opA })).status).toBe(403);
  });
});

describe('ownership', () => {
  it.each([
    ['GET', ''],
    ['POST', '/send', { text: 'hi' }],
    ['POST', '/approve', {}],
    ['POST', '/reject', {}],
    ['POST', '/interrupt'],
    ['POST', '/mode', { mode: 'plan' }],
    ['GET', '/read'],
    ['GET', '/transcript/cursor'],
    ['DELETE', ''],
  ])("another operator gets 404 for %s /v1/sessions/{A's}%s", async (method, suffix, body?: unknown) => {
    const res = await s.call(method, `/v1/sessions/${sessionA}${suffix}`, { token: opB, body });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('SESSION_NOT_FOUND');
    const after = await s.call('GET', `/v1/sessions/${sessionA}`, { token: opA });
    expect(after.body.status).toBe('idle');
    expect(after.body.permissionMode).not.toBe('plan');
  });

  it.each([
    ['POST', '/answer', { answer: 'yes' }],
    ['POST', '/escape'],
    ['GET', '/summary'],
    ['GET', '/metrics'],
    ['GET', '/latency'],
    ['GET', '/health'],
    ['POST', '/discover-commands'],
  ])("another operator gets 404 for %s /v1/sessions/{A's}%s", async (method, suffix, body?: unknown) => {
    const auditBefore = await auditCount();
    const res = await s.call(method, `/v1/sessions/${sessionA}${suffix}`, { token: opB, body });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('SESSION_NOT_FOUND');
    expect((await s.call('GET', `/v1/sessions/${sessionA}`, { token: opA })).body.status).toBe('idle');
    // Mutating attempts are audited (the record written before the handler ran, then its 404), nothing else.
    expect(await auditCount()).toBe(auditBefore + (method === 'GET' ? 0 : 2));
  });

  it.each([
    ['GET', ''],
    ['GET', '/read'],
    ['GET', '/summary'],
    ['GET', '/health'],
  ])("a viewer key of another owner gets 404 for %s /v1/sessions/{A's}%s", async (method, suffix) => {
    const res = await s.call(method, `/v1/sessions/${sessionA}${suffix}`, { token: viewer });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('SESSION_NOT_FOUND');
  });

  it("batch delete with another owner's ids fails per item with 404 and kills nothing", async () => {
    const res = await s.call('DELETE', '/v1/sessions/batch', { token: opB, body: { ids: [sessionA] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ succeeded: 0, failed: 1 });
    expect(res.body.results[0]).toMatchObject({ ok: false, error: { code: 'SESSION_NOT_FOUND' } });
    expect((await s.call('GET', `/v1/sessions/${sessionA}`, { token: opA })).body.status).toBe('idle');
  });

  it("a parentId naming another owner's session is 404, and creates nothing", async () => {
    const before = await countSessions();
    const res = await s.call('POST', '/v1/sessions', {
      token: opB,
      body: { workDir: s.work, parentId: sessionA },
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('SESSION_NOT_FOUND');
    expect(await countSessions()).toBe(before);
  });

  it("another operator's pipelines are 404 and absent from its list", async () => {
    const pipeDir = join(s.work, 'pipe');
    mkdirSync(pipeDir);
    const mine = await s.call('POST', '/v1/pipelines', {
      token: opA,
      body: { name: 'own', stages: [{ name: 'a', spec: { workDir: pipeDir, prompt: 'hi' } }] },
    });
    expect(mine.status).toBe(201);
    const other = await s.call('GET', `/v1/pipelines/${mine.body.id}`, { token: opB });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('NOT_FOUND');
    const list = await s.call('GET', '/v1/pipelines', { token: opB });
    expect(list.body.pipelines.map((p: { id: string }) => p.id)).not.toContain(mine.body.id);
    expect((await s.call('GET', `/v1/pipelines/${mine.body.id}`, { token: viewer })).status).toBe(404);
  });

  it("another operator's event stream of the session is 404 and its list omits it", async () => {
    expect(
      (await firstFrame(`${s.server.url}/v1/sessions/${sessionA}/events`, { authorization: `Bearer ${opB}` }))
        .status,
    ).toBe(404);
    const list = await s.call('GET', '/v1/sessions', { token: opB });
    expect(list.body.sessions.map((x: { id: string }) => x.id)).not.toContain(sessionA);
  });

  it('session reuse never crosses owners', async () => {
    const b = await s.call('POST', '/v1/sessions', { token: opB, body: { workDir: workA() } });
    expect(b.status).toBe(201);
    expect(b.body.reused).toBe(false);
    expect(b.body.session.id).not.toBe(sessionA);
    const a = await s.call('POST', '/v1/sessions', { token: opA, body: { workDir: workA() } });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ reused: true, session: { id: sessionA } });
    await s.call('DELETE', `/v1/sessions/${b.body.session.id}`, { token: opB });
  });

  it('an admin sees every owner’s session', async () => {
    expect((await s.call('GET', `/v1/sessions/${sessionA}`, { token: admin })).status).toBe(200);
  });
});

describe('event-stream tokens', () => {
  const mint = (token: string, sessionId?: string) =>
    s.call('POST', '/v1/auth/sse-token', { token, body: sessionId ? { sessionId } : {} });

  it('streams once, then the same token is refused', async () => {
    const { body } = await mint(opA, sessionA);
    const url = `${s.server.url}/v1/sessions/${sessionA}/events?token=${body.token}`;
    const first = await firstFrame(url);
    expect(first.status).toBe(200);
    expect(first.data).toMatchObject({ sessionId: sessionA, type: 'session.created' });
    expect((await firstFrame(url)).status).toBe(401);
  });

  it('a token scoped to one session does not open another', async () => {
    const other = await s.call('POST', '/v1/sessions', { token: opA, body: { workDir: s.work } });
    const { body } = await mint(opA, sessionA);
    const res = await firstFrame(
      `${s.server.url}/v1/sessions/${other.body.session.id}/events?token=${body.token}`,
    );
    expect(res.status).toBe(401);
    await s.call('DELETE', `/v1/sessions/${other.body.session.id}`, { token: opA });
  });

  it("an owner's unscoped token never streams another owner's session", async () => {
    const { body } = await mint(opB);
    expect(
      (await firstFrame(`${s.server.url}/v1/sessions/${sessionA}/events?token=${body.token}`)).status,
    ).toBe(404);
  });

  it("minting for another owner's session is 404", async () => {
    expect((await mint(opB, sessionA)).status).toBe(404);
  });

  it('a non-admin token does not open the global stream', async () => {
    const { body } = await mint(opA);
    expect((await firstFrame(`${s.server.url}/v1/events?token=${body.token}`)).status).toBe(403);
  });

  it('is accepted nowhere else: not as a bearer, not in other query strings', async () => {
    const one = (await mint(opA)).body.token;
    expect((await s.call('GET', '/v1/sessions', { token: one })).status).toBe(401);
    const two = (await mint(opA)).body.token;
    expect((await s.call('GET', `/v1/sessions?token=${two}`)).status).toBe(401);
    expect(
      (await firstFrame(`${s.server.url}/v1/sessions/${sessionA}/events`, { authorization: `Bearer ${two}` }))
        .status,
    ).toBe(401);
  });
});

describe('inputs', () => {
  it('rejects a symlink that escapes the allowed directories, and creates nothing', async () => {
    const outside = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-outside-')));
    const link = join(s.work, 'escape');
    symlinkSync(outside, link);
    const before = await countSessions();
    const res = await s.call('POST', '/v1/sessions', { token: opA, body: { workDir: link } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('WORKDIR_DENIED');
    expect(await countSessions()).toBe(before);
  });

  it('rejects a .. escape, and creates nothing', async () => {
    const before = await countSessions();
    const res = await s.call('POST', '/v1/sessions', { token: opA, body: { workDir: `${s.work}/../state` } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('WORKDIR_DENIED');
    expect(await countSessions()).toBe(before);
  });

  it.each([
    [
      'an oversized body',
      () => ({ raw: JSON.stringify({ workDir: workA(), prompt: 'x'.repeat(100_000) }) }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    ['malformed JSON', () => ({ raw: '{"workDir": ' }), 400, 'BAD_REQUEST'],
    [
      'an over-long name',
      () => ({ body: { workDir: workA(), name: 'n'.repeat(201) } }),
      400,
      'VALIDATION_FAILED',
    ],
    ['a wrong type', () => ({ body: { workDir: 42 } }), 400, 'VALIDATION_FAILED'],
  ])('rejects %s with its status and creates nothing', async (_label, make, status, code) => {
    const before = await countSessions();
    const res = await s.call('POST', '/v1/sessions', { token: opA, ...make() });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await countSessions()).toBe(before);
  });

  it.each([
    'LD_PRELOAD',
    'DYLD_INSERT_LIBRARIES',
    'NODE_OPTIONS',
    'PATH',
    'PYTHONPATH',
    'GIT_SSH_COMMAND',
    'HTTPS_PROXY',
    'CLAUDE_CONFIG_DIR',
    'AEGIS_AUTH_TOKEN',
  ])('refuses a session env setting %s with a 400 naming it, and creates nothing', async (name) => {
    const before = await countSessions();
    const res = await s.call('POST', '/v1/sessions', {
      token: opA,
      body: { workDir: workA(), reuse: false, env: { SAFE_VAR: 'ok', [name]: '/tmp/x' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain(`env variable ${name}`);
    expect(await countSessions()).toBe(before);
  });

  it('refuses a denied variable in any item of a batch or stage of a pipeline', async () => {
    const before = await countSessions();
    const env = { LD_PRELOAD: '/x.so' };
    const batch = await s.call('POST', '/v1/sessions/batch', {
      token: opA,
      body: { sessions: [{ workDir: workA() }, { workDir: workA(), env }] },
    });
    expect(batch.status).toBe(400);
    const pipeline = await s.call('POST', '/v1/pipelines', {
      token: opA,
      body: { name: 'p', stages: [{ name: 'a', spec: { workDir: workA(), prompt: 'x', env } }] },
    });
    expect(pipeline.status).toBe(400);
    expect(await countSessions()).toBe(before);
  });

  it('passes an allowed session variable to the agent', async () => {
    const dir = join(s.work, 'env');
    mkdirSync(dir);
    const res = await s.call('POST', '/v1/sessions', {
      token: opA,
      body: {
        workDir: dir,
        env: { SAFE_VAR: 'ok' },
        prompt: script({ echoEnv: ['SAFE_VAR', 'AEGIS_AUTH_TOKEN', 'LD_PRELOAD'] }),
      },
    });
    expect(res.status).toBe(201);
    const id = res.body.session.id;
    let reply: string | undefined;
    for (let i = 0; i < 200 && !reply; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const read = await s.call('GET', `/v1/sessions/${id}/read`, { token: opA });
      reply = (read.body.entries as { text?: string }[]).find((e) => e.text?.startsWith('{"SAFE_VAR"'))?.text;
    }
    expect(JSON.parse(reply ?? '{}')).toEqual({ SAFE_VAR: 'ok', AEGIS_AUTH_TOKEN: null, LD_PRELOAD: null });
    await s.call('DELETE', `/v1/sessions/${id}`, { token: opA });
  });
});

describe('keys', () => {
  it('lists keys without secrets or hashes', async () => {
    const res = await s.call('GET', '/v1/auth/keys', { token: admin });
    expect(res.status).toBe(200);
    for (const secret of [admin, opA, opB, viewer]) expect(res.text).not.toContain(secret);
    expect(res.text).not.toMatch(/hash/i);
    expect(res.body.keys.length).toBeGreaterThanOrEqual(4);
  });

  it('rotation keeps the identity; the old secret works through the grace period only', async () => {
    const old = await s.key('operator', admin);
    const mine = await s.call('POST', '/v1/sessions', { token: old, body: { workDir: s.work } });
    const keyId = (await s.call('GET', '/v1/auth/keys', { token: admin })).body.keys.at(-1).id;
    const graced = await s.call('POST', `/v1/auth/keys/${keyId}/rotate`, {
      token: admin,
      body: { gracePeriodSeconds: 600 },
    });
    expect(graced.status).toBe(200);
    const fresh = graced.body.secret;
    expect((await s.call('GET', '/v1/sessions', { token: old })).status).toBe(200);
    expect((await s.call('GET', `/v1/sessions/${mine.body.session.id}`, { token: fresh })).status).toBe(200);
    const now = await s.call('POST', `/v1/auth/keys/${keyId}/rotate`, {
      token: admin,
      body: { gracePeriodSeconds: 0 },
    });
    expect((await s.call('GET', '/v1/sessions', { token: fresh })).status).toBe(401);
    expect((await s.call('GET', '/v1/sessions', { token: old })).status).toBe(401);
    expect((await s.call('GET', '/v1/sessions', { token: now.body.secret })).status).toBe(200);
    await s.call('DELETE', `/v1/sessions/${mine.body.session.id}`, { token: now.body.secret });
  });

  it('a second graced rotation inside the grace period is refused (409), and the first grace holds', async () => {
    const original = await s.key('operator', admin);
    const keyId = (await s.call('GET', '/v1/auth/keys', { token: admin })).body.keys.at(-1).id;
    const rotate = (gracePeriodSeconds: number) =>
      s.call('POST', `/v1/auth/keys/${keyId}/rotate`, { token: admin, body: { gracePeriodSeconds } });
    const first = await rotate(600);
    expect(first.status).toBe(200);
    const second = await rotate(600);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('CONFLICT');
    expect(second.body.error.message).toMatch(/gracePeriodSeconds: 0/);
    expect((await s.call('GET', '/v1/sessions', { token: original })).status).toBe(200);
    expect((await s.call('GET', '/v1/sessions', { token: first.body.secret })).status).toBe(200);
    const now = await rotate(0);
    expect(now.status).toBe(200);
    expect((await s.call('GET', '/v1/sessions', { token: original })).status).toBe(401);
  });

  it('revoking a key invalidates the event-stream tokens it minted', async () => {
    const doomed = await s.key('admin', admin);
    const id = (await s.call('GET', '/v1/auth/keys', { token: admin })).body.keys.at(-1).id;
    const minted = await s.call('POST', '/v1/auth/sse-token', { token: doomed, body: {} });
    expect(minted.status).toBe(201);
    expect((await s.call('DELETE', `/v1/auth/keys/${id}`, { token: admin })).status).toBe(200);
    const res = await firstFrame(`${s.server.url}/v1/events?token=${minted.body.token}`);
    expect(res.status).toBe(401);
    expect(res.data.error.message).toMatch(/revoked/);
  });

  it('a revoked key and an expired key are refused', async () => {
    const doomed = await s.key('viewer', admin);
    const id = (await s.call('GET', '/v1/auth/keys', { token: admin })).body.keys.at(-1).id;
    expect((await s.call('DELETE', `/v1/auth/keys/${id}`, { token: admin })).body.status).toBe('revoked');
    expect((await s.call('GET', '/v1/sessions', { token: doomed })).status).toBe(401);
    const expired = await s.key('viewer', admin, { expiresAt: '2020-01-01T00:00:00Z' });
    expect((await s.call('GET', '/v1/sessions', { token: expired })).status).toBe(401);
  });
});

describe('audit', () => {
  it('records who did what to which session, including denials', async () => {
    const res = await s.call('GET', `/v1/audit?sessionId=${sessionA}`, { token: admin });
    expect(res.status).toBe(200);
    const actions = res.body.records.map(
      (r: { action: string; outcome: string }) => `${r.action}:${r.outcome}`,
    );
    expect(actions).toContain('approvePermission:403');
    expect(actions).toContain('sendMessage:404');
    const keyIds = (await s.call('GET', '/v1/auth/keys', { token: admin })).body.keys.map(
      (k: { id: string }) => k.id,
    );
    const created = (await s.call('GET', '/v1/audit?action=createSession', { token: admin })).body.records;
    // Written before the create ran: who asked for what (the digest), then the outcome.
    expect(created[0]).toMatchObject({
      actorId: keyIds[1],
      outcome: 'started',
      details: { method: 'POST', path: '/v1/sessions', body: { fields: { workDir: workA() } } },
    });
    expect(created[1]).toMatchObject({
      details: { intent: created[0].id },
      actorId: keyIds[1],
      actorRole: 'operator',
      target: sessionA,
      outcome: '201',
    });
    const byActor = (await s.call('GET', `/v1/audit?actor=${keyIds[2]}`, { token: admin })).body.records;
    expect(byActor.length).toBeGreaterThan(0);
    expect(byActor.every((r: { actorId: string }) => r.actorId === keyIds[2])).toBe(true);
  });

  it('filters by time range', async () => {
    const all = (await s.call('GET', '/v1/audit?limit=10000', { token: admin })).body.records as {
      id: number;
      at: string;
    }[];
    const mid = all[Math.floor(all.length / 2)]!;
    const q = (query: string) =>
      s.call('GET', `/v1/audit?limit=10000&${query}`, { token: admin }).then((r) => r.body.records);
    const from = await q(`from=${encodeURIComponent(mid.at)}`);
    const to = await q(`to=${encodeURIComponent(mid.at)}`);
    expect(from.length).toBeGreaterThan(0);
    expect(from.every((r: { at: string }) => r.at >= mid.at)).toBe(true);
    expect(to.every((r: { at: string }) => r.at <= mid.at)).toBe(true);
    expect(from.length + to.length).toBeGreaterThanOrEqual(all.length);
    expect(await q('from=2999-01-01T00:00:00Z')).toEqual([]);
    expect((await s.call('GET', '/v1/audit?from=yesterday', { token: admin })).status).toBe(400);
  });

  it('exports CSV and NDJSON', async () => {
    const csv = await s.call('GET', '/v1/audit?format=csv&action=createApiKey', { token: admin });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.split('\n')[0]).toBe(
      'id,at,actorId,actorRole,action,target,outcome,details,prevHash,hash',
    );
    const nd = await s.call('GET', '/v1/audit?format=ndjson&action=createApiKey', { token: admin });
    const lines = nd.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).toBe(csv.text.trim().split('\n').length - 1);
    expect(lines.every((r) => r.action === 'createApiKey')).toBe(true);
  });

  it('never holds a secret: not in the audit log, events, responses or logs', async () => {
    const audit = await s.call('GET', '/v1/audit?limit=10000', { token: admin });
    const events = JSON.stringify(await s.server.aegis.events({ limit: 100_000 }));
    const list = (await s.call('GET', '/v1/auth/keys', { token: admin })).text;
    const logs = s.logs.join('');
    for (const secret of [admin, opA, opB, viewer, '/x.so', '--require=/z']) {
      expect(audit.text).not.toContain(secret);
      expect(events).not.toContain(secret);
      expect(list).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });

  it('canary: no secret reaches any response, log line or audit row', async () => {
    const bootstrapToken = 'canary-bootstrap-0123456789abcdef';
    const webhookSecret = 'canary-webhook-secret-0123456789';
    const envSecret = 'canary-github-token-0123456789';
    const c = await boot({
      host: '127.0.0.2',
      authToken: bootstrapToken,
      webhooks: [{ url: 'http://127.0.0.1:9/hook', secret: webhookSecret }],
      agents: {
        scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN, '--api-key', 'canary-arg-secret'] },
      },
    });
    try {
      const apiKey = await c.key('operator', bootstrapToken);
      mkdirSync(join(c.work, 'canary'));
      const created = await c.call('POST', '/v1/sessions', {
        token: apiKey,
        body: { workDir: join(c.work, 'canary'), env: { GITHUB_TOKEN: envSecret }, prompt: 'hi' },
      });
      expect(created.status).toBe(201);
      const id = created.body.session.id;
      const sse = await c.call('POST', '/v1/auth/sse-token', { token: apiKey, body: { sessionId: id } });
      expect(sse.status).toBe(201);
      const sseToken = sse.body.token as string;
      const replay = await firstFrame(`${c.server.url}/v1/sessions/${id}/events?token=${sseToken}`);
      expect(replay.status).toBe(200);
      expect(replay.data).toBeDefined();
      // Every response scanned must be a success: an error body holds no secret and would pass.
      const scanned: [string, string, string][] = [
        ['GET', `/v1/sessions/${id}`, apiKey],
        ['GET', '/v1/sessions', apiKey],
        ['GET', `/v1/sessions/${id}/read`, apiKey],
        ['GET', '/v1/diagnostics', bootstrapToken],
        ['GET', '/v1/audit?limit=10000', bootstrapToken],
        ['GET', '/v1/audit?format=csv', bootstrapToken],
        ['GET', '/v1/audit?format=ndjson', bootstrapToken],
        ['GET', '/v1/auth/keys', bootstrapToken],
      ];
      const bodies = [created.text, JSON.stringify(replay.data)];
      for (const [method, path, token] of scanned) {
        const res = await c.call(method, path, { token });
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
        expect(res.text.length, path).toBeGreaterThan(2);
        bodies.push(res.text);
      }
      bodies.push(JSON.stringify(await c.server.aegis.events({ limit: 100_000 })));
      const raw = new Database(c.dbPath, { readonly: true });
      const rows = raw.prepare('SELECT * FROM audit_log').all();
      raw.close();
      expect(rows.length).toBeGreaterThan(0);
      const auditRows = JSON.stringify(rows);
      const logs = c.logs.join('');
      expect(logs).toContain('"msg":"request"');
      for (const secret of [
        envSecret,
        bootstrapToken,
        webhookSecret,
        apiKey,
        sseToken,
        'canary-arg-secret',
      ]) {
        for (const text of bodies) expect(text).not.toContain(secret);
        expect(logs).not.toContain(secret);
        expect(auditRows).not.toContain(secret);
      }
    } finally {
      await c.server.close();
    }
  });

  it('verify reports exactly the record edited in the SQLite file', async () => {
    const ok = await s.call('GET', '/v1/audit?verify=true&limit=1', { token: admin });
    expect(ok.body.verification).toMatchObject({ ok: true, firstBroken: null });
    const total = await auditCount();
    const target = Math.ceil(total / 2);
    const raw = new Database(s.dbPath);
    raw.prepare("UPDATE audit_log SET outcome = '200' WHERE id = ?").run(target);
    raw.close();
    const broken = await s.call('GET', '/v1/audit?verify=true&limit=1', { token: admin });
    expect(broken.body.verification).toEqual({
      ok: false,
      checked: target - 1,
      firstBroken: { id: target, reason: 'hash_mismatch' },
    });
  });
});

describe('limits', () => {
  it('answers 429 with Retry-After after too many failed authentications with one credential', async () => {
    const l = await boot({ limits: { authFailuresPerMinute: 3 } });
    try {
      const good = await l.key('admin');
      for (let i = 0; i < 3; i++)
        expect((await l.call('GET', '/v1/sessions', { token: 'wrong' })).status).toBe(401);
      const limited = await l.call('GET', '/v1/sessions', { token: 'wrong' });
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      // Others' failures never block a valid key (issue 22, item 16).
      expect((await l.call('GET', '/v1/sessions', { token: good })).status).toBe(200);
      expect((await l.call('GET', '/v1/health')).status).toBe(200);
    } finally {
      await l.server.close();
    }
  });

  it('limits requests per key', async () => {
    const l = await boot({ limits: { requestsPerMinute: 3 } });
    try {
      const a = await l.key('admin');
      const v = await l.key('viewer', a);
      for (let i = 0; i < 3; i++)
        expect((await l.call('GET', '/v1/sessions', { token: v })).status).toBe(200);
      const limited = await l.call('GET', '/v1/sessions', { token: v });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBeTruthy();
      expect((await l.call('GET', '/v1/auth/keys', { token: a })).status).toBe(200);
    } finally {
      await l.server.close();
    }
  });

  it('counts every session a batch would start against sessionsPerKey, and creates nothing past it', async () => {
    const l = await boot({ limits: { sessionsPerKey: 3, sessionsGlobal: 100 } });
    try {
      const a = await l.key('admin');
      const o = await l.key('operator', a);
      for (const d of ['1', '2', '3', '4', '5']) mkdirSync(join(l.work, d));
      const items = (...ds: string[]) => ({ sessions: ds.map((d) => ({ workDir: join(l.work, d) })) });
      const live = async () => (await l.call('GET', '/v1/sessions?limit=100', { token: a })).body.total;

      const over = await l.call('POST', '/v1/sessions/batch', { token: o, body: items('1', '2', '3', '4') });
      expect(over.status).toBe(429);
      expect(over.body.error.code).toBe('RATE_LIMITED');
      expect(over.body.error.message).toMatch(/would start 4 more.*sessionsPerKey/);
      expect(await live()).toBe(0);

      const fits = await l.call('POST', '/v1/sessions/batch', { token: o, body: items('1', '2', '3') });
      expect(fits.status).toBe(200);
      expect(fits.body).toMatchObject({ succeeded: 3, failed: 0 });
      expect(await live()).toBe(3);

      // At the cap: reusing an idle session starts nothing, so it is allowed…
      const reuse = await l.call('POST', '/v1/sessions', { token: o, body: { workDir: join(l.work, '1') } });
      expect(reuse.status).toBe(200);
      expect(reuse.body.reused).toBe(true);
      const reuseBatch = await l.call('POST', '/v1/sessions/batch', { token: o, body: items('2', '3') });
      expect(reuseBatch.status).toBe(200);
      expect(reuseBatch.body.results.map((r: { reused: boolean }) => r.reused)).toEqual([true, true]);
      // …but a batch where one item reuses and one would start a new session is refused whole.
      const mixed = await l.call('POST', '/v1/sessions/batch', { token: o, body: items('1', '4') });
      expect(mixed.status).toBe(429);
      // Two items for one idle session: only the first can reuse it.
      expect((await l.call('POST', '/v1/sessions/batch', { token: o, body: items('1', '1') })).status).toBe(
        429,
      );
      // The same folder with another model is not a reuse (the engine starts a new session), so
      // it counts too.
      const otherModel = await l.call('POST', '/v1/sessions', {
        token: o,
        body: { workDir: join(l.work, '1'), model: 'another-model' },
      });
      expect(otherModel.status).toBe(429);
      // A malformed batch is a 400 from validation, never a 429 from counting it.
      const tooMany = { sessions: Array.from({ length: 51 }, () => ({ workDir: join(l.work, '4') })) };
      expect((await l.call('POST', '/v1/sessions/batch', { token: o, body: tooMany })).status).toBe(400);
      const pipeline = await l.call('POST', '/v1/pipelines', {
        token: o,
        body: { name: 'p', stages: [{ name: 's', spec: { workDir: join(l.work, '5'), prompt: 'hi' } }] },
      });
      expect(pipeline.status).toBe(429);
      expect(await live()).toBe(3);
    } finally {
      await l.server.close();
    }
  });

  it('counts a batch against sessionsGlobal', async () => {
    const l = await boot({ limits: { sessionsPerKey: 50, sessionsGlobal: 2 } });
    try {
      const a = await l.key('admin');
      for (const d of ['1', '2', '3']) mkdirSync(join(l.work, d));
      const res = await l.call('POST', '/v1/sessions/batch', {
        token: a,
        body: { sessions: ['1', '2', '3'].map((d) => ({ workDir: join(l.work, d) })) },
      });
      expect(res.status).toBe(429);
      expect(res.body.error.message).toMatch(/sessionsGlobal/);
      expect((await l.call('GET', '/v1/sessions', { token: a })).body.total).toBe(0);
    } finally {
      await l.server.close();
    }
  });

  it("reserves a running pipeline's stages that have yet to start", async () => {
    const l = await boot({ limits: { sessionsPerKey: 2, sessionsGlobal: 100 } });
    try {
      const a = await l.key('admin');
      const o = await l.key('operator', a);
      for (const d of ['1', '2', '3']) mkdirSync(join(l.work, d));
      const spec = (d: string, prompt: string) => ({ workDir: join(l.work, d), prompt });
      const p = await l.call('POST', '/v1/pipelines', {
        token: o,
        body: {
          name: 'p',
          stages: [
            { name: 'first', spec: spec('1', script({ sleep: 60_000 })) },
            { name: 'second', spec: spec('2', 'hi'), dependsOn: ['first'] },
          ],
        },
      });
      expect(p.status).toBe(201);
      const res = await l.call('POST', '/v1/sessions', { token: o, body: { workDir: join(l.work, '3') } });
      expect(res.status).toBe(429);
      expect(res.body.error.message).toMatch(/1 pipeline stages yet to start/);
    } finally {
      await l.server.close();
    }
  });

  it('caps live sessions per key and globally, and creates nothing past a cap', async () => {
    const l = await boot({ limits: { sessionsPerKey: 1, sessionsGlobal: 2 } });
    try {
      const a = await l.key('admin');
      const [o1, o2] = [await l.key('operator', a), await l.key('operator', a)];
      for (const d of ['1', '2', '3', '4']) mkdirSync(join(l.work, d));
      const dir = (d: string) => ({ workDir: join(l.work, d) });
      expect((await l.call('POST', '/v1/sessions', { token: o1, body: dir('1') })).status).toBe(201);
      const perKey = await l.call('POST', '/v1/sessions', { token: o1, body: dir('2') });
      expect(perKey.status).toBe(429);
      expect(perKey.body.error.message).toMatch(/sessionsPerKey/);
      expect((await l.call('POST', '/v1/sessions', { token: o2, body: dir('3') })).status).toBe(201);
      const global = await l.call('POST', '/v1/sessions', { token: a, body: dir('4') });
      expect(global.status).toBe(429);
      expect(global.body.error.message).toMatch(/sessionsGlobal/);
      expect((await l.call('GET', '/v1/sessions', { token: a })).body.total).toBe(2);
    } finally {
      await l.server.close();
    }
  });
});
