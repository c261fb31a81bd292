// Issue 22, items 16 and 13: failed authentications locked every loopback client out (admin keys
// included), and zero-config admin access silently came back when the last key expired.
import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { type Booted, boot } from './__fixtures__/attack-server.js';
import { LAPSED_KEYS_MESSAGE, ZERO_CONFIG_BACK_MESSAGE } from './credentials.js';

const booted: Booted[] = [];
afterAll(async () => {
  for (const b of booted) await b.server.close();
});
const start = async (config: Parameters<typeof boot>[0]) => {
  const b = await boot(config);
  booted.push(b);
  return b;
};
const wrong = () => `aegis_${randomBytes(16).toString('hex')}`;

describe('failed authentications', () => {
  it('from loopback: many bad credentials never lock out valid keys, and each credential is limited', async () => {
    const s = await start({ limits: { authFailuresPerMinute: 3 } });
    const admin = await s.key('admin');
    const viewer = await s.key('viewer', admin);
    // Twenty-five different guesses from "another local process", then the missing-credential kind.
    for (let i = 0; i < 25; i++)
      expect((await s.call('GET', '/v1/sessions', { token: wrong() })).status).toBe(401);
    for (let i = 0; i < 25; i++) expect((await s.call('GET', '/v1/sessions')).status).toBe(401);
    expect((await s.call('GET', '/v1/sessions', { token: admin })).status).toBe(200);
    expect((await s.call('GET', '/v1/sessions', { token: viewer })).status).toBe(200);
    // The same bad credential again and again: limited.
    const guess = wrong();
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await s.call('GET', '/v1/sessions', { token: guess })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // …which blocks neither a valid key nor the next different guess.
    expect((await s.call('GET', '/v1/sessions', { token: admin })).status).toBe(200);
    expect((await s.call('GET', '/v1/sessions', { token: wrong() })).status).toBe(401);
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

  it.skipIf(!external)(
    'from another address: that client is limited, a valid key from it is not',
    async () => {
      const token = 'lockout-bootstrap-0123456789abcdef';
      const s = await start({ host: '0.0.0.0', authToken: token, limits: { authFailuresPerMinute: 3 } });
      const url = `http://${external}:${s.server.port}/v1/sessions`;
      const get = (bearer?: string) =>
        fetch(url, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} }).then((r) => r.status);
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push(await get(wrong()));
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      expect(await get()).toBe(429);
      expect(await get(token)).toBe(200);
      // Loopback is another client: not blocked by that address's failures.
      expect((await s.call('GET', '/v1/sessions', { token: wrong() })).status).toBe(401);
    },
  );
});

describe('zero-config access after the last key lapses', () => {
  it('stays off once keys have existed, and says so in the log and the answer', async () => {
    const s = await start({});
    expect((await s.call('GET', '/v1/sessions')).status).toBe(200);
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const admin = await s.key('admin', undefined, { expiresAt });
    expect((await s.call('GET', '/v1/sessions')).status).toBe(401);
    await new Promise((r) => setTimeout(r, Date.parse(expiresAt) - Date.now() + 100));
    expect((await s.call('GET', '/v1/sessions', { token: admin })).status).toBe(401);
    const res = await s.call('GET', '/v1/sessions');
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain('AEGIS_AUTH_TOKEN');
    expect((await s.call('POST', '/v1/auth/keys', { body: { name: 'again', role: 'admin' } })).status).toBe(
      401,
    );
    const warnings = s.logs.filter((l) => l.includes(LAPSED_KEYS_MESSAGE.slice(0, 60)));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"level":"warn"');
  });

  it('says so at start-up when the store it opens has only lapsed keys', async () => {
    const s = await start({});
    const admin = await s.key('admin');
    const id = (await s.call('GET', '/v1/auth/keys', { token: admin })).body.keys[0].id;
    expect((await s.call('DELETE', `/v1/auth/keys/${id}`, { token: admin })).status).toBe(200);
    // One server per state dir: the first stops before the next opens the same database.
    await s.server.close();
    const again = await start({ stateDir: s.server.config.stateDir, dbPath: s.dbPath });
    expect(again.logs.join('')).toContain(LAPSED_KEYS_MESSAGE.slice(0, 60));
    expect((await again.call('GET', '/v1/sessions')).status).toBe(401);
  });

  it('comes back when zeroConfigAfterKeys is set, loudly', async () => {
    const s = await start({ zeroConfigAfterKeys: true });
    const admin = await s.key('admin');
    const id = (await s.call('GET', '/v1/auth/keys', { token: admin })).body.keys[0].id;
    expect((await s.call('DELETE', `/v1/auth/keys/${id}`, { token: admin })).status).toBe(200);
    expect((await s.call('GET', '/v1/sessions')).status).toBe(200);
    expect(s.logs.join('')).toContain(ZERO_CONFIG_BACK_MESSAGE.slice(0, 60));
  });
});
