// Dashboard SSO through the server against a real OpenID provider: authorization code + PKCE, the
// HTTP-only session cookie, CSRF on cookie-authenticated mutations, refresh, sign-out.
// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are asserted field by field
import { startTestIdp, type TestIdp } from '@aegis/testkit/oidc-provider';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Booted, boot } from './__fixtures__/attack-server.js';

vi.setConfig({ testTimeout: 60_000 });

let idp: TestIdp;
let s: Booted;

beforeAll(async () => {
  idp = await startTestIdp({ accessTokenTtlSeconds: 3 });
  s = await boot({
    authToken: 'bootstrap-admin-token-for-sso-tests',
    limits: { requestsPerMinute: 100_000 },
    oidc: {
      issuer: idp.issuer,
      clientId: idp.webClient.clientId,
      clientSecret: idp.webClient.clientSecret,
      audience: idp.audience,
      roles: { 'aegis-admins': 'admin', 'aegis-operators': 'operator' },
      clockSkewSeconds: 0,
    },
  });
});
afterAll(async () => {
  await s?.server.close();
  await idp?.close();
});

/** Signs `login` in through the server's SSO routes; returns the Set-Cookie of the callback. */
async function signIn(login: string, returnTo = '/dashboard/') {
  const start = await fetch(`${s.server.url}/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`, {
    redirect: 'manual',
  });
  expect(start.status).toBe(302);
  const toIdp = start.headers.get('location') as string;
  expect(toIdp.startsWith(idp.issuer)).toBe(true);
  const authz = new URL(toIdp);
  expect(authz.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authz.searchParams.get('client_secret')).toBeNull();
  const stateCookie = (start.headers.getSetCookie()[0] ?? '').split(';')[0] as string;
  const back = await idp.signInAt(toIdp, login);
  expect(back.startsWith(`${s.server.url}/auth/oidc/callback?`)).toBe(true);
  const cb = await fetch(back, { redirect: 'manual', headers: { cookie: stateCookie } });
  return { cb, cookies: cb.headers.getSetCookie() };
}

const sessionCookie = (setCookies: string[]) =>
  (setCookies.find((c) => c.startsWith('aegis_session=')) ?? '').split(';')[0] as string;

describe('dashboard SSO', () => {
  it('signs a person in: an HTTP-only SameSite cookie, back to the dashboard page asked for', async () => {
    const { cb, cookies } = await signIn('alice', '/dashboard/?x=1');
    expect(cb.status).toBe(302);
    expect(cb.headers.get('location')).toBe('/dashboard/?x=1');
    const line = cookies.find((c) => c.startsWith('aegis_session=')) as string;
    expect(line).toMatch(/HttpOnly/);
    expect(line).toMatch(/SameSite=Lax/);
    const me = await s.call('GET', '/v1/auth/whoami', { headers: { cookie: sessionCookie(cookies) } });
    expect(me.body).toMatchObject({
      kind: 'person',
      email: 'alice@example.com',
      role: 'admin',
      via: 'cookie',
    });
    expect(me.body.csrfToken).toEqual(expect.any(String));
  });

  it('refuses a cookie-authenticated mutation without the CSRF token (403), accepts it with', async () => {
    const { cookies } = await signIn('bob');
    const cookie = sessionCookie(cookies);
    const without = await s.call('POST', '/v1/sessions', { headers: { cookie }, body: { workDir: s.work } });
    expect(without.status).toBe(403);
    expect(without.body.error.details.reason).toBe('csrf');
    const wrong = await s.call('POST', '/v1/sessions', {
      headers: { cookie, 'x-aegis-csrf': 'guess' },
      body: { workDir: s.work },
    });
    expect(wrong.status).toBe(403);
    const { csrfToken } = (await s.call('GET', '/v1/auth/whoami', { headers: { cookie } })).body;
    const ok = await s.call('POST', '/v1/sessions', {
      headers: { cookie, 'x-aegis-csrf': csrfToken },
      body: { workDir: s.work },
    });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body.session.ownerId).toBe('oidc:u-bob');
  });

  it('refreshes the token behind the cookie once it expires', async () => {
    const { cookies } = await signIn('alice');
    const cookie = sessionCookie(cookies);
    const first = (await s.call('GET', '/v1/auth/whoami', { headers: { cookie } })).body.expiresAt;
    await new Promise((r) => setTimeout(r, 3500));
    const me = await s.call('GET', '/v1/auth/whoami', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(Date.parse(me.body.expiresAt)).toBeGreaterThan(Date.parse(first));
  });

  it('refuses a callback without the browser that started the sign-in (state cookie)', async () => {
    const start = await fetch(`${s.server.url}/auth/oidc/login`, { redirect: 'manual' });
    const back = await idp.signInAt(start.headers.get('location') as string, 'alice');
    const cb = await fetch(back, { redirect: 'manual' });
    expect(cb.status).toBe(400);
    expect(cb.headers.getSetCookie().some((c) => c.startsWith('aegis_session='))).toBe(false);
  });

  it('never redirects outside the dashboard after sign-in', async () => {
    const { cb } = await signIn('alice', 'https://evil.example/');
    expect(cb.headers.get('location')).toBe('/dashboard/');
  });

  it('signs out: the cookie stops working', async () => {
    const { cookies } = await signIn('alice');
    const cookie = sessionCookie(cookies);
    const { csrfToken } = (await s.call('GET', '/v1/auth/whoami', { headers: { cookie } })).body;
    expect((await s.call('POST', '/auth/oidc/logout', { headers: { cookie } })).status).toBe(403);
    const out = await s.call('POST', '/auth/oidc/logout', { headers: { cookie, 'x-aegis-csrf': csrfToken } });
    expect(out.status).toBe(200);
    expect((await s.call('GET', '/v1/sessions', { headers: { cookie } })).status).toBe(401);
  });

  it('diagnostics say SSO is on, never the client secret', async () => {
    const diag = await s.call('GET', '/v1/diagnostics', { token: 'bootstrap-admin-token-for-sso-tests' });
    expect(diag.body.config.oidc).toMatchObject({ issuer: idp.issuer, sso: true });
    expect(diag.text).not.toContain(idp.webClient.clientSecret);
  });

  it('a person without a role is not signed in', async () => {
    const { cb, cookies } = await signIn('carol');
    expect(cb.status).toBe(403);
    expect(await cb.text()).toContain('"groups" claim');
    expect(cookies.some((c) => c.startsWith('aegis_session=') && !/Max-Age=0/.test(c))).toBe(false);
  });
});
