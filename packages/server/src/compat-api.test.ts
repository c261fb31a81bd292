import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { script, scriptedServerConfig } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from './server.js';

// The shapes of the earlier Aegis documents (docs/compatibility.md), against a real server.
const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-compat-api-')));
let server: RunningServer;
let n = 0;
const folder = () => {
  const dir = join(base, `w${n++}`);
  mkdirSync(dir);
  return dir;
};

beforeAll(async () => {
  server = await startServer({ ignoreEnv: true, config: scriptedServerConfig(base) });
});
afterAll(() => server?.close());

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {}
  // biome-ignore lint/suspicious/noExplicitAny: the tests read documented JSON bodies field by field
  return { status: res.status, json: json as Record<string, any>, text };
};

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('create: the session at the top level too', () => {
  it("has `id` at the top level (jq -r '.id') and keeps session, reused and promptDelivery", async () => {
    const r = await call('POST', '/v1/sessions', { workDir: folder(), name: 'task-name' });
    expect(r.status).toBe(201);
    expect(r.json.id).toEqual(r.json.session.id);
    expect(r.json).toMatchObject({ name: 'task-name', status: r.json.session.status, reused: false });
    expect(r.json).toHaveProperty('promptDelivery');
  });
});

describe('/read in the documented shape', () => {
  it('offers { messages[], status, statusText } with messages { role, contentType, text, timestamp }', async () => {
    const created = await call('POST', '/v1/sessions', {
      workDir: folder(),
      prompt: script({ say: 'All tests pass.' }),
    });
    const id = created.json.id as string;
    const read = await until(
      () => call('GET', `/v1/sessions/${id}/read`),
      (r) => r.json.status === 'idle' && r.json.messages?.length >= 2,
    );
    expect(read.json.statusText).toMatch(/Waiting for input/);
    expect(read.json.messages.at(-1)).toEqual({
      role: 'assistant',
      contentType: 'text',
      text: 'All tests pass.',
      timestamp: expect.any(String),
    });
    expect(read.json.messages).toHaveLength(read.json.entries.length);
  });
});

describe('handshake', () => {
  it.each([['1'], [1]])('accepts protocolVersion %j and the documented capability names', async (v) => {
    const r = await call('POST', '/v1/handshake', {
      protocolVersion: v,
      clientCapabilities: ['session.create', 'session.transcript.cursor'],
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      compatible: true,
      negotiatedCapabilities: ['session.create', 'session.transcript.cursor'],
      warnings: [],
    });
    expect(r.json.serverCapabilities).toEqual(expect.arrayContaining(['session.create', 'sessions']));
  });

  it('says honestly which documented capabilities are not supported, and why', async () => {
    const r = await call('POST', '/v1/handshake', {
      protocolVersion: '1',
      clientCapabilities: ['session.screenshot', 'hooks.pre_tool_use', 'swarm', 'metrics'],
    });
    expect(r.json.negotiatedCapabilities).toEqual(['metrics']);
    expect(r.json.warnings).toEqual([
      expect.stringMatching(/"session\.screenshot" is not supported by this server: .*501/),
      expect.stringMatching(/"hooks\.pre_tool_use" is not supported .*tool\.started/),
      expect.stringMatching(/"swarm" is not supported/),
    ]);
  });

  it('a capability named after an inherited property is unknown, not a crash', async () => {
    const r = await call('POST', '/v1/handshake', {
      protocolVersion: '1',
      clientCapabilities: ['valueOf', 'constructor'],
    });
    expect(r.status).toBe(200);
    expect(r.json.negotiatedCapabilities).toEqual([]);
    expect(r.json.warnings).toEqual([
      'Unknown capability "valueOf"; this server does not support it and will ignore it.',
      'Unknown capability "constructor"; this server does not support it and will ignore it.',
    ]);
  });

  it('refuses a protocolVersion that is not a whole number', async () => {
    expect((await call('POST', '/v1/handshake', { protocolVersion: 'one' })).status).toBe(400);
  });
});

describe('documented state names in ?status=', () => {
  it('active means every live state; ask_question, bash_approval, plan_mode map to ours', async () => {
    const dir = folder();
    const { json } = await call('POST', '/v1/sessions', { workDir: dir });
    const active = await call('GET', `/v1/sessions?status=active&workDir=${encodeURIComponent(dir)}`);
    expect(active.status).toBe(200);
    expect(active.json.sessions.map((s: { id: string }) => s.id)).toEqual([json.id]);
    for (const name of ['ask_question', 'bash_approval', 'plan_mode'])
      expect((await call('GET', `/v1/sessions?status=${name}`)).status).toBe(200);
    await call('DELETE', `/v1/sessions/${json.id}`);
    const after = await call('GET', `/v1/sessions?status=active&workDir=${encodeURIComponent(dir)}`);
    expect(after.json.sessions).toEqual([]);
  });

  it('unknown is a 400 that says why no session is ever unknown', async () => {
    const r = await call('GET', '/v1/sessions?status=unknown');
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/"unknown": this server always knows a session's state/);
  });

  it.each(['valueOf', 'constructor', '__proto__', 'toString'])(
    '%s is an unknown status (400), not a crash',
    async (name) => {
      const r = await call('GET', `/v1/sessions?status=${name}`);
      expect(r.status).toBe(400);
      expect(r.json.error.message).toContain(`unknown status "${name}"; one of `);
    },
  );
});

describe('documented aliases', () => {
  it.each(['input', 'prompt'])('POST /v1/sessions/{id}/%s is /send', async (name) => {
    const { json } = await call('POST', '/v1/sessions', { workDir: folder() });
    const r = await call('POST', `/v1/sessions/${json.id}/${name}`, { text: script({ say: 'ok' }) });
    expect(r.status).toBe(202);
    expect(r.json.promptDelivery).toMatchObject({ delivered: expect.any(Boolean) });
  });

  it('POST /sessions, GET /sessions/{id} and GET /health answer as their /v1 routes', async () => {
    const created = await call('POST', '/sessions', { workDir: folder() });
    expect(created.status).toBe(201);
    const got = await call('GET', `/sessions/${created.json.id}`);
    expect(got.json).toMatchObject({ id: created.json.id });
    const health = await call('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.json.status).toBe('ok');
    expect((await call('GET', '/sessions/nope')).status).toBe(404);
  });

  it('GET /sessions/{id}/events (unversioned) streams like its /v1 route', async () => {
    const created = await call('POST', '/v1/sessions', { workDir: folder() });
    const res = await fetch(`${server.url}/sessions/${created.json.id}/events`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('session.created')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(text).toMatch(/^id: 1$/m);
  });

  it('GET /v1/metrics serves what /metrics serves', async () => {
    const v1 = await call('GET', '/v1/metrics');
    expect(v1.status).toBe(200);
    expect(v1.text).toContain('aegis_live_sessions');
  });
});

describe('tmux-era features', () => {
  it.each([
    ['GET', 'pane', /no terminal pane.*not in tmux.*\/read/],
    ['POST', 'screenshot', /Screenshots are not supported.*tmux-era/],
  ])('%s …/%s is a 501 that says what to use instead', async (method, name, message) => {
    const { json } = await call('POST', '/v1/sessions', { workDir: folder() });
    const r = await call(method, `/v1/sessions/${json.id}/${name}`);
    expect(r.status).toBe(501);
    expect(r.json.error).toMatchObject({ code: 'NOT_IMPLEMENTED', message: expect.stringMatching(message) });
  });
});
