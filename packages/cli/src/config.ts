import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { ServerConfigInput } from '@aegis/server';
import { z } from 'zod';
import { cliEnv, home } from './env.js';
import { storedLogin } from './login-store.js';
import { ConfigError } from './output.js';

export { ConfigError };

// The YAML parser is ~70 modules: loaded only when a YAML file is read, so `ag serve` without a
// config file (and every JSON config) starts without it.
const parseYaml = (text: string): unknown =>
  (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);

/**
 * Where the CLI looks for a config file, first found wins (files are not merged):
 * `--config` > `./.aegis/config.yaml` > `./aegis.config.json` > `~/.aegis/config.yaml` >
 * `~/.aegis/config.json`. Within the chosen settings, flags > environment > file > defaults.
 */
export function configCandidates(cwd = process.cwd(), homeDir = home()): string[] {
  return [
    join(cwd, '.aegis', 'config.yaml'),
    join(cwd, 'aegis.config.json'),
    join(homeDir, '.aegis', 'config.yaml'),
    join(homeDir, '.aegis', 'config.json'),
  ];
}

const ClientSection = z.strictObject({
  /** Where `ag` commands, `ag mcp` and `ag run` find the server. */
  baseUrl: z.string().url().optional(),
  /** Bearer token (an API key secret) the CLI sends. */
  token: z.string().min(1).optional(),
  /** Model for sessions `ag run` / `ag create` start when they name none (`ag init --model`). */
  model: z.string().min(1).optional(),
  /** Name for sessions `ag run` / `ag create` start when they give none (`ag init --name`). */
  name: z.string().min(1).max(200).optional(),
  /** Session template `ag run` / `ag create` start from when they name none (`ag init --from-template code-reviewer`). */
  template: z.string().min(1).optional(),
});

/**
 * What every command reads of the `server:` section (to find the server). The whole section is
 * checked against the server's schema by `ag serve`, `ag run` and `ag doctor` (server-settings.ts),
 * which keeps the server's code out of quick commands like `ag list`.
 */
const ServerBasics = z.looseObject({
  host: z.string().min(1).optional(),
  port: z.coerce.number().int().min(0).max(65535).optional(),
  authToken: z.string().min(1).optional(),
});

const ConfigFile = z.strictObject({
  /** Settings of `ag serve` (and of the server `ag run` starts); see @aegis/server `ServerConfig`. */
  server: ServerBasics.optional(),
  client: ClientSection.optional(),
});

export interface LoadedConfig {
  /** The file read, or null when none exists (defaults). */
  path: string | null;
  /**
   * The file is in the flat form of the earlier Aegis documents (`baseUrl:`, `authToken:`,
   * `dashboardEnabled:` … at the top level, no `server:` / `client:`): its keys were sorted into
   * `server` and `client`, and keys the server does not know are ignored with a warning
   * (see server-settings.ts).
   */
  flat?: boolean;
  /** The `server:` section exactly as written (defaults are applied later, after env and flags). */
  server: Partial<ServerConfigInput>;
  client: z.infer<typeof ClientSection>;
}

/** Finds and validates the config file (see {@link configCandidates}). */
export function loadConfig(explicit?: string, opts: { cwd?: string; home?: string } = {}): LoadedConfig {
  if (explicit) {
    const path = resolve(opts.cwd ?? process.cwd(), explicit);
    if (!existsSync(path)) throw new ConfigError(`Config file ${path} (--config) does not exist.`);
    return readConfig(path);
  }
  const found = configCandidates(opts.cwd, opts.home).find((p) => existsSync(p));
  return found ? readConfig(found) : { path: null, server: {}, client: {} };
}

/** Reads one YAML (or, by extension, JSON) config file. */
export function readConfig(path: string): LoadedConfig {
  let data: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    data = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const kind = path.endsWith('.json') ? 'JSON' : 'YAML';
    throw new ConfigError(
      `Config file ${path} is not valid ${kind}: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  data ??= {};
  if (isFlat(data)) {
    const { baseUrl, ...server } = data;
    const client = typeof baseUrl === 'string' ? { baseUrl } : {};
    const checked = ClientSection.safeParse(client, { jitless: true });
    if (!checked.success)
      throw new ConfigError(`Config file ${path}: ${describeIssue(checked.error.issues[0])}`);
    return { path, flat: true, server: server as Partial<ServerConfigInput>, client: checked.data };
  }
  const parsed = ConfigFile.safeParse(data, { jitless: true });
  if (!parsed.success) throw new ConfigError(`Config file ${path}: ${describeIssue(parsed.error.issues[0])}`);
  const raw = data as { server?: Partial<ServerConfigInput>; client?: z.infer<typeof ClientSection> };
  return { path, server: raw.server ?? {}, client: parsed.data.client ?? {} };
}

/** A mapping with neither `server:` nor `client:` but other keys: the earlier documents' flat file. */
function isFlat(data: unknown): data is Record<string, unknown> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const keys = Object.keys(data);
  return keys.length > 0 && !keys.includes('server') && !keys.includes('client');
}

/** One issue of a zod error as "field a.b: message" (or the unknown fields). */
export function describeIssue(issue: z.core.$ZodIssue | undefined, prefix: PropertyKey[] = []): string {
  if (!issue) return 'invalid';
  const at = [...prefix, ...issue.path].join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (at ? `${at}.${k}` : k));
    if (!at)
      return `unknown field ${keys.join(', ')}; the top level has \`server:\` (settings of ag serve) and \`client:\` (baseUrl, token, model, name, template).`;
    return `unknown field ${keys.join(', ')} (see \`ag init --list-templates\` for examples).`;
  }
  return `field ${at || '(root)'}: ${issue.message}`;
}

export interface Connection {
  baseUrl: string;
  token: string | undefined;
  /** No token given, and `ag login` signed in to this server: requests carry that (refreshed) token. */
  login?: boolean | undefined;
}

const LISTEN_ANY = new Set(['0.0.0.0', '::', '[::]']);

function urlFor(host: string, port: number | string): string {
  const h = LISTEN_ANY.has(host) ? '127.0.0.1' : host;
  return `http://${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${port}`;
}

/**
 * Where the CLI finds the server, and with which token.
 * URL: `--url` > `--port` (with AEGIS_HOST) > AEGIS_BASE_URL > AEGIS_HOST/AEGIS_PORT > `client.baseUrl` >
 * `server.host`/`server.port` of the file > http://127.0.0.1:9100.
 * Token: `--token` > AEGIS_AUTH_TOKEN > the sign-in of `ag login` for this URL > `client.token` >
 * `server.authToken` of the file.
 */
export function connection(
  config: LoadedConfig,
  flags: { url?: string | undefined; port?: string | undefined; token?: string | undefined } = {},
): Connection {
  const env = cliEnv();
  const fileHost = config.server.host ?? '127.0.0.1';
  const filePort = (config.server.port as number | string | undefined) ?? 9100;
  let baseUrl: string;
  if (flags.url) baseUrl = flags.url;
  else if (flags.port) baseUrl = urlFor(env.AEGIS_HOST ?? fileHost, flags.port);
  else if (env.AEGIS_BASE_URL) baseUrl = env.AEGIS_BASE_URL;
  else if (env.AEGIS_HOST || env.AEGIS_PORT !== undefined)
    baseUrl = urlFor(env.AEGIS_HOST ?? fileHost, env.AEGIS_PORT ?? filePort);
  else if (config.client.baseUrl) baseUrl = config.client.baseUrl;
  else baseUrl = urlFor(fileHost, filePort);
  const url = baseUrl.replace(/\/+$/, '');
  const explicit = flags.token || env.AEGIS_AUTH_TOKEN;
  if (!explicit && storedLogin(url)) return { baseUrl: url, token: undefined, login: true };
  const token = explicit || config.client.token || config.server.authToken;
  return { baseUrl: url, token };
}
