// biome-ignore-all lint/suspicious/noExplicitAny: route tests read loosely typed JSON bodies; the schemas are tested by the spec
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAcpDriver } from '@aegis/acp-runtime';
import { type CreateAegisOptions, createAegis, createMemoryStore, createRulePolicy } from '@aegis/core';
import { SCRIPTED_AGENT_BIN, script } from '@aegis/testkit';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createApp } from './app.js';
import { createLogger } from './logger.js';
import { checkWorkDir } from './workdir.js';

vi.setConfig({ testTimeout: 20_000 });
const root = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-ctl-')));
const driver = createAcpDriver({
  agents: { scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] } },
  defaultAgent: 'scripted',
});
const closers: (() => Promise<unknown>)[] = [];
afterAll(() => Promise.all(closers.map((c) => c())));

function setup(extra: Partial<CreateAegisOptions> = {}) {
  const policies = createRulePolicy();
  const aegis = createAegis({
    agent: driver,
    store: createMemoryStore(),
    policy: policies.policy,
    resolveWorkDir: async (d) => checkWorkDir(d, [root]),
    ...extra,
  });
  closers.push(() => aegis.close());
  const app = createApp({
    aegis,
    agents: driver.agents,
    security: { limits: { sessionsPerKey: 1000, sessionsGlobal: 1000, requestsPerMinute: 100_000 } },
    policies,
    diagnostics: {
      stateDir: root,
      dbPath: null,
      config: { logLevel: 'info' },
      agentCommands: { scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] } },
    },
  });
  const call = (method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
  const get = async <T = Record<string, unknown>>(path: string) =>
    (await (await app.request(path)).json()) as T;
  async function waitFor(id: string, status: string) {
    for (let i = 0; i < 400; i++) {
      // Polled through the engine: the HTTP API's per-key rate limit is not under test here.
      const s = await aegis.sessions.get(id);
      if (s.status === status) return s as unknown as Record<string, unknown>;
      await new Promise((r) => setTimeout(r, 25));
    }
    const trail = (await aegis.sessions.events(id)).map((e) => e.type).join(' ');
    throw new Error(`session ${id} never reached ${status}; events: ${trail}`);
  }
  let n = 0;
  async function create(prompt?: string, more: Record<string, unknown> = {}) {
    const dir = join(root, `s${Date.now()}-${n++}-${Math.random().toString(36).slice(2, 6)}`);
    mkdirSync(dir);
    const res = await call('POST', '/v1/sessions', { workDir: dir, prompt, ...more });
    expect(res.status).toBe(201);
    return ((await res.json()) as { session: { id: string } }).session.id;
  }
  return { app, aegis, policies, call, get, waitFor, create };
}

const main = setup();
const writeTool = (path: string) => ({
  tool: {
    title: `Write ${path}`,
    kind: 'edit' as const,
    permission: true,
    diff: { path, newText: 'x' },
    write: { path, content: 'x' },
  },
});
const entries = async (id: string) =>
  (await main.get<{ entries: { role: string; text: string }[] }>(`/v1/sessions/${id}/read`)).entries;

describe('handshake', () => {
  it('negotiates the intersection and warns about unknown capabilities', async () => {
    const res = await main.call('POST', '/v1/handshake', {
      protocolVersion: 1,
      clientCapabilities: ['events.resume', 'questions', 'teleport'],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      protocolVersion: 1,
      compatible: true,
      negotiatedCapabilities: ['events.resume', 'questions'],
    });
    expect(body.warnings).toEqual([expect.stringContaining('"teleport"')]);
  });

  it('warns a client whose protocol version is newer than the server speaks', async () => {
    const res = await main.call('POST', '/v1/handshake', { protocolVersion: 99, clientCapabilities: [] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { protocolVersion: number; compatible: boolean; warnings: string[] };
    expect(body).toMatchObject({ protocolVersion: 1, compatible: true });
    expect(body.warnings).toEqual([
      expect.stringMatching(/99 is newer than this server's \(1\); speak version 1/),
    ]);
  });

  it('answers 409 to a client whose protocol version is too old', async () => {
    const res = await main.call('POST', '/v1/handshake', { protocolVersion: 0, clientCapabilities: [] });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'CONFLICT' } });
  });
});

describe('server health, diagnostics, metrics and docs', () => {
  it('health counts sessions by state and reports agent availability', async () => {
    const body = await main.get<{ sessions: { byState: Record<string, number> }; agentAvailability: object }>(
      '/v1/health',
    );
    expect(Object.keys(body.sessions.byState)).toContain('permission_prompt');
    expect(body.agentAvailability).toMatchObject({ scripted: true });
  });

  it('diagnostics report runtime, sessions and agents without secrets', async () => {
    const body = await main.get<Record<string, unknown>>('/v1/diagnostics');
    expect(body).toMatchObject({ node: process.version, platform: process.platform });
    expect(body.agents).toContainEqual(expect.objectContaining({ name: 'scripted', available: true }));
    expect(body.agents).toContainEqual(expect.objectContaining({ name: 'claude-code' }));
    // A live timer of this test process shows up by kind.
    const timer = setInterval(() => {}, 60_000);
    try {
      const resources = (await main.get<{ activeResources: Record<string, number> }>('/v1/diagnostics'))
        .activeResources;
      expect(resources.Timeout).toBeGreaterThanOrEqual(1);
    } finally {
      clearInterval(timer);
    }
  });

  it('GET /metrics exposes the Prometheus series after a turn', async () => {
    const id = await main.create(script({ say: 'writing' }, writeTool('metrics.txt')));
    await main.waitFor(id, 'permission_prompt');
    expect((await main.call('POST', `/v1/sessions/${id}/approve`, {})).status).toBe(200);
    await main.waitFor(id, 'idle');
    await main.get(`/v1/sessions/${id}`);
    const res = await main.app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    for (const series of [
      'aegis_sessions{state="idle"}',
      'aegis_turns_total{outcome="completed"}',
      'aegis_turn_duration_seconds_bucket',
      'aegis_permission_wait_seconds_count{decided_by="human"} 1',
      'aegis_events_total{type="turn.started"}',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'aegis_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/v1/sessions/:id",status="200"}',
    ]) {
      expect(text).toContain(series);
    }
  });

  it('serves the interactive docs from local assets and lists /metrics in the spec', async () => {
    const res = await main.app.request('/v1/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('docs/assets/swagger-ui-bundle.js');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect((await main.app.request('/v1/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
    const spec = await main.get<{ paths: Record<string, Record<string, { operationId: string }>> }>(
      '/v1/openapi.json',
    );
    expect(spec.paths['/metrics']?.get?.operationId).toBe('getMetrics');
  });
});

describe('per-session health and insights', () => {
  it('hints at /approve while a permission waits', async () => {
    const id = await main.create(script(writeTool('a.txt')));
    await main.waitFor(id, 'permission_prompt');
    const health = await main.get<{ alive: boolean; hints: string[]; pendingPermission: boolean }>(
      `/v1/sessions/${id}/health`,
    );
    expect(health.alive).toBe(true);
    expect(health.pendingPermission).toBe(true);
    expect(health.hints[0]).toMatch(/waiting for approval .*POST \/v1\/sessions\/.+\/approve/i);
    await main.call('POST', `/v1/sessions/${id}/approve`, {});
    await main.waitFor(id, 'idle');
  });

  it('GET /v1/sessions/{id} carries the actions and hints of its state', async () => {
    type Detail = { status: string; actions: string[]; hints: string[]; pendingPermission: unknown };
    const id = await main.create(script(writeTool('d.txt')));
    await main.waitFor(id, 'permission_prompt');
    const waiting = await main.get<Detail>(`/v1/sessions/${id}`);
    expect(waiting.pendingPermission).toMatchObject({ title: 'Write d.txt' });
    expect(waiting.actions).toEqual(['approve', 'reject', 'escape', 'send', 'interrupt', 'mode', 'kill']);
    expect(waiting.hints[0]).toMatch(/waiting for approval of "Write d\.txt".*\/approve.*\/reject/i);
    const health = await main.get<{ actions: string[]; hints: string[] }>(`/v1/sessions/${id}/health`);
    expect(health.actions).toEqual(waiting.actions);
    expect(health.hints).toEqual(waiting.hints);

    await main.call('POST', `/v1/sessions/${id}/approve`, {});
    await main.waitFor(id, 'idle');
    const idle = await main.get<Detail>(`/v1/sessions/${id}`);
    expect(idle.actions).toEqual(['send', 'mode', 'kill']);
    expect(idle.hints[0]).toContain(`POST /v1/sessions/${id}/send`);

    expect((await main.call('DELETE', `/v1/sessions/${id}`)).status).toBe(200);
    const ended = await main.get<Detail>(`/v1/sessions/${id}`);
    expect(ended.status).toBe('killed');
    expect(ended.actions).toEqual([]);
    expect(ended.hints[0]).toMatch(/has ended \(killed\)/);
  });

  it('offers answer while a question waits', async () => {
    const id = await main.create(
      script({ ask: { question: 'Which one?', header: 'Pick', options: ['A', 'B'] } }),
    );
    await main.waitFor(id, 'asking');
    const asking = await main.get<{ actions: string[]; hints: string[] }>(`/v1/sessions/${id}`);
    expect(asking.actions).toEqual(['answer', 'escape', 'send', 'interrupt', 'mode', 'kill']);
    expect(asking.hints[0]).toMatch(/Which one\?.*\/answer/);
    await main.call('POST', `/v1/sessions/${id}/escape`);
    await main.waitFor(id, 'idle');
  });

  it('summarises, counts and times real turns from the event log', async () => {
    const id = await main.create(
      script({ say: 'Writing.' }, writeTool('notes/b.txt'), {
        usage: { used: 1200, size: 200000, cost: 0.05 },
      }),
    );
    await main.waitFor(id, 'permission_prompt');
    await new Promise((r) => setTimeout(r, 30));
    await main.call('POST', `/v1/sessions/${id}/approve`, {});
    await main.waitFor(id, 'idle');
    await main.call('POST', `/v1/sessions/${id}/send`, { text: 'again' });
    await main.waitFor(id, 'working').catch(() => {});
    await main.waitFor(id, 'idle');

    const summary = await main.get<Record<string, any>>(`/v1/sessions/${id}/summary`);
    expect(summary.turns).toEqual({ total: 2, completed: 2, failed: 0, cancelled: 0 });
    expect(summary.toolCalls).toMatchObject({ total: 1, byStatus: { completed: 1 } });
    expect(summary.filesTouched).toEqual([expect.stringMatching(/notes\/b\.txt$/)]);
    expect(summary.permissions).toMatchObject({ requested: 1, approved: 1, byDecider: { human: 1 } });
    expect(summary.lastAssistantMessage).toBe('You said: again');
    expect(summary.usage).toMatchObject({ costUsd: 0.05, contextUsed: 1200 });

    const metrics = await main.get<Record<string, any>>(`/v1/sessions/${id}/metrics`);
    expect(metrics.events.byType['turn.completed']).toBe(2);
    expect(metrics.turnDurationsMs).toHaveLength(2);
    expect(metrics.costUsd).toBe(0.05);

    const latency = await main.get<Record<string, any>>(`/v1/sessions/${id}/latency`);
    expect(latency.turnDurationMs.count).toBe(2);
    expect(latency.turnDurationMs.max).toBeGreaterThanOrEqual(latency.turnDurationMs.p50);
    expect(latency.timeToFirstTokenMs.count).toBe(2);
    expect(latency.permissionWaitMs.count).toBe(1);
    expect(latency.permissionWaitMs.p95).toBeGreaterThanOrEqual(20);
  });

  it("discovers the agent's slash commands", async () => {
    const id = await main.create();
    const res = await main.call('POST', `/v1/sessions/${id}/discover-commands`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { commands: { name: string }[] };
    expect(body.commands.map((c) => c.name)).toEqual(['compact', 'review']);
  });
});

describe('questions and escape', () => {
  const ask = { ask: { question: 'Which database?', header: 'DB', options: ['Postgres', 'SQLite'] } };

  it('an agent question puts the session in asking; /answer resumes the turn', async () => {
    const id = await main.create(script(ask));
    const asking = await main.waitFor(id, 'asking');
    expect(asking.pendingQuestion).toMatchObject({
      message: 'Which database?',
      questions: [
        { id: 'question_0', options: [{ value: 'Postgres' }, { value: 'SQLite' }], allowCustom: true },
      ],
    });
    const health = await main.get<{ hints: string[] }>(`/v1/sessions/${id}/health`);
    expect(health.hints[0]).toContain('/answer');
    const res = await main.call('POST', `/v1/sessions/${id}/answer`, { answer: 'sqlite' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ answers: { question_0: 'SQLite' } });
    await main.waitFor(id, 'idle');
    expect((await entries(id)).map((e) => e.text)).toContain('You answered: SQLite');
    const again = await main.call('POST', `/v1/sessions/${id}/answer`, { answer: 'x' });
    expect(again.status).toBe(409);
  });

  it('free text goes to the custom answer', async () => {
    const id = await main.create(script(ask));
    await main.waitFor(id, 'asking');
    await main.call('POST', `/v1/sessions/${id}/answer`, { answers: { question_0: 'DuckDB' } });
    await main.waitFor(id, 'idle');
    expect((await entries(id)).map((e) => e.text)).toContain('You answered: DuckDB');
  });

  it('/escape declines a question without cancelling the turn', async () => {
    const id = await main.create(script(ask, { say: 'Carrying on.' }));
    await main.waitFor(id, 'asking');
    const res = await main.call('POST', `/v1/sessions/${id}/escape`);
    expect(await res.json()).toMatchObject({ dismissed: 'question' });
    await main.waitFor(id, 'idle');
    const texts = (await entries(id)).map((e) => e.text);
    expect(texts).toEqual(expect.arrayContaining(['No answer given.', 'Carrying on.']));
  });

  it('/escape rejects a pending permission and the turn goes on', async () => {
    const id = await main.create(script(writeTool('c.txt'), { say: 'After.' }));
    await main.waitFor(id, 'permission_prompt');
    const res = await main.call('POST', `/v1/sessions/${id}/escape`);
    expect(await res.json()).toMatchObject({ dismissed: 'permission' });
    await main.waitFor(id, 'idle');
    const summary = await main.get<Record<string, any>>(`/v1/sessions/${id}/summary`);
    expect(summary.turns.completed).toBe(1);
    expect(summary.permissions).toMatchObject({ rejected: 1 });
    expect(summary.toolCalls.byStatus).toEqual({ failed: 1 });
    expect(summary.lastAssistantMessage).toBe('After.');
    expect((await main.call('POST', `/v1/sessions/${id}/escape`)).status).toBe(409);
  });
});

describe('model and agent choice', () => {
  const dir = () => {
    const d = join(root, `m${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
    mkdirSync(d);
    return d;
  };

  it('model sets the agent model it offers; one it does not offer is a clear 4xx and leaves nothing running', async () => {
    const ok = await main.call('POST', '/v1/sessions', { workDir: dir(), model: 'scripted-large' });
    expect(ok.status).toBe(201);
    const { session } = (await ok.json()) as { session: { id: string; model: string } };
    expect(session.model).toBe('scripted-large');

    const live = main.aegis.liveCount;
    const bad = await main.call('POST', '/v1/sessions', { workDir: dir(), model: 'gpt-9' });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    const err = (await bad.json()) as { error: { code: string; message: string } };
    expect(err.error.code).toBe('UNSUPPORTED_MODEL');
    expect(err.error.message).toContain('scripted-large');
    expect(main.aegis.liveCount).toBe(live);
  });

  it('agent picks a configured agent; an unknown one is a 4xx naming the configured agents', async () => {
    const ok = await main.call('POST', '/v1/sessions', { workDir: dir(), agent: 'scripted' });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { session: { agent: string } }).session.agent).toBe('scripted');
    const bad = await main.call('POST', '/v1/sessions', { workDir: dir(), agent: 'nope' });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('scripted');
  });
});

describe('incremental reads', () => {
  it("/read is incremental by a cursor each client holds: two readers never take each other's entries", async () => {
    type Read = { entries: { id: number; text: string }[]; cursor: number };
    const read = (id: string, cursor: number) => main.get<Read>(`/v1/sessions/${id}/read?cursor=${cursor}`);
    const id = await main.create('first');
    await main.waitFor(id, 'idle');
    const a1 = await read(id, 0);
    expect(a1.entries.map((e) => e.text)).toEqual(['first', 'You said: first']);
    await main.call('POST', `/v1/sessions/${id}/send`, { text: 'second' });
    for (let i = 0; i < 400; i++) {
      const s = await main.aegis.sessions.get(id);
      if (s.turns === 2 && s.status === 'idle') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    // Reader B starts late and still gets everything; reader A gets only what is new to it.
    const b = await read(id, 0);
    const a2 = await read(id, a1.cursor);
    expect(b.entries.map((e) => e.text)).toEqual(['first', 'You said: first', 'second', 'You said: second']);
    expect(a2.entries.map((e) => e.text)).toEqual(['second', 'You said: second']);
    expect(a2.cursor).toBe(b.cursor);
    expect((await read(id, b.cursor)).entries).toEqual([]);
  });
});

describe('transcript cursor under concurrent appends', () => {
  it('pages backwards over HTTP while the agent appends: stable ids, no gap, no duplicate', async () => {
    const bursts = Array.from({ length: 20 }, () => [{ tools: 10 }, { sleep: 20 }]).flat();
    const id = await main.create(script(...(bursts as Parameters<typeof script>)));
    type Page = {
      messages: { id: number }[];
      has_more: boolean;
      oldest_id: number | null;
      newest_id: number | null;
    };
    const walks: { newest: number; ids: number[] }[] = [];
    let status = 'working';
    const deadline = Date.now() + 30_000;
    // Walks until the turn is over, then once more over the finished transcript.
    for (let after = 0; after < 2 && Date.now() < deadline; after += status === 'idle' ? 1 : 0) {
      // One full walk from the newest entry back to the first, 20 at a time, while entries keep arriving.
      const ids: number[] = [];
      let newest: number | null = null;
      let before: number | undefined;
      for (;;) {
        const q = `limit=20${before === undefined ? '' : `&before_id=${before}`}`;
        const res = await main.app.request(`/v1/sessions/${id}/transcript/cursor?${q}`);
        expect(res.status).toBe(200);
        const page = (await res.json()) as Page;
        // In-process requests on the memory store settle in microtasks: yield so the agent's
        // output (I/O) is read between pages, as it would be between real HTTP requests.
        await new Promise((r) => setImmediate(r));
        newest ??= page.newest_id;
        ids.unshift(...page.messages.map((m) => m.id));
        if (!page.has_more) break;
        before = page.oldest_id ?? undefined;
      }
      if (newest !== null) walks.push({ newest, ids });
      status = (await main.aegis.sessions.get(id)).status;
    }
    const all = (await main.aegis.sessions.read(id, { limit: 1000 })).entries.map((e) => e.id);
    expect(all.length).toBeGreaterThan(200);
    // At least one walk ran while the turn was still appending.
    expect(walks.some((w) => w.newest < all.at(-1)!)).toBe(true);
    for (const w of walks) expect(w.ids).toEqual(all.filter((x) => x <= w.newest));
  });
});

describe('interrupt', () => {
  it('cancels the turn at a pending permission: request cancelled, stopReason cancelled, idle, queued prompts dropped and recorded', async () => {
    const id = await main.create(script({ say: 'about to write' }, writeTool('never.txt')));
    await main.waitFor(id, 'permission_prompt');
    const queued = await main.call('POST', `/v1/sessions/${id}/send`, { text: 'and then this' });
    expect(queued.status).toBe(202);
    expect(await queued.json()).toMatchObject({ promptDelivery: { delivered: false, queued: true } });

    const res = await main.call('POST', `/v1/sessions/${id}/interrupt`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ interrupted: true, droppedPrompts: 1 });
    await main.waitFor(id, 'idle');

    const events = await main.aegis.sessions.events(id);
    const data = (type: string) =>
      events.filter((e) => e.type === type).map((e) => e.data as Record<string, any>);
    expect(data('permission.resolved')).toMatchObject([{ outcome: 'cancelled', optionId: null }]);
    expect(data('prompts.dropped')).toEqual([{ count: 1, texts: ['and then this'], reason: 'interrupted' }]);
    expect(data('turn.completed').map((d) => d.stopReason)).toEqual(['cancelled']);
    expect(data('turn.started')).toHaveLength(1); // the dropped prompt never ran
    const { existsSync } = await import('node:fs');
    expect(existsSync(join((await main.aegis.sessions.get(id)).workDir, 'never.txt'))).toBe(false);
    const read = await main.get<{ entries: { role: string; text: string }[] }>(`/v1/sessions/${id}/read`);
    expect(read.entries.map((e) => e.role)).toContain('system');
    expect(read.entries.find((e) => e.role === 'system')?.text).toMatch(/1 queued prompt was dropped/);

    // Nothing running: 200 with interrupted false, and the session still takes a prompt.
    expect(await (await main.call('POST', `/v1/sessions/${id}/interrupt`)).json()).toMatchObject({
      interrupted: false,
      droppedPrompts: 0,
    });
    expect((await main.call('POST', `/v1/sessions/${id}/send`, { text: script({ say: 'ok' }) })).status).toBe(
      202,
    );
    await main.waitFor(id, 'idle');
  });
});

describe('overlapping permission requests and stalls', () => {
  it('a second request while one waits is queued, not lost, and answered in order', async () => {
    const id = await main.create(script({ parallel: [writeTool('p1.txt').tool, writeTool('p2.txt').tool] }));
    await main.waitFor(id, 'permission_prompt');
    for (let i = 0; i < 200 && (await main.aegis.sessions.get(id)).pendingPermissionCount < 2; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const both = await main.get<Record<string, any>>(`/v1/sessions/${id}`);
    expect(both.pendingPermissionCount).toBe(2);
    expect(both.pendingPermission.title).toBe('Write p1.txt');

    const first = await main.call('POST', `/v1/sessions/${id}/approve`, {});
    expect(first.status).toBe(200);
    const next = (await first.json()) as { session: Record<string, any> };
    expect(next.session.status).toBe('permission_prompt');
    expect(next.session.pendingPermissionCount).toBe(1);
    expect(next.session.pendingPermission.title).toBe('Write p2.txt');

    expect((await main.call('POST', `/v1/sessions/${id}/reject`, {})).status).toBe(200);
    await main.waitFor(id, 'idle');
    const dir = (await main.aegis.sessions.get(id)).workDir;
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(dir, 'p1.txt'))).toBe(true);
    expect(existsSync(join(dir, 'p2.txt'))).toBe(false);
    const resolved = (await main.aegis.sessions.events(id)).filter((e) => e.type === 'permission.resolved');
    expect(resolved.map((e) => (e.data as { optionKind: string }).optionKind)).toEqual([
      'allow_once',
      'reject_once',
    ]);
  });

  it('a turn silent past the stall threshold is stalled, and back to working on the next update', async () => {
    const t = setup({ stallThresholdMs: 150 });
    const id = await t.create(script({ say: 'starting' }, { sleep: 700 }, { say: 'back' }, { sleep: 200 }));
    await t.waitFor(id, 'stalled');
    const stalled = await t.get<{ hints: string[]; actions: string[] }>(`/v1/sessions/${id}`);
    expect(stalled.hints[0]).toMatch(/No update from the agent/);
    expect(stalled.actions).toContain('interrupt');
    await t.waitFor(id, 'working');
    await t.waitFor(id, 'idle');
    const path = (await t.aegis.sessions.events(id))
      .filter((e) => e.type === 'session.state_changed')
      .map((e) => (e.data as { to: string }).to);
    expect(path).toEqual(expect.arrayContaining(['stalled', 'working', 'idle']));
    expect(path.indexOf('stalled')).toBeLessThan(path.lastIndexOf('working'));
  });
});

describe('permission policies', () => {
  const decisions = async (id: string) =>
    (await main.aegis.sessions.events(id)).filter((e) => e.type === 'permission.resolved').map((e) => e.data);

  it('replaces server rules at runtime; allow auto-approves and records the rule', async () => {
    const put = await main.call('PUT', '/v1/policies', {
      rules: [
        { name: 'no-secrets', decision: 'deny', pathGlob: '**/*.secret' },
        { name: 'edits-ok', decision: 'allow', toolKind: 'edit' },
      ],
    });
    expect(put.status).toBe(200);
    expect((await main.get<{ rules: unknown[] }>('/v1/policies')).rules).toHaveLength(2);
    const id = await main.create(script(writeTool('ok.txt'), writeTool('k.secret')));
    await main.waitFor(id, 'idle');
    expect(await decisions(id)).toEqual([
      expect.objectContaining({
        optionKind: 'allow_once',
        decidedBy: { type: 'policy', actor: null, rule: 'edits-ok', source: 'server' },
      }),
      expect.objectContaining({
        optionKind: 'reject_once',
        decidedBy: { type: 'policy', actor: null, rule: 'no-secrets', source: 'server' },
      }),
    ]);
    await main.call('PUT', '/v1/policies', { rules: [] });
  });

  it('per-session rules come first; ask hands the request to a human', async () => {
    await main.call('PUT', '/v1/policies', {
      rules: [{ name: 'edits-ok', decision: 'allow', toolKind: 'edit' }],
    });
    const id = await main.create(script(writeTool('d.txt')), {
      policies: [{ name: 'review-edits', decision: 'ask', toolKind: 'edit' }],
    });
    await main.waitFor(id, 'permission_prompt');
    await main.call('POST', `/v1/sessions/${id}/reject`, {});
    await main.waitFor(id, 'idle');
    expect((await decisions(id))[0]).toMatchObject({
      decidedBy: { type: 'human' },
      optionKind: 'reject_once',
    });
    await main.call('PUT', '/v1/policies', { rules: [] });
  });

  it('rejects an invalid command pattern', async () => {
    const res = await main.call('PUT', '/v1/policies', {
      rules: [{ name: 'bad', decision: 'deny', commandPattern: '([' }],
    });
    expect(res.status).toBe(400);
  });
});

describe('failures and timeouts', () => {
  it("a provider 429 reported like Claude Code's adapter puts the session in rate_limit", async () => {
    const id = await main.create(
      script({
        fail: {
          code: -32603,
          message: 'Internal error: API Error: Request rejected (429)',
          data: { errorKind: 'rate_limit' },
        },
      }),
    );
    const s = await main.waitFor(id, 'rate_limit');
    expect(s.problem).toMatchObject({ code: 'RATE_LIMITED' });
    const health = await main.get<{ hints: string[] }>(`/v1/sessions/${id}/health`);
    expect(health.hints[0]).toContain('rate-limited');
  });

  it('a 429 that says when to retry gives the session problem a retryAt that far ahead', async () => {
    const before = Date.now();
    const id = await main.create(
      script({
        fail: {
          code: -32603,
          message: 'Internal error: API Error: Request rejected (429), retry after 30 s',
          data: { errorKind: 'rate_limit' },
        },
      }),
    );
    const s = (await main.waitFor(id, 'rate_limit')) as { problem: { code: string; retryAt?: string } };
    expect(s.problem.code).toBe('RATE_LIMITED');
    const retryAt = Date.parse(s.problem.retryAt ?? '');
    expect(retryAt - before).toBeGreaterThanOrEqual(30_000);
    expect(retryAt - Date.now()).toBeLessThanOrEqual(30_000);
    // The next prompt is taken: rate_limit is not a dead end.
    expect((await main.call('POST', `/v1/sessions/${id}/send`, { text: script({ say: 'ok' }) })).status).toBe(
      202,
    );
    await main.waitFor(id, 'idle');
  });

  it('a turn silent past the prompt timeout is cancelled and fails AGENT_TIMEOUT', async () => {
    const t = setup({ promptTimeoutMs: 300 });
    const id = await t.create(script({ say: 'thinking' }, { hang: true }));
    const s = await t.waitFor(id, 'error');
    expect(s.problem).toMatchObject({ code: 'AGENT_TIMEOUT' });
    const failed = (await t.aegis.sessions.events(id)).find((e) => e.type === 'turn.failed');
    expect(failed?.data).toMatchObject({ problem: { code: 'AGENT_TIMEOUT' } });
    // The session stays usable.
    await t.call('POST', `/v1/sessions/${id}/send`, { text: 'still there?' });
    await t.waitFor(id, 'working').catch(() => {});
  });

  it('reaps a session only after it has been inactive for idleTimeoutMs', async () => {
    const t = setup({ idleTimeoutMs: 400 });
    const id = await t.create(script({ sleep: 600 }, { say: 'done' }));
    // The turn runs longer than the idle timeout: working sessions are never reaped.
    await t.waitFor(id, 'idle');
    expect((await t.get<{ status: string }>(`/v1/sessions/${id}`)).status).toBe('idle');
    const s = await t.waitFor(id, 'completed');
    expect(JSON.stringify(await t.aegis.sessions.events(id))).toContain('no activity');
    expect(s.status).toBe('completed');
  });
});

describe('integer query parameters', () => {
  // Number() would read "0x10" as 16 and "1e3" as 1000; every numeric cursor and page size takes
  // decimal digits only, like Last-Event-ID, and the 400 names the parameter.
  const BAD = ['0x10', '1e3', '-1', '1.5', '%207', '', 'abc', '99999999999999999999'];
  const PARAMS: [string, string][] = [
    ['/v1/sessions', 'page'],
    ['/v1/sessions', 'limit'],
    ['/v1/sessions/{id}/read', 'cursor'],
    ['/v1/sessions/{id}/read', 'limit'],
    ['/v1/sessions/{id}/transcript/cursor', 'before_id'],
    ['/v1/sessions/{id}/transcript/cursor', 'limit'],
    ['/v1/sessions/{id}/events', 'after'],
    ['/v1/events', 'after'],
    ['/v1/memory', 'limit'],
    ['/v1/pipelines', 'page'],
    ['/v1/pipelines', 'limit'],
    ['/v1/audit', 'after'],
    ['/v1/audit', 'limit'],
  ];
  let id: string;
  it.each(PARAMS)('%s ?%s= takes decimal digits only', async (path, param) => {
    id ??= await main.create();
    for (const bad of BAD) {
      const res = await main.app.request(`${path.replace('{id}', id)}?${param}=${bad}`);
      expect(res.status, `${param}=${bad}`).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(body.error.message).toContain(`${param}: must be an integer`);
    }
  });

  it('still takes plain digits', async () => {
    id ??= await main.create();
    for (const path of [
      '/v1/sessions?page=1&limit=5',
      `/v1/sessions/${id}/read?cursor=0&limit=10`,
      `/v1/sessions/${id}/transcript/cursor?before_id=100&limit=200`,
      '/v1/memory?limit=1',
      '/v1/pipelines?page=2&limit=100',
      '/v1/audit?after=0&limit=10',
    ]) {
      expect((await main.app.request(path)).status, path).toBe(200);
    }
    expect((await main.app.request('/v1/sessions?limit=101')).status).toBe(400);
    expect((await main.app.request(`/v1/sessions/${id}/transcript/cursor?before_id=0`)).status).toBe(400);
  });
});

describe('request logs', () => {
  it('logs every request as one structured info line with the request id; secrets are redacted', async () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const logger = createLogger('info', stream);
    const app = createApp({
      aegis: main.aegis,
      agents: driver.agents,
      log: (line) => logger.info('request', { ...line, authorization: 'Bearer sekrit' }),
    });
    const res = await app.request('/v1/health', { headers: { 'x-request-id': 'req-123' } });
    expect(res.headers.get('x-request-id')).toBe('req-123');
    const entry = JSON.parse(lines.at(-1)!);
    expect(entry).toMatchObject({
      level: 'info',
      msg: 'request',
      requestId: 'req-123',
      method: 'GET',
      path: '/v1/health',
      status: 200,
      authorization: '[redacted]',
    });
    expect(typeof entry.ms).toBe('number');
    expect(lines.join('')).not.toContain('sekrit');
    logger.debug('hidden');
    expect(lines.join('')).not.toContain('hidden');
  });
});
