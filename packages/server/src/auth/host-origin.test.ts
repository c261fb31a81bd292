// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are asserted field by field
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Booted, boot } from './__fixtures__/attack-server.js';
import { isLoopbackHostname } from './host-origin.js';

let s: Booted;
let own: string;
const dashDir = mkdtempSync(join(tmpdir(), 'aegis-dash-'));
writeFileSync(join(dashDir, 'index.html'), '<!doctype html><title>Aegis</title>');

/** In-process through the real server's app, so the Host header is exactly what is given. */
async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await s.server.app.request(path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? (JSON.parse(text) as any) : undefined, text };
}
const sessionCount = () => s.server.aegis.sessions.list({ limit: 100 }).then((r) => r.total);

beforeAll(async () => {
  s = await boot({
    allowedHosts: ['aegis.internal', 'pinned.example:9100'],
    allowedOrigins: ['http://localhost:5173'],
    dashboardDir: dashDir,
  });
  own = new URL(s.server.url).host;
  mkdirSync(join(s.work, 'h'));
});
afterAll(() => s.server.close());

describe('DNS rebinding (zero-config loopback)', () => {
  it.each([
    ['POST', '/v1/sessions'],
    ['GET', '/v1/sessions'],
    ['POST', '/v1/auth/keys'],
    ['GET', '/dashboard/'],
  ])('refuses %s %s under a foreign Host with 403, and nothing changes', async (method, path) => {
    const before = await sessionCount();
    const keysBefore = (await s.server.app.request('/v1/auth/keys')).status;
    const body = method === 'POST' ? { workDir: join(s.work, 'h'), name: 'x', role: 'admin' } : undefined;
    const res = await call(method, path, { host: 'evil.example:9100' }, body);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect(res.body.error.message).toContain('allowedHosts');
    expect(res.body.error.message).toContain('AEGIS_ALLOWED_HOSTS');
    expect(await sessionCount()).toBe(before);
    // Still zero-config: no key was created (listing keys still needs no credential).
    expect((await s.server.app.request('/v1/auth/keys')).status).toBe(keysBefore);
  });

  it.each([
    '127.0.0.1:9100',
    'localhost:9100',
    '127.0.0.1',
    '127.1.2.3:80',
    '[::1]:9100',
    'aegis.internal:1234',
    'pinned.example:9100',
  ])('answers under Host %s', async (host) => {
    expect((await call('GET', '/v1/sessions', { host })).status).toBe(200);
  });

  it.each(['pinned.example:9101', 'localhost.evil.example', '127.0.0.1.evil.example', '1270.0.0.1'])(
    'refuses Host %s',
    async (host) => {
      expect((await call('GET', '/v1/sessions', { host })).status).toBe(403);
    },
  );

  it('knows loopback names', () => {
    expect(['localhost', '127.0.0.1', '127.255.0.9', '::1'].every(isLoopbackHostname)).toBe(true);
    expect(['127.0.0.256', 'localhost.', '0.0.0.0', '10.0.0.1'].some(isLoopbackHostname)).toBe(false);
  });
});

describe('cross-site requests', () => {
  it.each([['http://evil.example'], ['null'], ['https://127.0.0.1.evil.example']])(
    'refuses a mutating request from origin %s with 403, and creates nothing',
    async (origin) => {
      const before = await sessionCount();
      const res = await call('POST', '/v1/sessions', { host: own, origin }, { workDir: join(s.work, 'h') });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(res.body.error.message).toContain('allowedOrigins');
      expect(await sessionCount()).toBe(before);
    },
  );

  it('refuses Sec-Fetch-Site: cross-site without an Origin', async () => {
    const before = await sessionCount();
    const res = await call(
      'DELETE',
      '/v1/sessions/batch',
      { host: own, 'sec-fetch-site': 'cross-site' },
      { ids: ['x'] },
    );
    expect(res.status).toBe(403);
    expect(await sessionCount()).toBe(before);
  });

  it('lets a foreign origin read (the browser keeps the answer from it: no CORS headers)', async () => {
    const res = await call('GET', '/v1/sessions', { host: own, origin: 'http://evil.example' });
    expect(res.status).toBe(200);
  });

  it('accepts the dashboard: same origin, served at /dashboard/', async () => {
    const page = await call('GET', '/dashboard/', { host: own });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Aegis</title>');
    const created = await call(
      'POST',
      '/v1/sessions',
      { host: own, origin: `http://${own}`, 'sec-fetch-site': 'same-origin' },
      { workDir: join(s.work, 'h') },
    );
    expect(created.status).toBe(201);
  });

  it('accepts a configured origin', async () => {
    const res = await call(
      'POST',
      '/v1/sessions',
      { host: own, origin: 'http://localhost:5173' },
      { workDir: join(s.work, 'h') },
    );
    expect(res.status).toBe(200); // reuses the idle session the dashboard test created
  });
});

describe('with a bootstrap token instead of zero-config', () => {
  it('does not check the Host (every request needs a credential), but still checks Origin', async () => {
    const t = await boot({ host: '127.0.0.2', authToken: 'bootstrap-admin-token-0123456789abcdef' });
    try {
      const auth = { authorization: 'Bearer bootstrap-admin-token-0123456789abcdef' };
      const get = await t.server.app.request('/v1/sessions', { headers: { host: 'aegis.example', ...auth } });
      expect(get.status).toBe(200);
      const anonymous = await t.server.app.request('/v1/sessions', { headers: { host: 'aegis.example' } });
      expect(anonymous.status).toBe(401);
      const post = await t.server.app.request('/v1/auth/keys', {
        method: 'POST',
        headers: {
          host: 'aegis.example',
          origin: 'http://evil.example',
          'content-type': 'application/json',
          ...auth,
        },
        body: JSON.stringify({ name: 'x', role: 'admin' }),
      });
      expect(post.status).toBe(403);
      const keys = await t.server.app.request('/v1/auth/keys', { headers: auth });
      expect(((await keys.json()) as any).keys).toEqual([]);
    } finally {
      await t.server.close();
    }
  });
});
