// biome-ignore-all lint/suspicious/noExplicitAny: route tests read loosely typed JSON bodies; the schemas are tested by the spec
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAcpDriver } from '@aegis/acp-runtime';
import { createAegis, createMemoryStore } from '@aegis/core';
import { SCRIPTED_AGENT_BIN } from '@aegis/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { checkWorkDir } from '../workdir.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-first-key-')));
const driver = createAcpDriver({
  agents: { scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] } },
  defaultAgent: 'scripted',
});
const closers: (() => Promise<unknown>)[] = [];
afterAll(() => Promise.all(closers.map((c) => c())));

/** A zero-config app (loopback, no bootstrap token, no key yet), or one with a bootstrap token. */
function setup(opts: { authToken?: string } = {}) {
  const aegis = createAegis({
    agent: driver,
    store: createMemoryStore(),
    resolveWorkDir: async (d) => checkWorkDir(d, [root]),
  });
  closers.push(() => aegis.close());
  const app = createApp({
    aegis,
    agents: driver.agents,
    authToken: opts.authToken,
    security: { zeroConfig: !opts.authToken },
  });
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await app.request(path, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  return { call };
}

describe('the first API key', () => {
  it('defaults to admin, says that zero-config local access is now off, and the key keeps working', async () => {
    const { call } = setup();
    expect((await call('GET', '/v1/sessions')).status).toBe(200);
    const created = await call('POST', '/v1/auth/keys', { name: 'me' });
    expect(created.status).toBe(201);
    expect(created.body.key.role).toBe('admin');
    expect(created.body.localAccessEnded).toBe(true);
    expect(created.body.notice).toMatch(/^This is the first API key, so zero-config local access is now off/);
    expect(created.body.notice).toContain('Use this one (it is admin)');

    // Local access without a key has ended, with the why and the way back in the 401.
    const anonymous = await call('GET', '/v1/sessions');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.message).toContain(
      'this server has API keys, so requests without one are refused',
    );
    expect(anonymous.body.error.message).toContain('AEGIS_AUTH_TOKEN');
    expect(anonymous.body.error.message).toContain('bootstrap admin token');
    // The new key can do everything, keys included.
    expect((await call('GET', '/v1/sessions', undefined, created.body.secret)).status).toBe(200);
    expect((await call('GET', '/v1/auth/keys', undefined, created.body.secret)).status).toBe(200);

    // Later keys default to operator and say nothing changed.
    const second = await call('POST', '/v1/auth/keys', { name: 'ci' }, created.body.secret);
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ key: { role: 'operator' }, localAccessEnded: false, notice: null });
  });

  it.each(['operator', 'viewer'] as const)(
    'refuses a first key with role %s (409), saying why, and creates nothing',
    async (role) => {
      const { call } = setup();
      const refused = await call('POST', '/v1/auth/keys', { name: 'x', role });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('CONFLICT');
      expect(refused.body.error.message).toMatch(
        /^The first API key must be admin: creating it turns off zero-config local access/,
      );
      expect(refused.body.error.details).toEqual({ reason: 'first_key_must_be_admin', role });
      // Nothing changed: still zero-config, still no key.
      expect(await call('GET', '/v1/auth/keys')).toMatchObject({ status: 200, body: { keys: [] } });
    },
  );

  it('with a bootstrap token (no zero-config access to end) the first key may have any role', async () => {
    const token = 'bootstrap-admin-token-0123456789abcdef';
    const { call } = setup({ authToken: token });
    const created = await call('POST', '/v1/auth/keys', { name: 'ci', role: 'operator' }, token);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: { role: 'operator' }, localAccessEnded: false, notice: null });
  });
});
