// Sign-in tokens from a real OpenID provider (oidc-provider on loopback) against a real server on
// port 0: what is accepted, what is refused and why, roles from the groups claim, owners, audit.
// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are asserted field by field
import { startTestIdp, type TestIdp } from '@aegis/testkit/oidc-provider';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Booted, boot, firstFrame } from './__fixtures__/attack-server.js';

vi.setConfig({ testTimeout: 60_000 });

let idp: TestIdp;
let s: Booted;
const admin = 'bootstrap-admin-token-for-oidc-tests';

beforeAll(async () => {
  idp = await startTestIdp();
  s = await boot({
    authToken: admin,
    limits: { requestsPerMinute: 100_000, authFailuresPerMinute: 100_000 },
    oidc: {
      issuer: idp.issuer,
      clientId: idp.webClient.clientId,
      cliClientId: idp.cliClientId,
      audience: idp.audience,
      roles: { 'aegis-admins': 'admin', 'aegis-operators': 'operator', staff: 'viewer' },
      jwksCooldownSeconds: 0,
    },
  });
});
afterAll(async () => {
  await s?.server.close();
  await idp?.close();
});

describe('sign-in tokens on the API', () => {
  it('accepts an access token from the issuer: the person, their role and when the token expires', async () => {
    const token = await idp.signToken({ login: 'alice', expiresIn: 3600 });
    const me = await s.call('GET', '/v1/auth/whoami', { token });
    expect(me.status, me.text).toBe(200);
    expect(me.body).toMatchObject({
      id: 'oidc:u-alice',
      kind: 'person',
      role: 'admin',
      email: 'alice@example.com',
      name: 'Alice Admin',
      subject: 'u-alice',
      via: 'token',
    });
    const left = Date.parse(me.body.expiresAt) - Date.now();
    expect(left).toBeGreaterThan(3500_000);
    expect(left).toBeLessThanOrEqual(3600_000);
  });

  it.each([
    ['expired', { expiresIn: -120 }, 'expired'],
    ['wrongly signed (a key the IdP never published)', { key: 'foreign' as const }, 'unknown_key'],
    ['for another audience', { claims: { aud: 'https://other.example/api' } }, 'wrong_audience'],
    ['from another issuer', { claims: { iss: 'https://evil.example' } }, 'wrong_issuer'],
    ['not valid yet', { claims: { nbf: Math.floor(Date.now() / 1000) + 600 } }, 'not_yet_valid'],
  ])('refuses a token %s with 401 and the reason', async (_what, opts, reason) => {
    const token = await idp.signToken({ login: 'alice', ...opts });
    const res = await s.call('GET', '/v1/sessions', { token });
    expect(res.status, res.text).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'UNAUTHORIZED', details: { reason } });
  });

  it('refuses a token whose signature was made by another key under the IdP key id', async () => {
    const good = await idp.signToken({ login: 'alice' });
    const forged = await idp.signToken({ login: 'alice', key: 'foreign' });
    const [header, payload] = good.split('.');
    const tampered = `${header}.${payload}.${forged.split('.')[2]}`;
    const res = await s.call('GET', '/v1/sessions', { token: tampered });
    expect(res.status).toBe(401);
    expect(res.body.error.details.reason).toBe('bad_signature');
  });

  it('allows a little clock skew: a token that expired 10 s ago still works', async () => {
    const token = await idp.signToken({ login: 'alice', expiresIn: -10 });
    expect((await s.call('GET', '/v1/sessions', { token })).status).toBe(200);
  });

  it.each([
    ['three dots of garbage', 'abc.def.ghi'],
    ['a header that is not JSON', `${Buffer.from('nope').toString('base64url')}.e30.sig`],
    [
      'alg none',
      `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`,
    ],
  ])('a malformed token (%s) is 401 with a code, never a 500', async (_what, token) => {
    const res = await s.call('GET', '/v1/sessions', { token });
    expect(res.status, res.text).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  it('picks up a rotated signing key', async () => {
    expect(
      (await s.call('GET', '/v1/sessions', { token: await idp.signToken({ login: 'alice' }) })).status,
    ).toBe(200);
    await idp.rotateKeys();
    const token = await idp.signToken({ login: 'alice' });
    const res = await s.call('GET', '/v1/sessions', { token });
    expect(res.status, res.text).toBe(200);
  });

  it('maps the groups claim to roles: an operator may not manage keys', async () => {
    const token = await idp.signToken({ login: 'bob' });
    expect((await s.call('GET', '/v1/auth/whoami', { token })).body.role).toBe('operator');
    const keys = await s.call('GET', '/v1/auth/keys', { token });
    expect(keys.status).toBe(403);
  });

  it('refuses a person whose claim maps to no role with 403 naming the claim', async () => {
    const token = await idp.signToken({ login: 'carol' });
    const res = await s.call('GET', '/v1/sessions', { token });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect(res.body.error.message).toContain('"groups" claim holds contractors');
    expect(res.body.error.details).toMatchObject({ reason: 'no_role', claim: 'groups' });
  });

  it('keeps two people apart: each owns the sessions they create; audit records carry subject and email', async () => {
    const bob = await idp.signToken({ login: 'bob' });
    const carol = await idp.signToken({ login: 'carol', claims: { groups: ['aegis-operators'] } });
    const created = await s.call('POST', '/v1/sessions', {
      token: bob,
      body: { workDir: s.work, name: 'bobs' },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.session.id;
    expect(created.body.session.ownerId).toBe('oidc:u-bob');
    expect((await s.call('GET', `/v1/sessions/${id}`, { token: carol })).status).toBe(404);
    const carolList = await s.call('GET', '/v1/sessions', { token: carol });
    expect(carolList.body.sessions.map((x: any) => x.id)).not.toContain(id);
    expect((await s.call('GET', `/v1/sessions/${id}`, { token: bob })).status).toBe(200);

    const audit = await s.call('GET', '/v1/audit?action=createSession', { token: admin });
    const rec = audit.body.records.find((r: any) => r.target === id);
    expect(rec).toMatchObject({
      actorId: 'oidc:u-bob',
      actorRole: 'operator',
      details: { person: { subject: 'u-bob', email: 'bob@example.com' } },
    });
    const people = await s.call('GET', '/v1/auth/people', { token: admin });
    expect(people.body.people).toContainEqual(
      expect.objectContaining({ id: 'oidc:u-bob', name: 'Bob Builder', email: 'bob@example.com' }),
    );
    await s.call('DELETE', `/v1/sessions/${id}`, { token: bob });
  });

  it('lets a person mint an event-stream token and open their stream with it', async () => {
    const bob = await idp.signToken({ login: 'bob' });
    const created = await s.call('POST', '/v1/sessions', { token: bob, body: { workDir: s.work } });
    const id = created.body.session.id;
    const minted = await s.call('POST', '/v1/auth/sse-token', { token: bob, body: { sessionId: id } });
    expect(minted.status, minted.text).toBe(201);
    const frame = await firstFrame(`${s.server.url}/v1/sessions/${id}/events?token=${minted.body.token}`);
    expect(frame.status).toBe(200);
    await s.call('DELETE', `/v1/sessions/${id}`, { token: bob });
  });

  it('accepts the tokens the IdP issues through the device flow, and their refreshed successors', async () => {
    const config = await client.discovery(new URL(idp.issuer), idp.cliClientId, undefined, client.None(), {
      execute: [client.allowInsecureRequests],
    });
    const device = await client.initiateDeviceAuthorization(config, {
      scope: 'openid email profile offline_access',
    });
    await idp.approveDevice(device.verification_uri, device.user_code, 'bob');
    const tokens = await client.pollDeviceAuthorizationGrant(config, { ...device, interval: 0.05 } as never);
    expect((await s.call('GET', '/v1/auth/whoami', { token: tokens.access_token })).body.email).toBe(
      'bob@example.com',
    );
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    const me = await s.call('GET', '/v1/auth/whoami', { token: refreshed.access_token });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe('oidc:u-bob');
  });

  it('API keys keep working beside sign-in tokens', async () => {
    const key = await s.key('viewer', admin);
    const me = await s.call('GET', '/v1/auth/whoami', { token: key });
    expect(me.body).toMatchObject({ kind: 'key', role: 'viewer', name: 'viewer-key' });
  });

  it('tells clients how to sign in (public)', async () => {
    const res = await s.call('GET', '/v1/auth/oidc');
    expect(res.body).toEqual({
      enabled: true,
      issuer: idp.issuer,
      cliClientId: idp.cliClientId,
      scopes: 'openid email profile offline_access',
      audience: idp.audience,
      sso: false,
    });
  });
});

describe('an identity provider that does not answer at start-up', () => {
  it('starts with a clear warning; API keys work, sign-in tokens get 401 saying why', async () => {
    const gone = await startTestIdp();
    const issuer = gone.issuer;
    const token = await gone.signToken({ login: 'alice' });
    await gone.close();
    const b = await boot({ authToken: admin, oidc: { issuer, clientId: 'aegis', audience: gone.audience } });
    try {
      expect(b.logs.join('')).toMatch(
        /OIDC issuer http:\/\/127\.0\.0\.1:\d+ could not be reached.*API keys keep working/,
      );
      expect((await b.call('GET', '/v1/sessions', { token: admin })).status).toBe(200);
      const res = await b.call('GET', '/v1/sessions', { token });
      expect(res.status).toBe(401);
      expect(res.body.error.details.reason).toBe('issuer_unreachable');
    } finally {
      await b.server.close();
    }
  });
});

describe('AEGIS_STRICT_RBAC', () => {
  it('turns off credential-less local access on loopback, even with no key', async () => {
    const b = await boot({ strictRbac: true });
    try {
      expect((await b.call('GET', '/v1/sessions')).status).toBe(401);
    } finally {
      await b.server.close();
    }
    const loose = await boot({});
    try {
      expect((await loose.call('GET', '/v1/sessions')).status).toBe(200);
    } finally {
      await loose.server.close();
    }
  });
});
