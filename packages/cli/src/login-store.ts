import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as oidc from 'openid-client';
import { cliEnv, home } from './env.js';

/** One server's sign-in, as `ag login` stored it. */
export interface StoredLogin {
  issuer: string;
  clientId: string;
  accessToken: string;
  refreshToken: string | null;
  /** Epoch ms. */
  expiresAt: number;
  email: string | null;
  name: string | null;
  subject: string | null;
  role: string | null;
}

interface LoginFile {
  /** Keyed by server URL. */
  logins: Record<string, StoredLogin>;
}

/** The user's config dir for Aegis: `$XDG_CONFIG_HOME/aegis`, else `~/.config/aegis` (`%APPDATA%\aegis` on Windows). */
export function configDir(): string {
  const env = cliEnv();
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'aegis');
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'aegis');
  return join(home(), '.config', 'aegis');
}

export const loginFile = () => join(configDir(), 'login.json');

function readAll(): LoginFile {
  try {
    const data = JSON.parse(readFileSync(loginFile(), 'utf8')) as Partial<LoginFile>;
    return { logins: data.logins && typeof data.logins === 'object' ? data.logins : {} };
  } catch {
    return { logins: {} };
  }
}

/** Writes the file readable by its owner only (0600, in a 0700 directory), replacing it atomically. */
function writeAll(file: LoginFile) {
  const dir = configDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = loginFile();
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export function storedLogin(baseUrl: string): StoredLogin | undefined {
  return readAll().logins[baseUrl];
}

export function saveLogin(baseUrl: string, login: StoredLogin) {
  const all = readAll();
  all.logins[baseUrl] = login;
  writeAll(all);
}

/** Forgets the sign-in for `baseUrl`; true when there was one. */
export function forgetLogin(baseUrl: string): boolean {
  const all = readAll();
  if (!all.logins[baseUrl]) return false;
  delete all.logins[baseUrl];
  if (Object.keys(all.logins).length === 0) rmSync(loginFile(), { force: true });
  else writeAll(all);
  return true;
}

/** The identity provider as a client of it: plain http only on loopback (tests, local IdPs). */
// openid-client (and jose) load on the first sign-in or refresh, not with every command that reads
// the stored logins (`ag serve` reads the config, which checks for one).
export async function discoverIssuer(issuer: string, clientId: string): Promise<oidc.Configuration> {
  const oidc = await import('openid-client');
  return oidc.discovery(new URL(issuer), clientId, undefined, oidc.None(), {
    execute: issuer.startsWith('http:') ? [oidc.allowInsecureRequests] : [],
    timeout: 15,
  });
}

/** Signed-in state that can no longer be used: the message says what to do. */
export class LoginExpiredError extends Error {
  override readonly name = 'LoginExpiredError';
}

/** Refreshes a stored sign-in when it expires within a minute; returns the access token to send. */
export async function freshAccessToken(baseUrl: string, now = Date.now()): Promise<string | undefined> {
  const login = storedLogin(baseUrl);
  if (!login) return undefined;
  if (login.expiresAt - now > 60_000) return login.accessToken;
  if (!login.refreshToken) {
    throw new LoginExpiredError(`Your sign-in to ${baseUrl} has expired; run \`ag login\` again.`);
  }
  let tokens: Awaited<ReturnType<typeof oidc.refreshTokenGrant>>;
  try {
    const oidc = await import('openid-client');
    tokens = await oidc.refreshTokenGrant(
      await discoverIssuer(login.issuer, login.clientId),
      login.refreshToken,
    );
  } catch (err) {
    throw new LoginExpiredError(
      `Your sign-in to ${baseUrl} has expired and could not be refreshed (${(err as Error).message}); run \`ag login\` again.`,
    );
  }
  const refreshed: StoredLogin = {
    ...login,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? login.refreshToken,
    expiresAt: now + (tokens.expiresIn() ?? 3600) * 1000,
  };
  saveLogin(baseUrl, refreshed);
  return refreshed.accessToken;
}
