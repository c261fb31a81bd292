// Every HTTP example of the documents users learned Aegis from (../../../docs/compatibility.md),
// as written there, against a real server running the scripted agent.
import type { RunningServer } from '@aegis/server';
import { script } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, startScripted, until, workspace } from './harness.js';

const ws = workspace('http');
let server: RunningServer;
beforeAll(async () => {
  // Many sessions stay live here; the default of 10 per user would answer 429 part-way.
  server = await startScripted(ws.base, { limits: { sessionsPerKey: 500, sessionsGlobal: 500 } });
});
afterAll(() => server?.close());

const http = (method: string, path: string, body?: unknown) => curl(server, method, path, body);
const idle = (id: string) =>
  until(
    () => http('GET', `/v1/sessions/${id}`),
    (r) => r.json.status === 'idle',
  );
const say = (text: string) => script({ say: text });

describe('README (ACP era): session reuse', () => {
  it('first call → 201; the same workDir while idle → 200 with "reused": true', async () => {
    const workDir = ws.folder();
    const first = await http('POST', '/v1/sessions', { workDir, prompt: say('Fixed the tests.') });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ reused: false, promptDelivery: { delivered: expect.any(Boolean) } });
    expect(first.json.promptDelivery).toHaveProperty('attempts');
    await idle(first.json.id);
    const again = await http('POST', '/v1/sessions', { workDir, prompt: say('Added error handling.') });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ reused: true, id: first.json.id });
  });

  it('POST /sessions (unversioned, as the reuse section writes it) creates too', async () => {
    const r = await http('POST', '/sessions', { workDir: ws.folder() });
    expect(r.status).toBe(201);
    expect(r.json.id).toEqual(expect.any(String));
  });
});

describe('README: handshake', () => {
  it('the verbatim request answers 200 compatible with both capabilities negotiated', async () => {
    const r = await http('POST', '/v1/handshake', {
      protocolVersion: '1',
      clientCapabilities: ['session.create', 'session.transcript.cursor'],
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      negotiatedCapabilities: ['session.create', 'session.transcript.cursor'],
      warnings: [],
      compatible: true,
    });
    // Ours is a number; the documents showed "1".
    expect(r.json.protocolVersion).toBe(1);
  });

  it('every documented server capability is either supported or named with the reason in warnings', async () => {
    const documented = [
      'session.create',
      'session.resume',
      'session.approve',
      'session.transcript',
      'session.transcript.cursor',
      'session.events.sse',
      'session.screenshot',
      'hooks.pre_tool_use',
      'hooks.post_tool_use',
      'hooks.notification',
      'hooks.stop',
      'swarm',
      'metrics',
    ];
    const r = await http('POST', '/v1/handshake', { protocolVersion: 1, clientCapabilities: documented });
    const negotiated: string[] = r.json.negotiatedCapabilities;
    const warned = (r.json.warnings as string[]).map((w) => /Capability "([^"]+)"/.exec(w)?.[1]);
    expect([...negotiated, ...warned].sort()).toEqual([...documented].sort());
    expect(negotiated).toEqual([
      'session.create',
      'session.resume',
      'session.approve',
      'session.transcript',
      'session.transcript.cursor',
      'session.events.sse',
      'metrics',
    ]);
  });

  it('a protocolVersion below the minimum is 409', async () => {
    expect((await http('POST', '/v1/handshake', { protocolVersion: 0 })).status).toBe(409);
  });
});

describe('README: cursor-based transcript replay', () => {
  it('newest 50, pages back with before_id, filters by role; { messages, has_more, oldest_id, newest_id }', async () => {
    const { json } = await http('POST', '/v1/sessions', { workDir: ws.folder(), prompt: say('one') });
    await idle(json.id);
    await http('POST', `/v1/sessions/${json.id}/send`, { text: say('two') });
    await until(
      () => http('GET', `/v1/sessions/${json.id}/transcript/cursor`),
      (r) => r.json.messages.length >= 4,
    );
    const newest = await http('GET', `/v1/sessions/${json.id}/transcript/cursor`);
    expect(newest.status).toBe(200);
    expect(Object.keys(newest.json).sort()).toEqual(['has_more', 'messages', 'newest_id', 'oldest_id']);
    const back = await http(
      'GET',
      `/v1/sessions/${json.id}/transcript/cursor?before_id=${newest.json.newest_id}&limit=50`,
    );
    expect(back.json.messages.every((m: { id: number }) => m.id < newest.json.newest_id)).toBe(true);
    const users = await http('GET', `/v1/sessions/${json.id}/transcript/cursor?role=user`);
    expect(users.json.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'user']);
    expect((await http('GET', `/v1/sessions/${json.id}/transcript/cursor?limit=201`)).status).toBe(400);
  });
});

describe('README: the REST table', () => {
  it('every listed session endpoint answers as described', async () => {
    expect((await http('GET', '/v1/health')).json.status).toBe('ok');
    const created = await http('POST', '/v1/sessions', { workDir: ws.folder() });
    const id = created.json.id as string;
    await idle(id);
    expect((await http('GET', '/v1/sessions')).json.sessions.some((s: { id: string }) => s.id === id)).toBe(
      true,
    );
    expect((await http('GET', `/v1/sessions/${id}`)).json).toMatchObject({ id, status: 'idle' });
    expect((await http('GET', `/v1/sessions/${id}/read`)).json).toMatchObject({ status: 'idle' });
    expect((await http('POST', `/v1/sessions/${id}/send`, { text: say('ok') })).status).toBe(202);
    await idle(id);
    // Nothing waits for an answer: 409 with a code, never a keystroke typed into a prompt.
    expect((await http('POST', `/v1/sessions/${id}/approve`)).json.error.code).toBe('NOTHING_PENDING');
    expect((await http('POST', `/v1/sessions/${id}/reject`)).json.error.code).toBe('NOTHING_PENDING');
    const interrupt = await http('POST', `/v1/sessions/${id}/interrupt`);
    expect(interrupt.status, interrupt.text).toBe(200);
    expect((await http('POST', `/v1/sessions/${id}/discover-commands`)).status).toBe(200);
    // Escape dismisses a pending question or permission; with none it says so (409), not a no-op.
    expect((await http('POST', `/v1/sessions/${id}/escape`)).json.error.code).toBe('NOTHING_PENDING');
    expect((await http('GET', `/v1/sessions/${id}/health`)).json).toHaveProperty('hints');
    expect((await http('GET', `/v1/sessions/${id}/summary`)).status).toBe(200);
    expect((await http('GET', `/v1/sessions/${id}/metrics`)).status).toBe(200);
    expect((await http('GET', `/v1/sessions/${id}/latency`)).status).toBe(200);
    const killed = await http('DELETE', `/v1/sessions/${id}`);
    expect(killed.json).toMatchObject({ id, status: 'killed' });
    // Kept for audit.
    expect((await http('GET', `/v1/sessions/${id}`)).json.status).toBe('killed');
  });

  it('batch create, pipelines, memory, templates and diagnostics', async () => {
    const batch = await http('POST', '/v1/sessions/batch', {
      sessions: [{ workDir: ws.folder() }, { workDir: ws.folder() }],
    });
    expect(batch.status).toBe(200);
    const pipeline = await http('POST', '/v1/pipelines', {
      name: 'pr-reviewer',
      stages: [{ name: 'review', spec: { workDir: ws.folder(), prompt: say('LGTM') } }],
    });
    expect(pipeline.status).toBe(201);
    expect((await http('GET', '/v1/pipelines')).status).toBe(200);
    expect((await http('GET', `/v1/pipelines/${pipeline.json.id}`)).json.id).toBe(pipeline.json.id);

    expect((await http('POST', '/v1/memory', { key: 'project/x:notes', value: { a: 1 } })).status).toBe(200);
    expect((await http('GET', '/v1/memory')).json.entries.map((e: { key: string }) => e.key)).toContain(
      'project/x:notes',
    );
    expect((await http('GET', '/v1/memory/project%2Fx:notes')).json.value).toEqual({ a: 1 });
    expect((await http('DELETE', '/v1/memory/project%2Fx:notes')).json.deleted).toBe(true);

    const tpl = await http('POST', '/v1/templates', { name: 'compat-template', prompt: 'Review it' });
    expect(tpl.status).toBe(201);
    expect((await http('GET', '/v1/templates')).status).toBe(200);
    expect((await http('GET', `/v1/templates/${tpl.json.id}`)).json.name).toBe('compat-template');
    expect((await http('PUT', `/v1/templates/${tpl.json.id}`, { name: 'compat-template-2' })).status).toBe(
      200,
    );
    expect((await http('DELETE', `/v1/templates/${tpl.json.id}`)).status).toBe(200);
    expect((await http('GET', '/v1/diagnostics')).json).toHaveProperty('version');
  });

  it('the built-in templates of the README exist', async () => {
    const names = (await http('GET', '/v1/templates')).json.templates.map((t: { name: string }) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['code-reviewer', 'ci-runner', 'pr-reviewer', 'docs-writer']),
    );
  });
});

describe('tmux-era endpoints answer 501 with what to use instead', () => {
  it.each([
    ['GET', 'pane', /no terminal pane/],
    ['POST', 'screenshot', /Screenshots are not supported/],
  ])('%s /v1/sessions/:id/%s', async (method, name, message) => {
    const { json } = await http('POST', '/v1/sessions', { workDir: ws.folder() });
    const r = await http(method, `/v1/sessions/${json.id}/${name}`);
    expect(r.status).toBe(501);
    expect(r.json.error).toMatchObject({ code: 'NOT_IMPLEMENTED', message: expect.stringMatching(message) });
  });
});

describe('early README (tmux era): quick start', () => {
  it('create with name, workDir and prompt, then a follow-up with /send { text }', async () => {
    const created = await http('POST', '/v1/sessions', {
      name: 'feature-auth',
      workDir: ws.folder(),
      prompt: say('Built a login page.'),
    });
    expect(created.status).toBe(201);
    expect(created.json.name).toBe('feature-auth');
    const sent = await http('POST', `/v1/sessions/${created.json.id}/send`, {
      text: say('Added form validation.'),
    });
    expect(sent.status).toBe(202);
  });
});

describe('getting started', () => {
  it('follow-ups go to /send, /input or /prompt with a text field', async () => {
    const { json } = await http('POST', '/v1/sessions', { workDir: ws.folder() });
    for (const path of ['send', 'input', 'prompt']) {
      const r = await http('POST', `/v1/sessions/${json.id}/${path}`, { text: say(path) });
      expect(r.status).toBe(202);
      expect(r.json.promptDelivery).toBeDefined();
    }
  });

  it('?page=1&limit=20&status=active pages; page=-1 and limit=999 are 400', async () => {
    const ok = await http('GET', '/v1/sessions?page=1&limit=20&status=active');
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ page: 1, limit: 20 });
    expect(
      ok.json.sessions.every(
        (s: { status: string }) => !['completed', 'killed', 'crashed'].includes(s.status),
      ),
    ).toBe(true);
    expect((await http('GET', '/v1/sessions?page=-1')).status).toBe(400);
    expect((await http('GET', '/v1/sessions?limit=999')).status).toBe(400);
  });

  it('SSE: POST /v1/auth/sse-token gives .token; /v1/events?token= streams', async () => {
    const token = await http('POST', '/v1/auth/sse-token');
    expect(token.json.token).toEqual(expect.any(String));
    const res = await fetch(`${server.url}/v1/events?token=${token.json.token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await res.body?.cancel();
  });

  it('GET /health (unversioned) and GET /v1/health', async () => {
    expect((await http('GET', '/health')).json.status).toBe('ok');
    expect((await http('GET', '/v1/health')).json.status).toBe('ok');
  });
});

describe('orchestrator skill (tmux era): the curl/jq recipes', () => {
  it("SID=$(… | jq -r '.id') gives the id, and promptDelivery.delivered is there to check", async () => {
    const r = await http('POST', '/v1/sessions', { workDir: ws.folder(), name: 'task-name' });
    expect(typeof r.json.id).toBe('string');
    expect(r.json.id).not.toBe('null');
    expect((await http('GET', `/v1/sessions/${r.json.id}`)).status).toBe(200);
    const withPrompt = await http('POST', '/v1/sessions', { workDir: ws.folder(), prompt: say('hi') });
    expect(typeof withPrompt.json.promptDelivery.delivered).toBe('boolean');
  });

  it("STATUS=$(curl …/read | jq -r '.status') and the stall check on '.messages | length'", async () => {
    const { json } = await http('POST', '/v1/sessions', { workDir: ws.folder(), prompt: say('Done.') });
    const read = await until(
      () => http('GET', `/v1/sessions/${json.id}/read`),
      (r) => r.json.status === 'idle' && r.json.messages.length >= 2,
    );
    expect(read.json.status).toBe('idle');
    expect(typeof read.json.statusText).toBe('string');
    for (const m of read.json.messages)
      expect(Object.keys(m).sort()).toEqual(['contentType', 'role', 'text', 'timestamp']);
    const before = read.json.messages.length;
    await http('POST', `/v1/sessions/${json.id}/send`, { text: say('More.') });
    const after = await until(
      () => http('GET', `/v1/sessions/${json.id}/read`),
      (r) => r.json.messages.length > before,
    );
    expect(after.json.messages.length).toBeGreaterThan(before);
  });

  it('cleanup: DELETE kills the session', async () => {
    const { json } = await http('POST', '/v1/sessions', { workDir: ws.folder() });
    expect((await http('DELETE', `/v1/sessions/${json.id}`)).json.status).toBe('killed');
  });
});

describe('"Why Aegis": observability endpoints', () => {
  it('GET /v1/metrics is Prometheus text, as /metrics', async () => {
    const v1 = await http('GET', '/v1/metrics');
    const plain = await http('GET', '/metrics');
    expect(v1.status).toBe(200);
    expect(v1.text).toContain('# TYPE aegis_live_sessions');
    expect(plain.text).toContain('# TYPE aegis_live_sessions');
  });

  it.each([
    ['summary', ['from', 'to', 'sessions', 'totals', 'daily']],
    ['costs', ['from', 'to', 'totalCostUsd', 'byModel', 'daily']],
    ['tokens', ['from', 'to', 'totalTokens', 'byModel']],
    ['rate-limits', ['budget', 'used', 'forecast', 'rateLimitedSessions']],
  ])('GET /v1/analytics/%s answers from the usage ledger as the document lists it', async (name, keys) => {
    const r = await http('GET', `/v1/analytics/${name}`);
    expect(r.status).toBe(200);
    for (const key of keys) expect(r.json).toHaveProperty(key);
  });

  it('a session carries id, name (the documented displayName), status, workDir, createdAt, parentId', async () => {
    const { json } = await http('POST', '/v1/sessions', { workDir: ws.folder(), name: 'auth-refactor' });
    expect(json).toMatchObject({ name: 'auth-refactor', workDir: expect.any(String), parentId: null });
    expect(json).toHaveProperty('createdAt');
    expect(json).toHaveProperty('status');
  });
});
