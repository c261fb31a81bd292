// Attack suite, round two (issue 22 #1 and #10): environment variable names and values.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Booted, boot } from './__fixtures__/attack-server.js';

let s: Booted;
let admin: string;
let op: string;
const work = () => join(s.work, 'env-attack');

const countSessions = async () =>
  (await s.call('GET', '/v1/sessions?limit=100', { token: admin })).body.total as number;

beforeAll(async () => {
  s = await boot({ limits: { authFailuresPerMinute: 10_000, requestsPerMinute: 10_000 } });
  admin = await s.key('admin');
  op = await s.key('operator', admin);
  mkdirSync(work());
});
afterAll(() => s.server.close());

/** JavaScript that, if the agent ever ran it, leaves a file behind. */
const injected = (marker: string) =>
  `data:text/javascript,${encodeURIComponent(`import{writeFileSync}from'node:fs';writeFileSync(${JSON.stringify(marker)},'ran')`)}`;

describe('session env names', () => {
  // Node builds the child environment as name=value: the name "NODE_OPTIONS=--import" with a data:
  // URL value became NODE_OPTIONS=--import=data:… and the agent ran the JavaScript (201 before).
  it.each([
    ['NODE_OPTIONS=--import', (m: string) => injected(m)],
    ['HTTP_PROXY=http://127.0.0.1:9/x', () => 'y'],
    ['node_options', (m: string) => `--import=${injected(m)}`],
    ['Http_Proxy', () => 'http://127.0.0.1:9'],
    ['1BAD', () => 'x'],
  ])('refuses %j with a 400 naming it, and starts nothing', async (name, value) => {
    const marker = join(s.root, `ran-${encodeURIComponent(name)}`);
    const before = await countSessions();
    const res = await s.call('POST', '/v1/sessions', {
      token: op,
      body: { workDir: work(), reuse: false, env: { [name]: value(marker) } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain(
      `env variable ${/^[A-Za-z_]\w*$/.test(name) ? name : JSON.stringify(name)}`,
    );
    expect(await countSessions()).toBe(before);
    await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a malformed name in any item of a batch or stage of a pipeline', async () => {
    const before = await countSessions();
    const env = { 'NODE_OPTIONS=--require': '/tmp/x.js' };
    const batch = await s.call('POST', '/v1/sessions/batch', {
      token: op,
      body: { sessions: [{ workDir: work() }, { workDir: work(), env }] },
    });
    expect(batch.status).toBe(400);
    expect(batch.body.error.message).toContain('"NODE_OPTIONS=--require"');
    const pipeline = await s.call('POST', '/v1/pipelines', {
      token: op,
      body: { name: 'p', stages: [{ name: 'a', spec: { workDir: work(), prompt: 'x', env } }] },
    });
    expect(pipeline.status).toBe(400);
    expect(await countSessions()).toBe(before);
  });
});

describe('template env', () => {
  it.each([
    { 'NODE_OPTIONS=--import': 'data:,1' },
    { https_proxy: 'http://127.0.0.1:9' },
    { LD_PRELOAD: '/x.so' },
    { FOO: 'a\0b' },
  ])('refuses a template whose env sets %j at create and at update, with a 400 naming it', async (env) => {
    const name = Object.keys(env)[0] as string;
    const created = await s.call('POST', '/v1/templates', { token: op, body: { name: 'bad-env', env } });
    expect(created.status).toBe(400);
    expect(created.body.error.message).toContain(/^[A-Za-z_]\w*$/.test(name) ? name : JSON.stringify(name));
    const ok = await s.call('POST', '/v1/templates', { token: op, body: { name: `ok-${Date.now()}` } });
    expect(ok.status).toBe(201);
    const updated = await s.call('PUT', `/v1/templates/${ok.body.id}`, {
      token: op,
      body: { name: ok.body.name, env },
    });
    expect(updated.status).toBe(400);
  });
});

describe('NUL bytes', () => {
  const canary = 'nul-canary-5d1e';

  it('a NUL byte in an env value is a 400 that names the variable and never echoes the value', async () => {
    const before = await countSessions();
    const res = await s.call('POST', '/v1/sessions', {
      token: op,
      body: { workDir: work(), reuse: false, env: { FOO: `${canary}\0tail` } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain('env variable FOO has a value with a NUL byte');
    expect(res.text).not.toContain(canary);
    expect(s.logs.join('')).not.toContain(canary);
    expect(await countSessions()).toBe(before);
  });

  it('a NUL byte in an env name is a 400 that quotes the name escaped', async () => {
    const res = await s.call('POST', '/v1/sessions', {
      token: op,
      body: { workDir: work(), reuse: false, env: { 'FOO\0BAR': 'x' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'env variable "FOO\\u0000BAR" is not a valid environment variable name',
    );
  });
});

describe('deeply nested JSON (#10)', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

  // Before: JSON.stringify of the value overflowed the stack — 500 "Maximum call stack size exceeded".
  it('a memory value nested 6,000 deep is a 400, and the server goes on answering', async () => {
    const res = await s.call('PUT', '/v1/memory/deep', { token: op, raw: `{"value":${deep(6000)}}` });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('more than 100 levels deep');
    expect((await s.call('GET', '/v1/memory/deep', { token: op })).status).toBe(404);
    expect((await s.call('GET', '/v1/health')).status).toBe(200);
  });

  it('any JSON body nested past the limit is a 400 before a route sees it', async () => {
    const res = await s.call('POST', '/v1/sessions', {
      token: op,
      raw: `{"workDir":${JSON.stringify(work())},"variables":${deep(50_000)}}`,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
  });

  it('a memory value nested 100 deep is stored', async () => {
    const res = await s.call('PUT', '/v1/memory/deep-ok', { token: op, raw: `{"value":${deep(99)}}` });
    expect(res.status).toBe(200);
  });
});
