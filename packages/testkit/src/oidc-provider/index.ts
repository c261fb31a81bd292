import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import type Provider from 'oidc-provider';
import { FormBrowser } from './browser.js';
import { buildProvider, handleInteraction, type ProviderSetup } from './provider.js';
import type { SignTokenOptions, TestIdp, TestIdpOptions, TestIdpUser } from './types.js';

export type { SignTokenOptions, TestIdp, TestIdpOptions, TestIdpUser } from './types.js';

/** alice is an admin, bob an operator, carol has no group Aegis knows. */
export const DEFAULT_TEST_IDP_USERS: readonly TestIdpUser[] = Object.freeze([
  {
    sub: 'u-alice',
    login: 'alice',
    password: 'alice-pw',
    email: 'alice@example.com',
    name: 'Alice Admin',
    groups: ['aegis-admins', 'staff'],
  },
  {
    sub: 'u-bob',
    login: 'bob',
    password: 'bob-pw',
    email: 'bob@example.com',
    name: 'Bob Builder',
    groups: ['aegis-operators'],
  },
  {
    sub: 'u-carol',
    login: 'carol',
    password: 'carol-pw',
    email: 'carol@example.com',
    name: 'Carol Contractor',
    groups: ['contractors'],
  },
]);

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

/**
 * Starts a real OpenID provider (the `oidc-provider` package) on 127.0.0.1 and an ephemeral port,
 * with a confidential web client, a public device-flow client and test users.
 *
 * @example
 * const idp = await startTestIdp();
 * const token = await idp.signToken({ login: 'alice' });
 * await idp.close();
 */
export async function startTestIdp(options: TestIdpOptions = {}): Promise<TestIdp> {
  const users = options.users ?? DEFAULT_TEST_IDP_USERS;
  let provider: Provider | undefined;
  let setup: ProviderSetup | undefined;
  const server = createServer((req, res) => {
    if (!provider) {
      res.writeHead(503).end();
      return;
    }
    if (req.url?.startsWith('/interaction/')) {
      void handleInteraction(provider, users, (setup as ProviderSetup).audience, req, res);
      return;
    }
    provider.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const foreign = await newSigningKey();
  setup = {
    issuer,
    audience: options.audience ?? 'https://aegis.test/api',
    webClient: { clientId: 'aegis-dashboard', clientSecret: 'aegis-dashboard-secret-for-tests' },
    cliClientId: 'aegis-cli',
    users,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    keys: [await newSigningKey()],
  };
  provider = buildProvider(setup);
  const current = () => setup as ProviderSetup;
  const user = (login: string) => {
    const found = users.find((u) => u.login === login);
    if (!found) throw new Error(`the test IdP has no user ${login}`);
    return found;
  };

  return {
    issuer,
    audience: setup.audience,
    webClient: setup.webClient,
    cliClientId: setup.cliClientId,
    users,
    user,
    async signToken(o: SignTokenOptions) {
      const u = user(o.login);
      const jwk = o.key === 'foreign' ? foreign : (current().keys[0] as JWK);
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: issuer,
        aud: current().audience,
        sub: u.sub,
        email: u.email,
        name: u.name,
        groups: [...u.groups],
        iat: now,
        exp: now + (o.expiresIn ?? 600),
        ...o.claims,
      };
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: jwk.kid as string, typ: 'at+jwt' })
        .sign(await importJWK(jwk, 'RS256'));
    },
    async rotateKeys() {
      setup = { ...current(), keys: [await newSigningKey(), ...current().keys] };
      provider = buildProvider(setup);
    },
    async approveDevice(verificationUri, userCode, login) {
      const u = user(login);
      const browser = new FormBrowser(issuer);
      const entry = await browser.go(verificationUri);
      const confirm = await browser.submit(entry, { user_code: userCode });
      const loginPage = await browser.submit(confirm);
      const done = await browser.submit(loginPage, { login: u.login, password: u.password });
      if (!/Sign-in Success/i.test(done.body)) {
        throw new Error(
          `device sign-in did not succeed (${done.status} at ${done.url}): ${done.body.slice(0, 500)}`,
        );
      }
    },
    async signInAt(authorizationUrl, login) {
      const u = user(login);
      const browser = new FormBrowser(issuer);
      const loginPage = await browser.go(authorizationUrl);
      if (loginPage.leftTo) return loginPage.leftTo;
      const done = await browser.submit(loginPage, { login: u.login, password: u.password });
      if (!done.leftTo) {
        throw new Error(
          `sign-in did not return to the client (${done.status} at ${done.url}): ${done.body.slice(0, 500)}`,
        );
      }
      return done.leftTo;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
