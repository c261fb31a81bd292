import { spawn } from 'node:child_process';
import { defineCommand } from 'citty';
import * as oidc from 'openid-client';
import { connection, loadConfig } from '../config.js';
import { connect, connectionArgs, jsonArg } from '../connect.js';
import { cliEnv } from '../env.js';
import { consola } from '../log.js';
import { discoverIssuer, forgetLogin, saveLogin, storedLogin } from '../login-store.js';
import { guarded, printJson } from '../output.js';

interface OidcSettings {
  enabled: boolean;
  issuer: string | null;
  cliClientId: string | null;
  scopes: string | null;
}

interface Whoami {
  id: string;
  kind: 'person' | 'key' | 'bootstrap' | 'local';
  role: string | null;
  name: string | null;
  email: string | null;
  expiresAt: string | null;
}

/** "59m", "2h 5m", "3d": how long until `at`. */
export function timeLeft(at: number, now = Date.now()): string {
  const min = Math.max(0, Math.floor((at - now) / 60_000));
  if (min < 60) return `${min}m`;
  if (min < 48 * 60) return `${Math.floor(min / 60)}h${min % 60 ? ` ${min % 60}m` : ''}`;
  return `${Math.floor(min / 1440)}d`;
}

/** The one line `ag whoami` prints: "alice@example.com admin (token expires in 59m)". */
export function whoamiLine(me: Whoami, now = Date.now()): string {
  const who =
    me.kind === 'person'
      ? (me.email ?? me.name ?? me.id)
      : me.kind === 'key'
        ? `key ${me.name ?? me.id} (${me.id})`
        : me.kind === 'bootstrap'
          ? 'the bootstrap token (AEGIS_AUTH_TOKEN)'
          : 'the local user (no credential: zero-config loopback access)';
  const expiry = me.expiresAt
    ? ` (${me.kind === 'key' ? 'key' : 'token'} expires in ${timeLeft(Date.parse(me.expiresAt), now)})`
    : '';
  return `${who} ${me.role ?? '(no role)'}${expiry}`;
}

async function getJson<T>(url: string, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as T };
}

/** Opens `url` in the person's browser, when there is one to open: never in CI or without a terminal. */
function openBrowser(url: string): boolean {
  if (cliEnv().CI || !process.stdout.isTTY || !process.stdin.isTTY) return false;
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}

export const loginCommand = defineCommand({
  meta: {
    name: 'login',
    description:
      "Sign in with your company's identity provider (OAuth device flow); later commands use the token",
  },
  args: {
    'no-browser': { type: 'boolean', description: 'Print the URL and code only; do not open a browser' },
    url: connectionArgs.url,
    port: connectionArgs.port,
    config: connectionArgs.config,
  },
  run: guarded(async ({ args }) => {
    const conn = connection(loadConfig(args.config), { url: args.url, port: args.port, token: 'unused' });
    const settings = await getJson<OidcSettings>(`${conn.baseUrl}/v1/auth/oidc`).catch((err) => {
      throw new Error(
        `No Aegis server answers at ${conn.baseUrl} (${(err as Error).message}); start one or pass --url.`,
      );
    });
    if (!settings.body.enabled || !settings.body.issuer || !settings.body.cliClientId) {
      throw new Error(
        `${conn.baseUrl} does not offer sign-in with an identity provider: its operator sets AEGIS_OIDC_ISSUER and AEGIS_OIDC_CLIENT_ID (docs/oidc.md). Use an API key instead (--token / AEGIS_AUTH_TOKEN).`,
      );
    }
    const { issuer, cliClientId } = settings.body;
    const config = await discoverIssuer(issuer, cliClientId);
    const device = await oidc.initiateDeviceAuthorization(config, {
      scope: settings.body.scopes ?? 'openid email profile offline_access',
    });
    const where = device.verification_uri_complete ?? device.verification_uri;
    process.stdout.write(
      `To sign in, open ${device.verification_uri} and enter the code ${device.user_code}\n` +
        (device.verification_uri_complete ? `(or open ${device.verification_uri_complete})\n` : ''),
    );
    if (!args['no-browser'] && openBrowser(where)) process.stdout.write('Opened your browser.\n');
    process.stdout.write('Waiting for you to confirm…\n');
    const tokens = await oidc.pollDeviceAuthorizationGrant(config, device);
    const me = await getJson<Whoami & { error?: { message?: string } }>(
      `${conn.baseUrl}/v1/auth/whoami`,
      tokens.access_token,
    );
    if (me.status !== 200) {
      throw new Error(
        `Signed in with the identity provider, but ${conn.baseUrl} refused the token (${me.status}): ${me.body.error?.message ?? 'no reason given'}`,
      );
    }
    const expiresAt = Date.now() + (tokens.expiresIn() ?? 3600) * 1000;
    saveLogin(conn.baseUrl, {
      issuer,
      clientId: cliClientId,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? null,
      expiresAt,
      email: me.body.email,
      name: me.body.name,
      subject: me.body.id,
      role: me.body.role,
    });
    consola.success(
      `Signed in to ${conn.baseUrl} as ${whoamiLine({ ...me.body, expiresAt: new Date(expiresAt).toISOString() })}.`,
    );
    return 0;
  }),
});

export const logoutCommand = defineCommand({
  meta: { name: 'logout', description: 'Forget the sign-in of `ag login` for this server' },
  args: { url: connectionArgs.url, port: connectionArgs.port, config: connectionArgs.config },
  run: guarded(async ({ args }) => {
    const conn = connection(loadConfig(args.config), { url: args.url, port: args.port, token: 'unused' });
    const login = storedLogin(conn.baseUrl);
    if (login?.refreshToken) {
      // Best effort: the IdP forgets the refresh token too (not every IdP offers revocation).
      await discoverIssuer(login.issuer, login.clientId)
        .then((c) => oidc.tokenRevocation(c, login.refreshToken as string))
        .catch(() => {});
    }
    if (forgetLogin(conn.baseUrl)) consola.success(`Signed out of ${conn.baseUrl}.`);
    else consola.info(`Not signed in to ${conn.baseUrl}; nothing to forget.`);
    return 0;
  }),
});

export const whoamiCommand = defineCommand({
  meta: {
    name: 'whoami',
    description: 'Who the server takes you for: identity, role and when the credential expires',
  },
  args: { ...jsonArg, ...connectionArgs },
  run: guarded(async ({ args }) => {
    const { client } = connect(args);
    const res = (await client.getWhoami()) as Whoami;
    if (args.json) printJson(res);
    else process.stdout.write(`${whoamiLine(res)}\n`);
    return 0;
  }),
});
