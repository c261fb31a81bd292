// biome-ignore-all lint/suspicious/noExplicitAny: route tests read loosely typed JSON bodies; the schemas are tested by the spec
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAcpDriver } from '@aegis/acp-runtime';
import { type AegisStore, createAegis, createMemoryStore } from '@aegis/core';
import { createSqliteStore } from '@aegis/core/sqlite';
import { SCRIPTED_AGENT_BIN, script } from '@aegis/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { checkWorkDir } from '../workdir.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-orch-')));
const driver = createAcpDriver({
  agents: { scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] } },
  defaultAgent: 'scripted',
});

function boot(store: AegisStore = createMemoryStore()) {
  const aegis = createAegis({ agent: driver, store, resolveWorkDir: async (d) => checkWorkDir(d, [root]) });
  const app = createApp({ aegis, agents: driver.agents });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  return { aegis, app, call };
}

const main = boot();
const { call } = main;
afterAll(async () => {
  await main.aegis.close();
  rmSync(root, { recursive: true, force: true });
});

let dirs = 0;
const newDir = () => {
  const dir = join(root, `d${++dirs}`);
  mkdirSync(dir);
  return dir;
};

async function settled(c: typeof call, id: string) {
  for (let i = 0; i < 400; i++) {
    const { body } = await c('GET', `/v1/pipelines/${id}`);
    if (body.status !== 'running') return body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`pipeline ${id} never settled`);
}

describe('batch sessions', () => {
  it('creates the good items and reports the bad one per item', async () => {
    const good = newDir();
    const res = await call('POST', '/v1/sessions/batch', {
      sessions: [
        { workDir: good, prompt: 'one' },
        { workDir: '/' },
        { workDir: newDir(), templateId: 'code-reviewer' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ succeeded: 2, failed: 1 });
    const [a, b, c] = res.body.results;
    expect(a).toMatchObject({ index: 0, ok: true, reused: false, promptDelivery: { delivered: true } });
    expect(b).toMatchObject({ index: 1, ok: false, error: { code: 'WORKDIR_DENIED' } });
    expect(b.error.message).toContain(root);
    expect(c).toMatchObject({
      index: 2,
      ok: true,
      session: { name: 'code-reviewer', permissionMode: 'plan' },
    });

    const del = await call('DELETE', '/v1/sessions/batch', { ids: [a.session.id, 'nope', c.session.id] });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ succeeded: 2, failed: 1 });
    expect(del.body.results.map((r: any) => [r.id, r.ok, r.session?.status ?? r.error.code])).toEqual([
      [a.session.id, true, 'killed'],
      ['nope', false, 'SESSION_NOT_FOUND'],
      [c.session.id, true, 'killed'],
    ]);
  });

  it.each([
    ['empty', { sessions: [] }],
    ['over 50', { sessions: Array.from({ length: 51 }, () => ({ workDir: root })) }],
    ['item without workDir', { sessions: [{ prompt: 'x' }] }],
  ])('rejects a malformed batch (%s) as a whole', async (_name, body) => {
    const res = await call('POST', '/v1/sessions/batch', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('templates', () => {
  it('lists the four built-ins and protects them', async () => {
    const { body } = await call('GET', '/v1/templates');
    expect(body.templates.filter((t: any) => t.builtIn).map((t: any) => t.id)).toEqual([
      'code-reviewer',
      'ci-runner',
      'pr-reviewer',
      'docs-writer',
    ]);
    expect((await call('DELETE', '/v1/templates/ci-runner')).body.error.code).toBe('FORBIDDEN');
    expect((await call('PUT', '/v1/templates/ci-runner', { name: 'ci-runner', prompt: 'x' })).status).toBe(
      403,
    );
    expect((await call('POST', '/v1/templates', { name: 'docs-writer' })).status).toBe(409);
    const missing = await call('POST', '/v1/sessions', { workDir: newDir(), templateId: 'pr-reviewer' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('needs variable pr');
  });

  it('creates, reads, updates and deletes a template, and starts a session from it', async () => {
    const created = await call('POST', '/v1/templates', {
      name: 'greeter',
      description: 'Says hi',
      prompt: 'Hello {{who}} from {{where|Aegis}}',
      permissionMode: 'acceptEdits',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'greeter', variables: ['who', 'where'], builtIn: false });
    const id = created.body.id;
    expect((await call('GET', `/v1/templates/${id}`)).body.prompt).toBe('Hello {{who}} from {{where|Aegis}}');
    expect((await call('POST', '/v1/templates', { name: 'greeter' })).status).toBe(409);

    const updated = await call('PUT', `/v1/templates/${id}`, { name: 'greeter', prompt: 'Hi {{who}}' });
    expect(updated.body).toMatchObject({ prompt: 'Hi {{who}}', permissionMode: null, variables: ['who'] });

    const dir = newDir();
    const session = await call('POST', '/v1/sessions', {
      workDir: dir,
      templateId: id,
      variables: { who: 'Ada' },
      name: 'explicit',
    });
    expect(session.status).toBe(201);
    expect(session.body.session.name).toBe('explicit');
    const sid = session.body.session.id;
    for (let i = 0; i < 200; i++) {
      const read = await call('GET', `/v1/sessions/${sid}/read`);
      if (read.body.entries.some((e: any) => e.role === 'assistant')) {
        expect(read.body.entries[0]).toMatchObject({ role: 'user', text: 'Hi Ada' });
        break;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    await call('DELETE', `/v1/sessions/${sid}`);

    expect((await call('DELETE', `/v1/templates/${id}`)).status).toBe(200);
    expect((await call('GET', `/v1/templates/${id}`)).body.error.code).toBe('NOT_FOUND');
  });
});

describe('memory', () => {
  it('sets, gets, lists by prefix and deletes entries', async () => {
    expect((await call('PUT', '/v1/memory/proj%2Fa', { value: { n: 1 } })).body).toMatchObject({
      key: 'proj/a',
      value: { n: 1 },
      expiresAt: null,
    });
    await call('PUT', '/v1/memory/proj%2Fb', { value: null });
    await call('PUT', '/v1/memory/other', { value: 'x' });
    expect((await call('GET', '/v1/memory/proj%2Fb')).body.value).toBeNull();
    const list = await call('GET', '/v1/memory?prefix=proj/&limit=1');
    expect(list.body).toMatchObject({ entries: [{ key: 'proj/a' }], truncated: true });
    expect((await call('GET', '/v1/memory?prefix=proj/')).body.entries.map((e: any) => e.key)).toEqual([
      'proj/a',
      'proj/b',
    ]);
    expect((await call('DELETE', '/v1/memory/other')).body).toEqual({ key: 'other', deleted: true });
    expect((await call('GET', '/v1/memory/other')).status).toBe(404);
    expect((await call('DELETE', '/v1/memory/other')).status).toBe(404);
  });

  it('stops returning an entry once its TTL passes', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const aegis = createAegis({ agent: driver, store: createMemoryStore(), now: () => new Date(now) });
    await aegis.memory.set('k', { value: 1, ttlSec: 60 });
    expect((await aegis.memory.get('k')).expiresAt).toBe('2030-01-01T00:01:00.000Z');
    now += 61_000;
    await expect(aegis.memory.get('k')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await aegis.memory.list()).entries).toEqual([]);
    await aegis.close();
  });

  it.each([
    ['bad key', 'PUT', '/v1/memory/has%20space', { value: 1 }, 400],
    ['key too long', 'GET', `/v1/memory/${'k'.repeat(257)}`, undefined, 400],
    ['missing value', 'PUT', '/v1/memory/k', {}, 400],
    ['zero ttl', 'PUT', '/v1/memory/k', { value: 1, ttlSec: 0 }, 400],
    ['value too large', 'PUT', '/v1/memory/k', { value: 'x'.repeat(70_000) }, 413],
  ])('rejects %s', async (_name, method, path, body, status) => {
    const res = await call(method, path, body);
    expect(res.status).toBe(status);
    expect(res.body.error.message.length).toBeGreaterThan(10);
  });
});

describe('pipelines', () => {
  it('runs A, then B and C once A completed', async () => {
    const dir = newDir();
    const created = await call('POST', '/v1/pipelines', {
      name: 'fan-out',
      stages: [
        { name: 'B', spec: { workDir: dir, prompt: 'b' }, dependsOn: ['A'] },
        { name: 'A', spec: { workDir: dir, prompt: script({ sleep: 150 }, { say: 'a done' }) } },
        { name: 'C', spec: { workDir: dir, prompt: 'c' }, dependsOn: ['A'] },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body.stages.map((s: any) => [s.name, s.status])).toEqual([
      ['B', 'pending'],
      ['A', 'running'],
      ['C', 'pending'],
    ]);
    const done = await settled(call, created.body.id);
    expect(done).toMatchObject({ status: 'completed', error: null });
    const [b, a, c] = done.stages;
    for (const s of [a, b, c]) expect(s).toMatchObject({ status: 'completed', error: null });
    expect(new Set([a.sessionId, b.sessionId, c.sessionId]).size).toBe(3);
    expect(b.startedAt >= a.endedAt && c.startedAt >= a.endedAt).toBe(true);
    const session = await call('GET', `/v1/sessions/${b.sessionId}`);
    expect(session.body.name).toBe('fan-out/B');
    const list = await call('GET', '/v1/pipelines');
    expect(list.body.pipelines.map((p: any) => p.id)).toContain(created.body.id);
  });

  it('fails a stage whose turn fails and skips its dependents, while other branches run', async () => {
    const dir = newDir();
    const created = await call('POST', '/v1/pipelines', {
      name: 'broken',
      stages: [
        { name: 'bad', spec: { workDir: dir, prompt: script({ fail: { code: -32603, message: 'boom' } }) } },
        { name: 'after', spec: { workDir: dir, prompt: 'x' }, dependsOn: ['bad'] },
        { name: 'later', spec: { workDir: dir, prompt: 'x' }, dependsOn: ['after'] },
        { name: 'solo', spec: { workDir: dir, prompt: 'x' } },
      ],
    });
    const done = await settled(call, created.body.id);
    expect(done.status).toBe('failed');
    expect(done.error).toBe('Stage bad failed.');
    expect(done.stages.map((s: any) => [s.name, s.status])).toEqual([
      ['bad', 'failed'],
      ['after', 'skipped'],
      ['later', 'skipped'],
      ['solo', 'completed'],
    ]);
    expect(done.stages[0].error).toContain('boom');
    expect(done.stages[1]).toMatchObject({
      sessionId: null,
      error: 'Skipped: stage "bad" did not complete.',
    });
  });

  it('fails a stage whose session cannot start', async () => {
    const created = await call('POST', '/v1/pipelines', {
      name: 'nowhere',
      // A workDir that is not allowed is refused at create now (issue 22 #17); an unknown agent is
      // still only found when the stage starts.
      stages: [{ name: 'a', spec: { workDir: root, prompt: 'x', agent: 'no-such-agent' } }],
    });
    const done = await settled(call, created.body.id);
    expect(done.stages[0]).toMatchObject({ status: 'failed', sessionId: null });
    expect(done.stages[0].error).toContain('Could not start');
  });

  it.each([
    [
      'a cycle',
      [
        { name: 'a', dependsOn: ['b'] },
        { name: 'b', dependsOn: ['a'] },
      ],
      'dependency cycle',
    ],
    ['an unknown dependency', [{ name: 'a', dependsOn: ['zz'] }], 'depends on "zz"'],
    ['duplicate stage names', [{ name: 'a' }, { name: 'a' }], 'used more than once'],
  ])('rejects %s with a 400', async (_name, stages, message) => {
    const res = await call('POST', '/v1/pipelines', {
      name: 'bad',
      stages: stages.map((s) => ({ ...s, spec: { workDir: root, prompt: 'x' } })),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(message);
  });

  it('rejects a stage without a prompt and an unknown template', async () => {
    const noPrompt = await call('POST', '/v1/pipelines', {
      name: 'p',
      stages: [{ name: 'a', spec: { workDir: root } }],
    });
    expect(noPrompt.body.error.message).toContain('Stage "a" has no prompt');
    const unknown = await call('POST', '/v1/pipelines', {
      name: 'p',
      stages: [{ name: 'a', spec: { workDir: root, templateId: 'nope' } }],
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('Stage "a": Template nope does not exist');
  });

  it("hides one owner's pipelines from another", async () => {
    const p = await main.aegis.pipelines.create(
      { name: 'private', stages: [{ name: 'a', spec: { workDir: newDir(), prompt: 'x' } }] },
      { id: 'alice' },
    );
    await expect(main.aegis.pipelines.get(p.id, { id: 'bob' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await main.aegis.pipelines.list({}, { id: 'bob' })).total).toBe(0);
    expect((await main.aegis.pipelines.get(p.id, { id: 'alice' })).name).toBe('private');
    await settled(call, p.id);
  });

  it('keeps pipelines in SQLite across a restart and fails the ones left running', async () => {
    const path = join(root, 'state', 'aegis.db');
    const first = boot(createSqliteStore({ path }));
    const created = await first.call('POST', '/v1/pipelines', {
      name: 'durable',
      stages: [{ name: 'only', spec: { workDir: newDir(), prompt: 'hi' } }],
    });
    const done = await settled(first.call, created.body.id);
    const orphan = await first.call('POST', '/v1/pipelines', {
      name: 'orphan',
      stages: [
        { name: 'slow', spec: { workDir: newDir(), prompt: script({ sleep: 10_000 }) } },
        { name: 'next', spec: { workDir: root, prompt: 'x' }, dependsOn: ['slow'] },
      ],
    });
    // Simulate a crash: the store still says "running" when the next process starts.
    const store = createSqliteStore({ path });
    const record = await store.pipelines.get(orphan.body.id);
    await first.aegis.close();
    await store.pipelines.put(record!);
    await store.close();

    const second = boot(createSqliteStore({ path }));
    expect(await second.aegis.pipelines.recover()).toEqual([orphan.body.id]);
    expect((await second.call('GET', `/v1/pipelines/${created.body.id}`)).body).toEqual(done);
    const failed = (await second.call('GET', `/v1/pipelines/${orphan.body.id}`)).body;
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringContaining('Aegis restarted') });
    expect(failed.stages.map((s: any) => s.status)).toEqual(['failed', 'skipped']);
    await second.aegis.close();
  });
});
