// `ag login` / `ag whoami` / `ag logout` as a real child process, against a real server on port 0
// and a real OpenID provider (oidc-provider on loopback): the test answers the device verification
// as the person would in their browser.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningServer, startServer } from '@aegis/server';
import { scriptedServerConfig } from '@aegis/testkit';
import { startTestIdp, type TestIdp } from '@aegis/testkit/oidc-provider';
import type { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import type { StdioClientTransport as McpStdio } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AG_BIN, ag, startAg, waitForText } from './__fixtures__/ag.js';
import { timeLeft, whoamiLine } from './commands/login.js';

vi.setConfig({ testTimeout: 90_000 });

const fromMcp = createRequire(
  realpathSync(fileURLToPath(new URL('../node_modules/@aegis/mcp/package.json', import.meta.url))),
);
const { Client } = fromMcp('@modelcontextprotocol/sdk/client/index.js') as { Client: typeof McpClient };
const { StdioClientTransport } = fromMcp('@modelcontextprotocol/sdk/client/stdio.js') as {
  StdioClientTransport: typeof McpStdio;
};

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-cli-login-')));
const configHome = join(base, 'config');
const loginPath = join(configHome, 'aegis', 'login.json');
let idp: TestIdp;
let server: RunningServer;
/** The environment of every `ag`: a fresh HOME and config dir, CI set (never a browser). */
let env: Record<string, string>;

beforeAll(async () => {
  idp = await startTestIdp();
  const work = join(base, 'work');
  mkdirSync(work);
  server = await startServer({
    ignoreEnv: true,
    config: {
      ...scriptedServerConfig(work),
      stateDir: join(base, 'state'),
      authToken: 'bootstrap-token-for-login-tests',
      oidc: {
        issuer: idp.issuer,
        clientId: idp.webClient.clientId,
        cliClientId: idp.cliClientId,
        audience: idp.audience,
        roles: { 'aegis-admins': 'admin', 'aegis-operators': 'operator' },
      },
    },
  });
  env = { HOME: base, XDG_CONFIG_HOME: configHome, CI: 'true', AEGIS_BASE_URL: server.url };
});
afterAll(async () => {
  await server?.close();
  await idp?.close();
});

describe('ag login (device flow, real IdP)', () => {
  it('prints the URL and code, waits for the person, stores the tokens 0600 and says who signed in', async () => {
    const child = startAg(['login'], { env });
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    await waitForText(() => out, /open (\S+) and enter the code (\S+)/);
    const [, uri, code] = /open (\S+) and enter the code (\S+)/.exec(out) as RegExpExecArray;
    await idp.approveDevice(uri as string, code as string, 'alice');
    const r = await child.result;
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toContain('Opened your browser');
    expect(`${r.out}${r.err}`).toMatch(
      /Signed in to .* as alice@example\.com admin \(token expires in (59|60)m\)/,
    );
    expect(statSync(loginPath).mode & 0o777).toBe(0o600);
    expect(statSync(join(configHome, 'aegis')).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(readFileSync(loginPath, 'utf8')).logins[server.url];
    expect(stored).toMatchObject({ issuer: idp.issuer, email: 'alice@example.com', role: 'admin' });
    expect(stored.refreshToken).toEqual(expect.any(String));
  });

  it('ag whoami prints identity, role and expiry with the stored token', async () => {
    const r = await ag(['whoami'], { env });
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim()).toMatch(/^alice@example\.com admin \(token expires in (59|60)m\)$/);
  });

  it('every command uses the stored token when no --token is given; --token still wins', async () => {
    const list = await ag(['list', '--json'], { env });
    expect(list.code, list.err).toBe(0);
    const created = await ag(['create', '--cwd', join(base, 'work'), '--json'], { env });
    expect(created.code, created.err).toBe(0);
    expect(JSON.parse(created.out).session?.ownerId ?? JSON.parse(created.out).ownerId).toBe('oidc:u-alice');
    const asBootstrap = await ag(['whoami', '--token', 'bootstrap-token-for-login-tests'], { env });
    expect(asBootstrap.out).toContain('the bootstrap token');
  });

  it('ag mcp uses the stored token', async () => {
    const mcp = new Client({ name: 'ag-login-test', version: '1.0.0' });
    await mcp.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [AG_BIN, 'mcp'],
        env: { PATH: process.env.PATH ?? '', ...env },
      }),
    );
    try {
      const result = (await mcp.callTool({ name: 'list_sessions', arguments: {} })) as {
        isError?: boolean;
        content: { text: string }[];
      };
      expect(result.isError, result.content[0]?.text).toBeFalsy();
      const sessions = JSON.parse(result.content[0]?.text ?? '{}').sessions as { ownerId: string }[];
      expect(sessions.some((s) => s.ownerId === 'oidc:u-alice')).toBe(true);
    } finally {
      await mcp.close();
    }
  });

  it('refreshes an expired access token with the refresh token and stores the new one', async () => {
    const file = JSON.parse(readFileSync(loginPath, 'utf8'));
    const before = file.logins[server.url];
    before.expiresAt = Date.now() - 1000;
    writeFileSync(loginPath, JSON.stringify(file), { mode: 0o600 });
    const r = await ag(['whoami'], { env });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('alice@example.com admin');
    const after = JSON.parse(readFileSync(loginPath, 'utf8')).logins[server.url];
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.expiresAt).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(statSync(loginPath).mode & 0o777).toBe(0o600);
  });

  it('ag logout forgets the sign-in; commands then need a credential again', async () => {
    const r = await ag(['logout'], { env });
    expect(r.code, r.err).toBe(0);
    expect(`${r.out}${r.err}`).toContain(`Signed out of ${server.url}`);
    const who = await ag(['whoami'], { env });
    expect(who.code).toBe(1);
    expect(who.err).toContain('UNAUTHORIZED');
  });

  it('says what to do when the server has no OIDC sign-in', async () => {
    const plain = await startServer({
      ignoreEnv: true,
      config: { ...scriptedServerConfig(join(base, 'work')), stateDir: join(base, 'state2') },
    });
    try {
      const r = await ag(['login', '--url', plain.url], { env });
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/does not offer sign-in with an identity provider.*AEGIS_OIDC_ISSUER/);
    } finally {
      await plain.close();
    }
  });
});

describe('whoami lines', () => {
  it.each([
    [
      { kind: 'person', email: 'alice@example.com', role: 'admin', expiresAt: 59.5 },
      'alice@example.com admin (token expires in 59m)',
    ],
    [{ kind: 'key', name: 'ci', id: 'k1', role: 'operator', expiresAt: null }, 'key ci (k1) operator'],
    [
      { kind: 'local', role: 'admin', expiresAt: null },
      'the local user (no credential: zero-config loopback access) admin',
    ],
  ] as const)('%o → %s', (me, line) => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const expiresAt =
      typeof me.expiresAt === 'number' ? new Date(now + me.expiresAt * 60_000).toISOString() : null;
    expect(whoamiLine({ id: 'x', name: null, email: null, ...me, expiresAt } as never, now)).toBe(line);
  });

  it('counts hours and days', () => {
    expect(timeLeft(3 * 3600_000 + 5 * 60_000, 0)).toBe('3h 5m');
    expect(timeLeft(3 * 86_400_000, 0)).toBe('3d');
  });
});
