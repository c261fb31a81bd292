import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAcpDriver } from '@aegis/acp-runtime';
import { createAegis, createMemoryStore } from '@aegis/core';
import { SCRIPTED_AGENT_BIN, script } from '@aegis/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { checkWorkDir } from './workdir.js';

const agentBin = SCRIPTED_AGENT_BIN;
const root = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-app-')));
const driver = createAcpDriver({
  agents: { scripted: { command: process.execPath, args: [agentBin] } },
  defaultAgent: 'scripted',
});
const aegis = createAegis({
  agent: driver,
  store: createMemoryStore(),
  resolveWorkDir: async (d) => checkWorkDir(d, [root]),
});
const app = createApp({ aegis, agents: driver.agents });
afterAll(() => aegis.close());

const post = (path: string, body?: unknown) =>
  app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
  });

async function waitFor(id: string, status: string) {
  for (let i = 0; i < 200; i++) {
    const s = (await (await app.request(`/v1/sessions/${id}`)).json()) as { status: string };
    if (s.status === status) return s;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`session ${id} never reached ${status}`);
}

describe('HTTP routes (in-process, scripted agent)', () => {
  it('answers health with version and agents', async () => {
    const res = await app.request('/v1/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', agents: ['scripted', 'claude-code'] });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('creates a session, asks permission, approves, and records the transcript', async () => {
    const dir = join(root, 'approve');
    mkdirSync(dir);
    const prompt = script(
      { say: 'Writing.' },
      {
        tool: {
          title: 'Write a.txt',
          kind: 'edit',
          permission: true,
          write: { path: 'a.txt', content: 'x' },
        },
      },
    );
    const res = await post('/v1/sessions', { workDir: dir, prompt });
    expect(res.status).toBe(201);
    const created = (await res.json()) as {
      session: { id: string };
      reused: boolean;
      promptDelivery: unknown;
    };
    expect(created.reused).toBe(false);
    expect(created.promptDelivery).toMatchObject({ delivered: true });
    const id = created.session.id;
    const waiting = (await waitFor(id, 'permission_prompt')) as { pendingPermission?: { title: string } };
    expect(waiting.pendingPermission?.title).toBe('Write a.txt');
    const approved = await post(`/v1/sessions/${id}/approve`, {});
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ optionKind: 'allow_once' });
    await waitFor(id, 'idle');
    const read = (await (await app.request(`/v1/sessions/${id}/read`)).json()) as {
      entries: { role: string }[];
    };
    expect(read.entries.map((e) => e.role)).toEqual(['user', 'assistant', 'permission', 'tool']);
    const again = await post(`/v1/sessions/${id}/approve`, {});
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'NOTHING_PENDING' } });
  });

  it('reuses an idle session in the same workDir (200, reused: true) unless the request says reuse: false (201, a new one)', async () => {
    const dir = join(root, 'reuse');
    mkdirSync(dir);
    const first = await post('/v1/sessions', { workDir: dir });
    expect(first.status).toBe(201);
    const a = (await first.json()) as { session: { id: string } };
    await waitFor(a.session.id, 'idle');
    const again = await post('/v1/sessions', { workDir: dir });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ reused: true, session: { id: a.session.id } });
    const fresh = await post('/v1/sessions', { workDir: dir, reuse: false });
    expect(fresh.status).toBe(201);
    const b = (await fresh.json()) as { reused: boolean; session: { id: string } };
    expect(b.reused).toBe(false);
    expect(b.session.id).not.toBe(a.session.id);
    const bad = await post('/v1/sessions', { workDir: dir, reuse: 'no' });
    expect(bad.status).toBe(400);
  });

  it('replays events over SSE from Last-Event-ID', async () => {
    const dir = join(root, 'sse');
    mkdirSync(dir);
    const created = (await (await post('/v1/sessions', { workDir: dir, prompt: 'hello' })).json()) as {
      session: { id: string };
    };
    const id = created.session.id;
    await waitFor(id, 'idle');
    const ac = new AbortController();
    const res = await app.request(`/v1/sessions/${id}/events`, {
      headers: { 'last-event-id': '3' },
      signal: ac.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('turn.completed')) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids[0]).toBe(4);
    expect(ids).toEqual(ids.map((_, i) => i + 4));
  });

  it.each([
    ['missing workDir', '/v1/sessions', {}, 400, 'VALIDATION_FAILED'],
    ['relative workDir', '/v1/sessions', { workDir: 'rel' }, 400, 'WORKDIR_DENIED'],
    ['missing workDir dir', '/v1/sessions', { workDir: '/nonexistent/xyz' }, 400, 'WORKDIR_DENIED'],
    ['outside allowed', '/v1/sessions', { workDir: '/' }, 400, 'WORKDIR_DENIED'],
    ['malformed JSON', '/v1/sessions', '{"workDir":', 400, 'BAD_REQUEST'],
    ['unknown session', '/v1/sessions/nope/send', { text: 'x' }, 404, 'SESSION_NOT_FOUND'],
  ])('%s → %i %s', async (_name, path, body, status, code) => {
    const res = await post(path, body);
    expect(res.status).toBe(status);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe(code);
    expect(json.error.message.length).toBeGreaterThan(10);
  });

  it('says where the next operation core names is: the route, with the path filled in', async () => {
    const missing = await post('/v1/sessions/nope/send', { text: 'x' });
    const body = (await missing.json()) as { error: { message: string; details: Record<string, unknown> } };
    expect(body.error.message).toBe('Session nope does not exist. List the sessions: GET /v1/sessions.');
    expect(body.error.details).toMatchObject({ sessionId: 'nope', next: 'listSessions' });
    const template = (await (await app.request('/v1/templates/tpl_nope')).json()) as {
      error: { message: string };
    };
    expect(template.error.message).toBe(
      'Template tpl_nope does not exist. List the templates: GET /v1/templates.',
    );
  });

  it('rejects invalid list queries and unknown routes in the envelope', async () => {
    expect((await app.request('/v1/sessions?limit=0')).status).toBe(400);
    expect(await (await app.request('/v1/sessions?status=bogus')).json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await (await app.request('/v1/nope')).json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
